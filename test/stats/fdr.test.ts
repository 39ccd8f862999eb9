import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { benjaminiHochberg, bhAdjusted } from "../../shared/stats/fdr";
import { seededRandom, withPermutation } from "./helpers";

const RUNS = 300;
const pValueArb = fc.double({ min: 0, max: 1, noNaN: true });
const pValuesArb = fc.array(pValueArb, { maxLength: 60 });
const qArb = fc.double({ min: 0.001, max: 1, noNaN: true });

describe("benjaminiHochberg", () => {
  it("rejects the four smallest of the textbook five at q = 0.05", () => {
    // Sorted: 0.005 ≤ 0.01, 0.01 ≤ 0.02, 0.03 ≤ 0.03, 0.04 ≤ 0.04, 0.5 > 0.05.
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5], 0.05)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("rejects four of Benjamini & Hochberg's (1995) fifteen p-values at q = 0.05", () => {
    const pValues = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719,
      0.6528, 0.759, 1,
    ];
    const rejected = benjaminiHochberg(pValues, 0.05);
    expect(rejected.filter(Boolean)).toHaveLength(4);
    expect(rejected.slice(0, 4)).toEqual([true, true, true, true]);
  });

  it("steps up: a qualifying larger rank carries smaller ranks that miss their own bound", () => {
    // Bounds k·q/m: 0.0125, 0.025, 0.0375, 0.05. Only the largest p meets its bound; once it
    // misses, so does everything.
    expect(benjaminiHochberg([0.045, 0.02, 0.035, 0.03], 0.05)).toEqual([true, true, true, true]);
    expect(benjaminiHochberg([0.06, 0.02, 0.04, 0.03], 0.05)).toEqual([false, false, false, false]);
  });

  it("treats tied p-values alike", () => {
    expect(benjaminiHochberg([0.03, 0.03, 0.03], 0.05)).toEqual([true, true, true]);
    expect(benjaminiHochberg([0.2, 0.01, 0.2], 0.05)).toEqual([false, true, false]);
  });

  it("returns an empty array for no hypotheses", () => {
    expect(benjaminiHochberg([], 0.05)).toEqual([]);
  });

  it.each([0, -0.1, 1.5, Number.NaN])("throws a RangeError for q = %d", (q) => {
    expect(() => benjaminiHochberg([0.01], q)).toThrow(RangeError);
  });

  it.each([-0.01, 1.01, Number.NaN])("throws a RangeError for a p-value of %d", (p) => {
    expect(() => benjaminiHochberg([0.01, p], 0.05)).toThrow(RangeError);
  });

  it("rejects nothing when every p-value exceeds q", () => {
    fc.assert(
      fc.property(qArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true })), (q, raw) => {
        const pValues = raw.map((u) => q + (1 - q) * u).filter((p) => p > q);
        expect(benjaminiHochberg(pValues, q).some(Boolean)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("rejects exactly the k smallest, k the largest rank with p₍ₖ₎ ≤ k·q/m", () => {
    fc.assert(
      fc.property(pValuesArb, qArb, (pValues, q) => {
        const rejected = benjaminiHochberg(pValues, q);
        const m = pValues.length;
        const k = rejected.filter(Boolean).length;
        const sorted = [...pValues].sort((a, b) => a - b);
        if (k > 0) expect(sorted[k - 1]).toBeLessThanOrEqual((k * q) / m);
        for (let j = k + 1; j <= m; j++) expect(sorted[j - 1]).toBeGreaterThan((j * q) / m);
        // A lower set: nothing with a smaller p-value than a rejected one is kept.
        for (const [i, p] of pValues.entries()) {
          if (rejected[i]) continue;
          for (const [j, other] of pValues.entries())
            if (rejected[j]) expect(other).toBeLessThan(p);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order of the hypotheses", () => {
    fc.assert(
      fc.property(withPermutation(pValuesArb), qArb, ({ items, permutation }, q) => {
        const permuted = permutation.map((i) => items[i] ?? Number.NaN);
        const rejected = benjaminiHochberg(items, q);
        expect(benjaminiHochberg(permuted, q)).toEqual(permutation.map((i) => rejected[i]));
      }),
      { numRuns: RUNS },
    );
  });

  it("under the global null rejects anything in about a fraction q of studies", () => {
    // With independent uniform p-values and every hypothesis null, BH's chance of any
    // rejection is exactly q; 2000 studies put the estimate within ±0.015 of 0.05 (3 SE).
    const random = seededRandom(20_261_102);
    const studies = 2000;
    let withRejection = 0;
    for (let s = 0; s < studies; s++) {
      const pValues = Array.from({ length: 50 }, random);
      if (benjaminiHochberg(pValues, 0.05).some(Boolean)) withRejection += 1;
    }
    expect(withRejection / studies).toBeGreaterThan(0.035);
    expect(withRejection / studies).toBeLessThan(0.065);
  });
});

describe("bhAdjusted", () => {
  it("adjusts the textbook five as R's p.adjust(method = 'BH') does", () => {
    const adjusted = bhAdjusted([0.01, 0.04, 0.03, 0.005, 0.5]);
    const expected = [0.025, 0.05, 0.05, 0.025, 0.5];
    for (const [i, value] of expected.entries()) expect(adjusted[i]).toBeCloseTo(value, 12);
  });

  it("takes the running minimum from the top, so adjusted values never cross", () => {
    // m·p/rank: 0.05/1 … the 0.04 at rank 2 gives 0.06, but the 0.03 at rank 3 caps it at 0.03.
    const adjusted = bhAdjusted([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.04, 12);
    expect(adjusted[2]).toBeCloseTo(0.04, 12);
  });

  it("never exceeds 1, even where m·p/rank does", () => {
    expect(bhAdjusted([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(bhAdjusted([1, 1, 1])).toEqual([1, 1, 1]);
  });

  it("returns an empty array for no hypotheses", () => {
    expect(bhAdjusted([])).toEqual([]);
  });

  it("throws a RangeError for a p-value outside [0, 1]", () => {
    expect(() => bhAdjusted([0.2, 2])).toThrow(RangeError);
  });

  it("is at least p, at most 1, and monotone in p", () => {
    fc.assert(
      fc.property(pValuesArb, (pValues) => {
        const adjusted = bhAdjusted(pValues);
        expect(adjusted).toHaveLength(pValues.length);
        for (const [i, p] of pValues.entries()) {
          const a = adjusted[i] ?? Number.NaN;
          expect(a).toBeGreaterThanOrEqual(p);
          expect(a).toBeLessThanOrEqual(1);
          for (const [j, other] of pValues.entries()) {
            if (other <= p) expect(adjusted[j]).toBeLessThanOrEqual(a);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order of the hypotheses", () => {
    fc.assert(
      fc.property(withPermutation(pValuesArb), ({ items, permutation }) => {
        const adjusted = bhAdjusted(items);
        expect(bhAdjusted(permutation.map((i) => items[i] ?? Number.NaN))).toEqual(
          permutation.map((i) => adjusted[i]),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("agrees with benjaminiHochberg: rejected exactly when the adjusted p-value ≤ q", () => {
    fc.assert(
      fc.property(pValuesArb, qArb, (pValues, q) => {
        const adjusted = bhAdjusted(pValues);
        // m·p/k ≤ q and p ≤ k·q/m can round differently when they are equal.
        fc.pre(adjusted.every((a) => Math.abs(a - q) > 1e-12));
        expect(benjaminiHochberg(pValues, q)).toEqual(adjusted.map((a) => a <= q));
      }),
      { numRuns: RUNS },
    );
  });
});
