import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryPeriodPartition } from "../../core/db/query-partition";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import type { SamplingPolicy } from "../../shared/policy";
import { decide } from "../../shared/sampling";
import { PERIOD } from "../../shared/table-keys";
import { startTestStack } from "../integration/stack";
import { queueDepth, redeliver, scanTable, settle } from "./helpers";

let stack: LocalStack;
let policy: SamplingPolicy;
const key = randomBytes(32);
const demo = generateDemo({ days: 14, seed: 11, perDay: 30 });

/** Every item of the table, by its `type`. */
async function itemsByType() {
  const items = await scanTable(stack);
  const by = (type: string) => items.filter((i) => i.type === type);
  const rollups = items.filter((i) => String(i.pk).startsWith("ST#"));
  const counters = items.filter((i) => String(i.pk).startsWith("COUNT#"));
  return { by, rollups, counters };
}

beforeAll(async () => {
  policy = await loadPolicy();
  stack = await startTestStack({
    sampler: { policy, key, retryDelaySeconds: 1 },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, { concurrency: 16 });
  await stack.s3Put("bad/truncated.json", '{"Transcript": [', {});
  await stack.s3Put("bad/binary.json", Buffer.from([0, 1, 2, 255]), {});
  const unattributed = demo.files.find((f) => f.key.includes("contact-lens"));
  await stack.s3Put("bad/unattributed.json", unattributed?.body ?? "", {});
  await stack.s3Put("bad/huge.json", `"${"x".repeat(6 * 1024 * 1024)}"`, {});
  await settle(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("sampler on the local stack", () => {
  it("puts every object in exactly one place: ledger, duplicate or quarantine", async () => {
    const { by } = await itemsByType();
    const markers = by("object");
    expect(markers).toHaveLength(demo.files.length + 4);
    expect(markers.filter((m) => m.outcome === "ledger")).toHaveLength(by("ledger").length);
    expect(
      by("quarantine")
        .map((q) => [q.key, q.reason])
        .sort(),
    ).toEqual([
      ["bad/binary.json", "binary"],
      ["bad/huge.json", "too-large"],
      ["bad/truncated.json", "invalid"],
      ["bad/unattributed.json", "unattributed"],
    ]);
    expect(await queueDepth(stack, stack.endpoints.queues.ingest)).toBe(0);
    expect(await queueDepth(stack, stack.endpoints.queues.ingestDlq)).toBe(0);
  });

  it("counts the population once per interaction and queues one message per task", async () => {
    const { by, rollups } = await itemsByType();
    const ledger = by("ledger");
    const population = rollups.reduce((n, r) => n + Number(r.population), 0);
    const sampled = rollups.reduce((n, r) => n + Number(r.sampled), 0);
    expect(population).toBe(ledger.length);
    expect(sampled).toBe(ledger.filter((l) => l.sampled).length);
    expect(sampled).toBeGreaterThan(0);
    expect(await queueDepth(stack, stack.endpoints.queues.review)).toBe(by("task").length);
  });

  it("re-derives every stored decision from the key and the policy", async () => {
    const { by } = await itemsByType();
    for (const item of by("ledger")) {
      const d = decide(policy, key, {
        interactionId: String(item.interactionId),
        vendor: String(item.vendor),
        channel: item.channel as "voice",
        language: String(item.language),
        turns: Object.entries(item.turns as Record<string, number>).flatMap(([role, n]) =>
          Array.from({ length: n }, (_, i) => ({
            id: `${role}${i}`,
            role: role as "agent",
            text: "x",
            at: "2026-01-01T00:00:00Z",
          })),
        ),
      });
      expect([d.u, d.sampled, d.pi]).toEqual([item.u, item.sampled, item.pi]);
    }
  });

  it("treats a replayed event as a no-op", async () => {
    const before = await itemsByType();
    const tasksBefore = before.by("task").length;
    await redeliver(
      stack,
      demo.files.slice(0, 50).map((f) => f.key),
    );
    await settle(stack);
    const after = await itemsByType();
    expect(after.by("object")).toHaveLength(before.by("object").length);
    expect(after.rollups.reduce((n, r) => n + Number(r.population), 0)).toBe(
      before.rollups.reduce((n, r) => n + Number(r.population), 0),
    );
    expect(after.by("task")).toHaveLength(tasksBefore);
  });

  it("records the same interaction under another key as a duplicate, counted once", async () => {
    const before = await itemsByType();
    const original = demo.files[0];
    await stack.s3Put("again/copy-of-first.json", original?.body ?? "", original?.metadata ?? {});
    await settle(stack);
    const after = await itemsByType();
    const marker = after
      .by("object")
      .find((m) => m.object === `${stack.endpoints.bucket}/again/copy-of-first.json`);
    expect(marker?.outcome).toBe("duplicate");
    expect(after.by("ledger")).toHaveLength(before.by("ledger").length);
    expect(after.counters.reduce((n, c) => n + Number(c.duplicates ?? 0), 0)).toBe(1);
  });

  it("tops up agent-weeks below the floor at period close, and a second close changes nothing", async () => {
    const deps = { clients: stack.clients, endpoints: stack.endpoints, policy };
    // Replays above re-sent some task messages (harmless: a claim skips a scored task), so
    // count what period close adds rather than the queue's absolute depth.
    const depthBefore = await queueDepth(stack, stack.endpoints.queues.review);
    const first = await closeEndedWeeks(deps);
    expect(first.reduce((n, r) => n + r.toppedUp, 0)).toBeGreaterThan(0);
    const { by } = await itemsByType();
    const floorTasks = by("task").filter((t) => t.kind === "floor");
    expect(floorTasks.length).toBe(first.reduce((n, r) => n + r.toppedUp, 0));
    // A floor item's π is its inclusion probability under the design as run, never above 1.
    for (const task of floorTasks) expect(Number(task.pi)).toBeLessThanOrEqual(1);
    const weeks = first.map((r) => r.week);
    // Fourteen days of demo span at least two ended weeks.
    expect(weeks.length).toBeGreaterThanOrEqual(2);
    for (const week of weeks) {
      const agentWeeks = await queryPeriodPartition(
        stack.clients.doc,
        stack.endpoints.table,
        PERIOD.agentWeeks(week),
      );
      expect(agentWeeks.length, week).toBeGreaterThan(0);
      for (const aw of agentWeeks) {
        const floor = policy.floor.perAgentWeek;
        const have = Number(aw.sampled ?? 0) + Number(aw.floor ?? 0);
        expect(have).toBeGreaterThanOrEqual(Math.min(floor, Number(aw.eligible ?? 0)));
      }
    }
    const second = await closeEndedWeeks(deps);
    expect(second.reduce((n, r) => n + r.toppedUp + r.tasksSent, 0)).toBe(0);
    expect((await itemsByType()).by("task")).toHaveLength(by("task").length);
    expect(await queueDepth(stack, stack.endpoints.queues.review)).toBe(
      depthBefore + floorTasks.length,
    );
  });
});
