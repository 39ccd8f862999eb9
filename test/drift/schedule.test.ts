import { describe, expect, it } from "vitest";
import { scheduledWeeks, weeklyEstimate } from "../../core/drift/run";
import { addItem, emptySums } from "../../shared/estimate";
import { rollupIncrements } from "../../shared/rollup";

describe("scheduledWeeks", () => {
  it("has the Monday job test the week before last and the week that just ended", () => {
    expect(scheduledWeeks(new Date("2026-11-30T06:00:00Z"))).toEqual(["2026-W47", "2026-W48"]);
    expect(scheduledWeeks(new Date("2027-01-04T06:00:00Z"))).toEqual(["2026-W52", "2026-W53"]);
  });
});

describe("weeklyEstimate", () => {
  const sums = emptySums();
  for (const [x, w] of [
    [4, 5],
    [3, 5],
    [5, 1.5],
    [2, 1.5],
    [4, 2],
  ] as const)
    addItem(
      sums,
      rollupIncrements(
        { consistency: { value: x }, scriptReliance: { value: x }, empathy: { value: x } },
        w,
      ),
      "empathy",
    );

  it("is complete once closed with at least 90% of the sample scored", () => {
    expect(weeklyEstimate("2026-W40", sums, { sampled: 5, reviewed: 5 }, true)).toMatchObject({
      estimate: sums.swx / sums.sw,
      reviewed: 5,
      complete: true,
      completeness: 1,
    });
    expect(weeklyEstimate("2026-W40", sums, { sampled: 6, reviewed: 5 }, true)).toMatchObject({
      complete: false,
      completeness: 5 / 6,
    });
    expect(weeklyEstimate("2026-W40", sums, { sampled: 5, reviewed: 5 }, false).complete).toBe(
      false,
    );
  });

  it("has nothing to wait for in a week without a sample", () => {
    expect(
      weeklyEstimate("2026-W40", emptySums(), { sampled: 0, reviewed: 0 }, true),
    ).toMatchObject({ estimate: null, complete: true, completeness: null });
  });
});
