import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentWeekArrival,
  agentWeekChannelDesign,
  agentWeekChannelFromItem,
  agentWeekChannelKey,
  agentWeekClose,
  agentWeekFromItem,
  agentWeekKey,
  KEYS,
  MalformedItemError,
  rollupSumsUpdate,
  stratumDayArrival,
  stratumDayFloorAdded,
  stratumDayFromItem,
  stratumDayKey,
} from "../../shared/items";
import { rollupIncrements } from "../../shared/rollup";
import { DIMENSIONS } from "../../shared/rubric";
import type { DimensionScore } from "../../shared/score";
import { applyUpdate } from "./apply-update";
import { channel, day, id, week } from "./arbitraries";

const arrival = fc.record({
  eligible: fc.boolean(),
  sampled: fc.boolean(),
  calibration: fc.boolean(),
});
const dimensionScore: fc.Arbitrary<DimensionScore> = fc.oneof(
  fc.integer({ min: 3, max: 5 }).map((value) => ({ value })),
  fc.constant({ na: "not applicable here" }),
);
const scores = fc.record(
  Object.fromEntries(DIMENSIONS.map((d) => [d, dimensionScore])) as Record<
    (typeof DIMENSIONS)[number],
    fc.Arbitrary<DimensionScore>
  >,
);

describe("stratum-day rollup codec", () => {
  it("counts arrivals, top-ups and score sums, and reads them back as numbers", () => {
    fc.assert(
      fc.property(
        id,
        channel,
        day,
        fc.array(arrival, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(scores, fc.double({ min: 1, max: 50, noNaN: true })), { maxLength: 4 }),
        (vendor, ch, d, arrivals, reviews) => {
          let item: Record<string, unknown> = {};
          for (const a of arrivals)
            item = applyUpdate(item, stratumDayArrival({ vendor, channel: ch, day: d }, a));
          item = applyUpdate(item, stratumDayFloorAdded(vendor, ch, d));
          for (const [s, w] of reviews)
            item = applyUpdate(
              item,
              rollupSumsUpdate(stratumDayKey(vendor, ch, d), rollupIncrements(s, w)),
            );
          expect(item).toMatchObject({
            ...stratumDayKey(vendor, ch, d),
            [KEYS.byPeriod.pk]: "STRATA",
            [KEYS.byPeriod.sk]: `${d}#${vendor}#${ch}`,
          });
          const rollup = stratumDayFromItem(item);
          expect(rollup).toMatchObject({ vendor, channel: ch, day: d, floor: 1 });
          expect(rollup.population).toBe(arrivals.length);
          expect(rollup.eligible).toBe(arrivals.filter((a) => a.eligible).length);
          expect(rollup.sampled).toBe(arrivals.filter((a) => a.sampled).length);
          expect(rollup.reviewed ?? 0).toBe(reviews.length);
          for (const dim of DIMENSIONS) {
            const valued = reviews.filter(([s]) => "value" in s[dim]);
            expect(rollup[`${dim}_n`] ?? 0).toBe(valued.length);
            expect(rollup[`${dim}_na`] ?? 0).toBe(reviews.length - valued.length);
          }
        },
      ),
    );
  });

  it("raises MalformedItemError for a sum that is not a number", () => {
    const item = applyUpdate(
      {},
      stratumDayArrival(
        { vendor: "v", channel: "chat", day: "2026-01-05" },
        { eligible: true, sampled: true, calibration: false },
      ),
    );
    expect(stratumDayFromItem(item).population).toBe(1);
    expect(() => stratumDayFromItem({ ...item, [`${DIMENSIONS[0]}_sw`]: "12" })).toThrow(
      MalformedItemError,
    );
    expect(() => stratumDayFromItem({ ...item, channel: "fax" })).toThrow(MalformedItemError);
  });
});

describe("agent-week rollup codec", () => {
  it("keeps the floor's pending tasks until they are sent, and what close recorded", () => {
    fc.assert(
      fc.property(
        id,
        id,
        week,
        fc.uniqueArray(id, { minLength: 1, maxLength: 5 }),
        (vendor, agent, w, ids) => {
          const aw = { vendor, agent, week: w };
          let item = applyUpdate(
            {},
            agentWeekArrival(aw, { eligible: true, sampled: false, calibration: false }),
          );
          item = applyUpdate(item, agentWeekClose(aw, { kind: "floor-added", taskIds: ids }));
          item = applyUpdate(
            item,
            agentWeekClose(aw, { kind: "floor-sent", taskIds: ids.slice(1) }),
          );
          item = applyUpdate(item, agentWeekClose(aw, { kind: "closed", counters: "v2:1/0/1/f1" }));
          item = applyUpdate(
            item,
            agentWeekClose(aw, { kind: "weights-fixed", signature: "sig", toppedUp: true }),
          );
          expect(item).toMatchObject({
            ...agentWeekKey(vendor, agent, w),
            [KEYS.byPeriod.pk]: `AGENTWEEK#${w}`,
            [KEYS.byPeriod.sk]: `${vendor}#${agent}`,
          });
          expect(agentWeekFromItem(item)).toMatchObject({
            vendor,
            agent,
            week: w,
            population: 1,
            eligible: 1,
            floor: 1,
            pendingFloor: new Set(ids.slice(0, 1)),
            closedCounters: "v2:1/0/1/f1",
            weightsFixedFor: "sig",
            toppedUp: true,
          });
        },
      ),
    );
  });
});

describe("agent-week × channel rollup codec", () => {
  it("reads an open week's identity from its key, and close's design once written", () => {
    fc.assert(
      fc.property(
        id.filter((s) => !s.includes("#")),
        id.filter((s) => !s.includes("#")),
        week,
        channel,
        (vendor, agent, w, ch) => {
          const key = agentWeekChannelKey(vendor, agent, w, ch);
          const open = applyUpdate({}, rollupSumsUpdate(key, { reviewed: 1 }));
          expect(agentWeekChannelFromItem(open)).toMatchObject({
            vendor,
            agent,
            week: w,
            channel: ch,
            reviewed: 1,
          });
          const closed = applyUpdate(
            open,
            agentWeekChannelDesign({
              vendor,
              agent,
              week: w,
              channel: ch,
              eligible: 4,
              stratumEligible: 9,
              toppedUp: false,
              closed: "sig",
            }),
          );
          expect(agentWeekChannelFromItem(closed)).toMatchObject({
            eligible: 4,
            stratumEligible: 9,
            toppedUp: false,
            closed: "sig",
            reviewed: 1,
          });
        },
      ),
    );
  });
});
