import { describe, expect, it } from "vitest";
import {
  DRIFT_DEFAULTS,
  detectDrift,
  historyWeeks,
  type SeriesInput,
  testSeries,
  type WeeklyEstimate,
} from "../../core/drift/detect";

const label = (i: number) => `2026-W${String(i + 1).padStart(2, "0")}`;

/** Weeks with these estimates, each with se 0.1 from 10 reviews, closed and fully scored. */
function weeks(estimates: ReadonlyArray<number | null>, se = 0.1): WeeklyEstimate[] {
  return estimates.map((estimate, i) => ({
    week: label(i),
    estimate,
    se: estimate === null ? null : se,
    reviewed: estimate === null ? 0 : 10,
    complete: true,
    completeness: 1,
  }));
}

const series = (estimates: ReadonlyArray<number | null>, se?: number): SeriesInput => ({
  id: "v|chat|empathy",
  weeks: weeks(estimates, se),
});

/** Six baseline weeks alternating 3.0 and 3.2: mean 3.1, spread 0.012, sampling variance 0.01. */
const CALM = [3.0, 3.2, 3.0, 3.2, 3.0, 3.2];

describe("testSeries", () => {
  it("compares a week with the baseline using sampling plus week-to-week variance", () => {
    const v = testSeries(series([...CALM, 2.5]));
    expect(v.status).toBe("tested");
    // τ² = 0.012 − 0.01; a week's variance 0.012; the baseline mean's 0.012 / 6.
    expect(v.baseline?.estimate).toBeCloseTo(3.1, 12);
    expect(v.baseline?.weekToWeekSd).toBeCloseTo(Math.sqrt(0.002), 12);
    expect(v.baseline?.se).toBeCloseTo(Math.sqrt(0.002), 12);
    expect(v.baseline).toMatchObject({ weeks: 6, from: "2026-W01", to: "2026-W06" });
    expect(v.z).toBeCloseTo(-5.0709255, 6);
    expect(v.scanZ).toBeCloseTo(-5.0709255, 6);
    expect(v.since).toBe("2026-W07");
    expect(v.change).toBeCloseTo(-0.6, 12);
    expect(v.pValue).toBeCloseTo(1.97943e-7, 10);
    expect(v.current).toEqual({ estimate: 2.5, se: 0.1 });
    expect(v.alert).toBe(true);
  });

  it("does not alert on a dip within what the baseline's weeks vary by", () => {
    expect(testSeries(series([...CALM, 2.9]))).toMatchObject({ alert: false, status: "tested" });
    expect(testSeries(series([...CALM, 2.9])).z).toBeCloseTo(-1.6903085, 6);
    // The same 0.6-point drop after a baseline whose weeks swing by ±0.4 is ordinary.
    const v = testSeries(series([2.7, 3.5, 2.7, 3.5, 2.7, 3.5, 2.5]));
    expect(v.baseline?.weekToWeekSd).toBeCloseTo(Math.sqrt(0.182), 12);
    expect(v.z).toBeCloseTo(-1.2677314, 6);
    expect(v.alert).toBe(false);
  });

  it("catches a sustained decline no single week of which would alert", () => {
    // 16 weeks: the baseline is the first 8, the window the last 8, the decline the last 4.
    const v = testSeries(series([...CALM, 3.0, 3.2, 3.0, 3.2, 3.0, 3.2, 2.85, 2.85, 2.85, 2.85]));
    expect(v.baseline).toMatchObject({ weeks: 8, from: "2026-W01", to: "2026-W08" });
    expect(v.z).toBeCloseTo(-2.2047928, 6);
    expect(v.z ?? 0).toBeGreaterThan(-DRIFT_DEFAULTS.threshold);
    expect(v.scanZ).toBeCloseTo(-3.8188131, 6);
    expect(v.since).toBe("2026-W13");
    expect(v.change).toBeCloseTo(-0.25, 12);
    expect(v.pValue).toBeCloseTo(Math.min(1, 8 * 6.7e-5), 3);
    expect(v.alert).toBe(true);
  });

  it("never alerts on a flat series that wobbles by three times its standard error", () => {
    const wobble = Array.from({ length: 60 }, (_, i) => 3.4 + 0.3 * Math.sin(1.7 * i));
    const span = historyWeeks();
    for (let t = 0; t < wobble.length; t++) {
      const v = testSeries(series(wobble.slice(Math.max(0, t + 1 - span), t + 1)));
      expect(v.alert, `week ${t + 1}`).toBe(false);
      if (t >= 6) expect(v.status).toBe("tested");
    }
  });

  it("alerts in the first week of a 1.2-point step in a noisy series", () => {
    const noisy = Array.from({ length: 30 }, (_, i) => 3.4 + 0.3 * Math.sin(1.7 * i));
    const v = testSeries(series([...noisy, noisy[0] !== undefined ? noisy[0] - 1.2 : 0]));
    expect(v.alert).toBe(true);
    expect(v.since).toBe(label(30));
    expect(testSeries(series([...noisy, noisy[0] ?? 0])).alert).toBe(false);
  });

  it("holds a week back until it is complete, and leaves incomplete weeks out of the baseline", () => {
    const held = series([...CALM, 2.5]);
    const last = held.weeks.at(-1);
    if (last) Object.assign(last, { complete: false, completeness: 0.4 });
    expect(testSeries(held)).toMatchObject({
      status: "incomplete",
      alert: false,
      completeness: 0.4,
      z: null,
    });

    const withHole = (value: number) => {
      const s = series([...CALM, 3.1, 3.1, value, 2.5]);
      const hole = s.weeks[8];
      if (hole) hole.complete = false;
      return testSeries(s);
    };
    expect(withHole(1)).toEqual(withHole(5));
  });

  it("needs five reviews in the tested week and six usable baseline weeks", () => {
    const thin = series([...CALM, 2.5]);
    const last = thin.weeks.at(-1);
    if (last) last.reviewed = 4;
    expect(testSeries(thin)).toMatchObject({ status: "insufficient", alert: false });
    expect(testSeries(series([3.0, 3.2, 3.0, 3.2, 3.0, 2.5]))).toMatchObject({
      status: "insufficient",
      alert: false,
    });
    // Empty weeks before the first data are not history.
    expect(testSeries(series([null, null, null, ...CALM, 2.5]))).toMatchObject({
      status: "tested",
      since: "2026-W10",
    });
  });

  it("divides by the pooled per-review variance, not by a week's own small standard error", () => {
    const s = series([...CALM, 2.9]);
    const last = s.weeks.at(-1);
    if (last) last.se = 0.001;
    const v = testSeries(s);
    expect(v.z).toBeCloseTo(-1.6903085, 6);
    expect(v.alert).toBe(false);
    expect(v.current?.se).toBe(0.001);
  });

  it("reports a series whose reviews never vary as insufficient", () => {
    expect(testSeries(series([3, 3, 3, 3, 3, 3, 3], 0))).toMatchObject({
      status: "insufficient",
      alert: false,
      baseline: null,
    });
  });
});

describe("detectDrift", () => {
  it("tests every series at its last week", () => {
    const verdicts = detectDrift([
      { ...series([...CALM, 2.5]), id: "a" },
      { ...series([...CALM, 3.1]), id: "b" },
    ]);
    expect(verdicts.map((v) => [v.id, v.week, v.alert])).toEqual([
      ["a", "2026-W07", true],
      ["b", "2026-W07", false],
    ]);
  });
});
