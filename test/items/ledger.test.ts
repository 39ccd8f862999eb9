import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KEYS,
  LEDGER_TASK_IDS,
  type LedgerEntry,
  ledgerFromItem,
  ledgerKey,
  ledgerTaskIdsFromItem,
  ledgerToItem,
  ledgerTopUp,
  MalformedItemError,
} from "../../shared/items";
import { applyUpdate } from "./apply-update";
import { channel, day, format, id, instant, probability, unit, week } from "./arbitraries";

const count = fc.integer({ min: 0, max: 50 });

const entry: fc.Arbitrary<LedgerEntry> = fc.record(
  {
    interactionId: id,
    vendor: id,
    agent: id,
    channel,
    language: fc.constantFrom("en-US", "de", "fr-FR"),
    queue: id,
    intent: id,
    startedAt: instant,
    day,
    week,
    objectDay: day,
    object: id.map((k) => `bucket/${k}`),
    version: id,
    versionId: id,
    etag: id,
    format,
    turns: fc.record({ agent: count, customer: count, bot: count, system: count }),
    policyVersion: id,
    keyId: id,
    u: unit,
    rate: probability,
    pi: probability,
    eligible: fc.boolean(),
    ineligibleReason: fc.constantFrom("channel", "language"),
    sampled: fc.boolean(),
    sampleKind: fc.constantFrom("random", "floor", "none"),
    floorPi: probability,
    calibration: fc.boolean(),
    taskIds: fc.array(id, { maxLength: 4 }),
    recordedAt: instant,
  },
  {
    requiredKeys: [
      "interactionId",
      "vendor",
      "agent",
      "channel",
      "language",
      "startedAt",
      "day",
      "week",
      "objectDay",
      "object",
      "version",
      "format",
      "turns",
      "policyVersion",
      "keyId",
      "u",
      "rate",
      "pi",
      "eligible",
      "sampled",
      "sampleKind",
      "calibration",
      "taskIds",
      "recordedAt",
    ],
  },
);

describe("ledger codec", () => {
  it("reads back every entry it writes", () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(ledgerFromItem(ledgerToItem(e))).toEqual(e);
      }),
    );
  });

  it("keys the item by interaction and indexes it by agent-week (sorted by u) and arrival day", () => {
    fc.assert(
      fc.property(entry, (e) => {
        const item = ledgerToItem(e);
        expect(item).toMatchObject({
          ...ledgerKey(e.interactionId),
          type: "ledger",
          [KEYS.byAgentWeek.pk]: `AW#${e.vendor}#${e.agent}#${e.week}`,
          [KEYS.byAgentWeek.sk]: e.u,
          [KEYS.byPeriod.pk]: `LEDGER#${e.objectDay}`,
          [KEYS.byPeriod.sk]: e.object,
        });
      }),
    );
  });

  it("raises MalformedItemError naming the attribute, instead of reading NaN", () => {
    const item = ledgerToItem(fc.sample(entry, { numRuns: 1, seed: 7 })[0] as LedgerEntry);
    const { u: _u, ...withoutU } = item;
    expect(() => ledgerFromItem({ ...withoutU })).toThrow(MalformedItemError);
    try {
      ledgerFromItem({ ...item, channel: "fax" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedItemError);
      expect((error as MalformedItemError).issues.map((i) => i.path)).toEqual(["channel"]);
      expect((error as MalformedItemError).key).toEqual(ledgerKey(String(item.interactionId)));
    }
  });

  it("tops an unsampled entry up with the floor, only while it is not sampled", () => {
    fc.assert(
      fc.property(
        entry,
        fc.array(id, { minLength: 1, maxLength: 3 }),
        probability,
        (e, ids, pi) => {
          const update = ledgerTopUp(e.interactionId, { taskIds: ids, floorPi: pi });
          expect(update.ConditionExpression).toBe("#sampled = :no");
          expect(update.ExpressionAttributeValues?.[":no"]).toBe(false);
          const after = ledgerFromItem(applyUpdate(ledgerToItem({ ...e, sampled: false }), update));
          expect(after).toEqual({
            ...e,
            sampled: true,
            sampleKind: "floor",
            taskIds: ids,
            floorPi: pi,
          });
        },
      ),
    );
  });
});

describe("ledger task-id projection", () => {
  it("reads the interaction and its task ids from a projected item", () => {
    const e = fc.sample(entry, { numRuns: 1, seed: 5 })[0] as LedgerEntry;
    const projected = { interactionId: e.interactionId, taskIds: e.taskIds };
    expect(ledgerTaskIdsFromItem(projected)).toEqual(projected);
    expect(LEDGER_TASK_IDS.names).toEqual({ "#id": "interactionId", "#tasks": "taskIds" });
    expect(() => ledgerTaskIdsFromItem({ interactionId: e.interactionId })).toThrow(
      MalformedItemError,
    );
  });
});
