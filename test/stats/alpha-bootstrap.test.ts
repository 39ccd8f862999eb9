import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { krippendorffAlphaOrdinal } from "../../shared/stats/agreement";
import { bootstrapAlphaOrdinal, MIN_BOOTSTRAP_UNITS } from "../../shared/stats/alpha-bootstrap";
import { alphaVerdict, MIN_ALPHA_UNITS } from "../../shared/stats/alpha-verdict";
import {
  calibrationData,
  KRIPPENDORFF_C,
  normalDraw,
  seededRandom,
  withPermutation,
} from "./helpers";

/** Up to 40 units of 2–4 coders, scores 1–5, some missing. */
const unitsArb = fc.array(
  fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 5 }), {
    minLength: 2,
    maxLength: 4,
  }),
  { minLength: 1, maxLength: 40 },
);

const values = (units: Array<Array<{ value: number }>>) => units.map((u) => u.map((r) => r.value));

describe("bootstrapAlphaOrdinal", () => {
  it("reports the same alpha, units and pairable values as krippendorffAlphaOrdinal", () => {
    fc.assert(
      fc.property(unitsArb, (units) => {
        const plain = krippendorffAlphaOrdinal(units);
        const withInterval = bootstrapAlphaOrdinal(units, { resamples: 50 });
        expect(withInterval.units).toBe(plain.units);
        expect(withInterval.pairable).toBe(plain.pairable);
        if (plain.alpha === null) expect(withInterval.alpha).toBeNull();
        else expect(withInterval.alpha).toBeCloseTo(plain.alpha, 10);
      }),
    );
  });

  it("gives Krippendorff's example C (11 pairable units) the wide interval it deserves: about 0.44 to 1.00", () => {
    const percentile = bootstrapAlphaOrdinal(KRIPPENDORFF_C, {
      method: "percentile",
      resamples: 20_000,
    });
    expect(percentile.alpha).toBeCloseTo(0.815, 3);
    expect(percentile.ci95?.[0]).toBeGreaterThan(0.42);
    expect(percentile.ci95?.[0]).toBeLessThan(0.47);
    expect(percentile.ci95?.[1]).toBe(1);
    // BCa corrects for the skew near 1; the interval stays wide and holds the estimate.
    const bca = bootstrapAlphaOrdinal(KRIPPENDORFF_C);
    expect(bca.ci95?.[0]).toBeLessThan(0.5);
    expect(bca.ci95?.[1]).toBeGreaterThan(0.9);
    expect(bca.resamples).toBe(2_000);
  });

  it("is reproducible: the same units in any order give the same interval", () => {
    fc.assert(
      fc.property(withPermutation(unitsArb), ({ items, permutation }) => {
        const reordered = permutation.map((i) => items[i] ?? []);
        expect(bootstrapAlphaOrdinal(reordered, { resamples: 200 })).toEqual(
          bootstrapAlphaOrdinal(items, { resamples: 200 }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("moves its ends only by Monte Carlo error from one seed to another", () => {
    const severities = Array.from({ length: 12 }, () => 0);
    const data = values(calibrationData(seededRandom(3), 50, severities));
    const a = bootstrapAlphaOrdinal(data, { seed: 1 });
    const b = bootstrapAlphaOrdinal(data, { seed: 2 });
    expect(a.ci95).not.toEqual(b.ci95);
    expect(Math.abs((a.ci95?.[0] ?? 0) - (b.ci95?.[0] ?? 9))).toBeLessThan(0.03);
    expect(Math.abs((a.ci95?.[1] ?? 0) - (b.ci95?.[1] ?? 9))).toBeLessThan(0.03);
  });

  it("gives no interval below the minimum of units or when alpha is undefined", () => {
    const few = values(calibrationData(seededRandom(4), MIN_BOOTSTRAP_UNITS - 1, [0, 0, 0, 0]));
    expect(bootstrapAlphaOrdinal(few)).toMatchObject({ ci95: null, resamples: 0 });
    expect(
      bootstrapAlphaOrdinal([
        [3, 3],
        [3, 3],
        [3, 3],
        [3, 3],
        [3, 3],
        [3, 3],
      ]),
    ).toMatchObject({ alpha: null, ci95: null });
  });

  it("covers the true alpha about 95% of the time at 50 units (fixed seed)", () => {
    const uniform = seededRandom(11);
    const severities = Array.from({ length: 12 }, () => 0.25 * normalDraw(uniform));
    const truth = krippendorffAlphaOrdinal(values(calibrationData(uniform, 100_000, severities)))
      .alpha as number;
    const reps = 300;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const a = bootstrapAlphaOrdinal(values(calibrationData(uniform, 50, severities)), {
        resamples: 1_000,
        seed: r,
      });
      if (a.ci95 && a.ci95[0] <= truth && truth <= a.ci95[1]) covered += 1;
    }
    // 300 replications: a binomial 95% band of about ±2.5 points around 95%.
    expect(covered / reps).toBeGreaterThan(0.91);
    expect(covered / reps).toBeLessThan(0.99);
  });

  it("refuses a resample count that is not a positive integer", () => {
    expect(() => bootstrapAlphaOrdinal(KRIPPENDORFF_C, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapAlphaOrdinal(KRIPPENDORFF_C, { resamples: 2.5 })).toThrow(RangeError);
  });
});

describe("alphaVerdict", () => {
  const enough = MIN_ALPHA_UNITS;
  it("follows the interval's lower end, not the point estimate", () => {
    expect(alphaVerdict({ alpha: 0.9, units: enough, ci95: [0.82, 0.95] })).toBe("good");
    expect(alphaVerdict({ alpha: 0.85, units: enough, ci95: [0.7, 0.93] })).toBe("tentative");
    expect(alphaVerdict({ alpha: 0.72, units: enough, ci95: [0.6, 0.81] })).toBe("uncertain");
    expect(alphaVerdict({ alpha: 0.5, units: enough, ci95: [0.38, 0.62] })).toBe("low");
  });

  it("gives no verdict below the minimum of units, however good alpha looks", () => {
    expect(alphaVerdict({ alpha: 0.95, units: enough - 1, ci95: [0.9, 0.99] })).toBe(
      "insufficient",
    );
    expect(alphaVerdict({ alpha: null, units: 100, ci95: null })).toBe("insufficient");
    expect(alphaVerdict({ alpha: 0.9, units: 100, ci95: null })).toBe("insufficient");
  });
});
