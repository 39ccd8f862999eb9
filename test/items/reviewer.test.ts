import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  calibrationKey,
  calibrationMarkFromItem,
  calibrationMarkToItem,
  claimSlotFromItem,
  claimSlotKey,
  claimSlotToItem,
  holdFromItem,
  holdKey,
  holdSettled,
  holdToItem,
  KEYS,
  leaseFollows,
  MalformedItemError,
  reviewerCount,
  reviewerCountersFromItem,
  reviewerKey,
  storedTaskFromItem,
  taskFromItem,
  taskKey,
  taskToItem,
  taskUpdate,
} from "../../shared/items";
import type { Task } from "../../shared/task";
import { applyUpdate } from "./apply-update";
import { id, instant, week } from "./arbitraries";

describe("reviewer counters", () => {
  it("count reviews and skips per reason, listed under REVIEWERS", () => {
    fc.assert(
      fc.property(id, fc.array(fc.constantFrom("review", "language", "other")), (sub, events) => {
        let item: Record<string, unknown> = {};
        for (const e of events)
          item = applyUpdate(
            item,
            reviewerCount(sub, e === "review" ? { kind: "review" } : { kind: "skip", reason: e }),
          );
        if (events.length === 0) return;
        expect(item).toMatchObject({
          ...reviewerKey(sub),
          [KEYS.byPeriod.pk]: "REVIEWERS",
          [KEYS.byPeriod.sk]: sub,
        });
        const c = reviewerCountersFromItem(item);
        expect(c.reviewer).toBe(sub);
        expect(c.reviews ?? 0).toBe(events.filter((e) => e === "review").length);
        expect(c.skips ?? 0).toBe(events.filter((e) => e !== "review").length);
        expect(c.skips_language ?? 0).toBe(events.filter((e) => e === "language").length);
      }),
    );
  });
});

describe("claim slots and holds", () => {
  it("read back with the slot number from the key, and follow their task's lease", () => {
    fc.assert(
      fc.property(
        id,
        fc.integer({ min: 0, max: 9 }),
        id,
        instant,
        instant,
        (sub, n, taskId, lease, later) => {
          const item = claimSlotToItem(sub, n, { taskId, leaseExpiresAt: lease });
          expect(item).toMatchObject({ ...claimSlotKey(sub, n), type: "claim-slot" });
          expect(claimSlotFromItem(item)).toEqual({ taskId, leaseExpiresAt: lease, slot: n });
          const moved = applyUpdate(item, leaseFollows(claimSlotKey(sub, n), taskId, later));
          expect(claimSlotFromItem(moved).leaseExpiresAt).toBe(later);
        },
      ),
    );
  });

  it("settle a hold released or scored, only while it names the task", () => {
    const hold = holdToItem("ix", "me", {
      taskId: "tk",
      status: "claimed",
      leaseExpiresAt: "2026-01-05T10:00:00.000Z",
    });
    expect(hold).toMatchObject({ ...holdKey("ix", "me"), type: "hold" });
    const update = holdSettled("ix", "me", "tk", "scored");
    expect(update.ConditionExpression).toBe("attribute_not_exists(#pk) OR #task = :task");
    expect(holdFromItem(applyUpdate(hold, update))).toMatchObject({
      taskId: "tk",
      status: "scored",
    });
    expect(() => holdFromItem({ ...hold, status: "lost" })).toThrow(MalformedItemError);
  });
});

describe("calibration marks", () => {
  it("read back what they write", () => {
    fc.assert(
      fc.property(week, id, id, id, (w, interactionId, taskId, vendor) => {
        const item = calibrationMarkToItem(w, taskId, { interactionId, vendor });
        expect(item).toMatchObject(calibrationKey(w, interactionId, taskId));
        expect(calibrationMarkFromItem(item)).toEqual({ interactionId, vendor });
      }),
    );
  });
});

describe("task codec", () => {
  const task: Task = {
    taskId: "tk-1",
    interactionId: "ix-1",
    vendor: "acme",
    agent: "a1",
    channel: "chat",
    day: "2026-01-05",
    week: "2026-W02",
    kind: "random",
    policyVersion: "p1",
    u: 0.1,
    pi: 0.2,
    status: "queued",
    createdAt: "2026-01-05T10:00:00.000Z",
  };

  it("reads back a task, keeping the receipt apart, through a claim and a release", () => {
    expect(taskFromItem(taskToItem(task))).toEqual(task);
    const claimed = applyUpdate(
      taskToItem(task),
      taskUpdate(task.taskId, {
        set: {
          status: "claimed",
          claimedBy: "me",
          leaseExpiresAt: "2026-01-05T10:15:00.000Z",
          claimedAt: "2026-01-05T10:00:00.000Z",
          slot: 0,
          receiptHandle: "r",
        },
      }),
    );
    expect(storedTaskFromItem(claimed)).toMatchObject({
      status: "claimed",
      slot: 0,
      receiptHandle: "r",
    });
    expect(taskFromItem(claimed)).not.toHaveProperty("receiptHandle");
    const released = applyUpdate(
      claimed,
      taskUpdate(task.taskId, {
        set: { status: "queued" },
        remove: ["claimedBy", "leaseExpiresAt", "receiptHandle", "slot"],
      }),
    );
    expect(released).toMatchObject(taskKey(task.taskId));
    expect(storedTaskFromItem(released)).toEqual({
      ...task,
      claimedAt: "2026-01-05T10:00:00.000Z",
    });
  });

  it("raises MalformedItemError for a task whose π is out of range", () => {
    expect(() => taskFromItem({ ...taskToItem(task), pi: 0 })).toThrow(MalformedItemError);
  });
});
