import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dayCountersFromItem,
  dayCountersKey,
  dayCountersUpdate,
  KEYS,
  MalformedItemError,
  type Quarantine,
  quarantineFromItem,
  quarantineKey,
  quarantineToItem,
} from "../../shared/items";
import { applyUpdate } from "./apply-update";
import { day, id, instant } from "./arbitraries";

const quarantine: fc.Arbitrary<Quarantine> = fc.record(
  {
    bucket: id,
    key: id,
    version: id,
    reason: fc.constantFrom("invalid", "unattributed", "too-large"),
    detail: fc.string(),
    format: fc.constantFrom("unknown", "zendesk-ticket"),
    field: fc.string(),
    message: fc.string(),
    day,
    quarantinedAt: instant,
  },
  {
    requiredKeys: [
      "bucket",
      "key",
      "version",
      "reason",
      "detail",
      "message",
      "day",
      "quarantinedAt",
    ],
  },
);

describe("quarantine codec", () => {
  it("reads back what it writes, listed by reason and day", () => {
    fc.assert(
      fc.property(quarantine, (q) => {
        const item = quarantineToItem(q);
        expect(item).toMatchObject({
          ...quarantineKey(q.bucket, q.key),
          type: "quarantine",
          [KEYS.byPeriod.pk]: `QUAR#${q.reason}`,
          [KEYS.byPeriod.sk]: `${q.day}#${q.bucket}/${q.key}`,
        });
        expect(quarantineFromItem(item)).toEqual(q);
      }),
    );
  });

  it("raises MalformedItemError for a record without its object", () => {
    const item = quarantineToItem(fc.sample(quarantine, { numRuns: 1, seed: 3 })[0] as Quarantine);
    const { bucket: _b, ...rest } = item;
    expect(() => quarantineFromItem(rest)).toThrow(MalformedItemError);
  });
});

describe("day counters", () => {
  it("counts quarantines per reason and duplicates, and a reprocess takes a quarantine back out", () => {
    fc.assert(
      fc.property(day, fc.array(fc.constantFrom("invalid", "unattributed", "dup")), (d, events) => {
        let item: Record<string, unknown> = {};
        for (const event of events)
          item = applyUpdate(
            item,
            dayCountersUpdate(
              d,
              event === "dup"
                ? { kind: "duplicate" }
                : { kind: "quarantined", reason: event, by: 1 },
            ),
          );
        if (events.length === 0) return;
        item = applyUpdate(
          item,
          dayCountersUpdate(d, { kind: "quarantined", reason: "invalid", by: -1 }),
        );
        const counters = dayCountersFromItem(item);
        const n = (e: string) => events.filter((x) => x === e).length;
        expect(item).toMatchObject({
          ...dayCountersKey(d),
          [KEYS.byPeriod.pk]: "COUNTERS",
          [KEYS.byPeriod.sk]: d,
        });
        expect(counters.day).toBe(d);
        expect(counters.quarantined ?? 0).toBe(n("invalid") + n("unattributed") - 1);
        expect(counters.quarantined_invalid ?? 0).toBe(n("invalid") - 1);
        expect(counters.duplicates ?? 0).toBe(n("dup"));
      }),
    );
  });
});
