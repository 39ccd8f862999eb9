import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  upperIncompleteGammaQ,
  Z95,
} from "../../shared/stats/distributions";

const RUNS = 500;

/** |actual − expected| within `relative`·|expected|, plus an absolute floor for zeros. */
function expectClose(actual: number, expected: number, relative: number, absolute = 0): void {
  const tolerance = relative * Math.abs(expected) + absolute;
  expect(
    Math.abs(actual - expected),
    `${actual} vs ${expected} (tolerance ${tolerance})`,
  ).toBeLessThanOrEqual(tolerance);
}

const standardNormalDensity = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);

describe("normalCdf", () => {
  // Reference values to 16 significant digits (mpmath / R pnorm), including deep tails where
  // a naive 1 − Φ(|z|) would return 0.
  it.each([
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [-1, 0.15865525393145707],
    [0.5, 0.6914624612740131],
    [-0.7, 0.24196365222307303],
    [3, 0.9986501019683699],
    [6, 0.9999999990134123],
    [-5, 2.866515718791933e-7],
    [-10, 7.61985302416047e-24],
    [-20, 2.7536241186061556e-89],
    [-37.5, 4.605353009581954e-308],
  ])("Φ(%d) = %d to 12 significant digits", (z, expected) => {
    expectClose(normalCdf(z), expected, 1e-12);
  });

  it("is 0.9750021 at 1.96, the familiar 95% two-sided point", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
  });

  it("reaches exactly 0 and 1 at the infinities", () => {
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it("throws a RangeError on NaN instead of propagating it", () => {
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
  });

  it("is symmetric: Φ(z) + Φ(−z) = 1", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (z) => {
        expectClose(normalCdf(z) + normalCdf(-z), 1, 0, 2e-16);
      }),
      { numRuns: RUNS },
    );
  });

  it("is non-decreasing, across the approximation's region boundaries too", () => {
    const boundaryArb = fc.constantFrom(-Math.sqrt(32), -0.66291, 0, 0.66291, Math.sqrt(32));
    const nearBoundaryArb = fc
      .tuple(boundaryArb, fc.double({ min: -1e-6, max: 1e-6, noNaN: true }))
      .map(([b, d]) => b + d);
    const zArb = fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), nearBoundaryArb);
    fc.assert(
      fc.property(zArb, zArb, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(normalCdf(lo)).toBeLessThanOrEqual(normalCdf(hi));
      }),
      { numRuns: RUNS },
    );
  });

  it("has the standard normal density as its derivative", () => {
    // Central difference: truncation error ~h²·φ'''/6, far below the tolerance at h = 1e-4.
    const h = 1e-4;
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        const slope = (normalCdf(z + h) - normalCdf(z - h)) / (2 * h);
        expectClose(slope, standardNormalDensity(z), 1e-6, 1e-11);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("normalQuantile", () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.3, -0.5244005127080409],
    [0.02425, -1.972961051311885],
    [0.9999999, 5.199337582290661],
    [1e-10, -6.361340902404056],
    [1e-300, -37.0470962993612],
    // Subnormal p: the refinement step works in logs, where p and φ(x) underflow.
    [1e-310, -37.663060331949524],
    [Number.MIN_VALUE, -38.467405617144344],
  ])("Φ⁻¹(%d) = %d to 12 significant digits", (p, expected) => {
    expectClose(normalQuantile(p), expected, 1e-12);
  });

  it("gives 1.959964 at 0.975, and Z95 is that value", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(Z95).toBe(normalQuantile(0.975));
    expect(Z95).toBeCloseTo(1.959964, 6);
  });

  it("is ∓∞ at 0 and 1", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY])(
    "throws a RangeError for p = %d",
    (p) => {
      expect(() => normalQuantile(p)).toThrow(RangeError);
    },
  );

  it("inverts normalCdf: Φ(Φ⁻¹(p)) = p", () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1, maxExcluded: true, noNaN: true }),
        (p) => {
          // Relative accuracy in the lower half, down to subnormal p; above one half Φ(z) is
          // 1 − Φ(−z), which is only good to an ulp of 1.
          const floor = p > 0.5 ? 2 ** -53 : 1e-322;
          expectClose(normalCdf(normalQuantile(p)), p, 0, 1e-12 * Math.min(p, 1 - p) + floor);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("is a left inverse of normalCdf: Φ⁻¹(Φ(z)) = z", () => {
    // Above z ≈ 5 Φ(z) is too close to 1 for a double to pin z down; below, it is exact-ish.
    fc.assert(
      fc.property(fc.double({ min: -37, max: 5, noNaN: true }), (z) => {
        expectClose(normalQuantile(normalCdf(z)), z, 1e-10, 1e-9);
      }),
      { numRuns: RUNS },
    );
  });

  it("is non-decreasing, across Acklam's region boundaries too", () => {
    const nearBoundaryArb = fc
      .tuple(
        fc.constantFrom(0.02425, 0.5, 0.97575),
        fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
      )
      .map(([b, d]) => b + d);
    const pArb = fc.oneof(
      fc.double({ min: Number.MIN_VALUE, max: 1, maxExcluded: true, noNaN: true }),
      nearBoundaryArb,
    );
    fc.assert(
      fc.property(pArb, pArb, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(normalQuantile(lo)).toBeLessThanOrEqual(normalQuantile(hi));
      }),
      { numRuns: RUNS },
    );
  });

  it("is antisymmetric: Φ⁻¹(p) = −Φ⁻¹(1 − p)", () => {
    // 1 − p is exact for p in [0.5, 1), so the identity can be checked to the last digit.
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1, maxExcluded: true, noNaN: true }), (p) => {
        expectClose(normalQuantile(p), -normalQuantile(1 - p), 1e-15, 1e-300);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("logGamma", () => {
  it.each([
    [1, 0],
    [2, 0],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [3.5, Math.log((15 / 8) * Math.sqrt(Math.PI))],
    [10, Math.log(362_880)],
    [100, 359.1342053695754],
    [0.001, 6.907178885383853],
  ])("ln Γ(%d) = %d", (x, expected) => {
    expectClose(logGamma(x), expected, 1e-13, 1e-14);
  });

  it("satisfies ln Γ(x + 1) = ln Γ(x) + ln x", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (x) => {
        expectClose(logGamma(x + 1), logGamma(x) + Math.log(x), 1e-12, 1e-12);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("throws a RangeError for %d", (x) => {
    expect(() => logGamma(x)).toThrow(RangeError);
  });
});

describe("chiSquareSurvival", () => {
  it.each([
    [3.841459, 1],
    [5.991465, 2],
    [11.0705, 5],
  ])("P(χ² ≥ %d | df = %d) is 0.05, the tabulated 5% critical value", (x, df) => {
    expect(Math.abs(chiSquareSurvival(x, df) - 0.05)).toBeLessThan(1e-7);
  });

  it.each([
    [11.070497693516351, 5, 0.05],
    [0.5, 3, 0.9188914116546758],
    [30, 10, 0.000856641210775301],
    [60, 10, 3.6243009520614924e-9],
    [100, 50, 3.454931382984871e-5],
    [1000, 1000, 0.49405285382923964],
    [0.001, 0.5, 0.8350402492315872],
  ])("P(χ² ≥ %d | df = %d) = %d to 10 significant digits", (x, df, expected) => {
    expectClose(chiSquareSurvival(x, df), expected, 1e-10);
  });

  it.each([1, 2, 5, 0.5, 1000])("is 1 at x = 0 and below, and 0 at +∞ (df = %d)", (df) => {
    expect(chiSquareSurvival(0, df)).toBe(1);
    expect(chiSquareSurvival(-3, df)).toBe(1);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, df)).toBe(0);
  });

  it("matches the closed forms for df = 1, 2, 3 and 4", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 300, noNaN: true }), (x) => {
        const tail = normalCdf(-Math.sqrt(x));
        const e = Math.exp(-x / 2);
        expectClose(chiSquareSurvival(x, 1), 2 * tail, 1e-10, 1e-300);
        expectClose(chiSquareSurvival(x, 2), e, 1e-10, 1e-300);
        expectClose(
          chiSquareSurvival(x, 3),
          2 * tail + Math.sqrt((2 * x) / Math.PI) * e,
          1e-10,
          1e-300,
        );
        expectClose(chiSquareSurvival(x, 4), e * (1 + x / 2), 1e-10, 1e-300);
      }),
      { numRuns: RUNS },
    );
  });

  it("decreases in x and increases in df (up to rounding)", () => {
    const xArb = fc.double({ min: 0, max: 500, noNaN: true });
    const dfArb = fc.double({ min: 0.1, max: 300, noNaN: true });
    fc.assert(
      fc.property(xArb, xArb, dfArb, dfArb, (x1, x2, df1, df2) => {
        const [xLo, xHi] = x1 <= x2 ? [x1, x2] : [x2, x1];
        const [dfLo, dfHi] = df1 <= df2 ? [df1, df2] : [df2, df1];
        // The series and the continued fraction agree to ~1e-13 where they meet.
        const slack = 1e-12;
        expect(chiSquareSurvival(xHi, dfLo)).toBeLessThanOrEqual(
          chiSquareSurvival(xLo, dfLo) + slack,
        );
        expect(chiSquareSurvival(xLo, dfLo)).toBeLessThanOrEqual(
          chiSquareSurvival(xLo, dfHi) + slack,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("stays a probability", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        (x, df) => {
          const p = chiSquareSurvival(x, df);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "throws a RangeError for df = %d",
    (df) => {
      expect(() => chiSquareSurvival(1, df)).toThrow(RangeError);
    },
  );

  it("throws a RangeError for x = NaN", () => {
    expect(() => chiSquareSurvival(Number.NaN, 3)).toThrow(RangeError);
  });

  it("is Q(df/2, x/2), the regularized upper incomplete gamma", () => {
    expect(chiSquareSurvival(7.3, 4)).toBe(upperIncompleteGammaQ(2, 3.65));
    expectClose(upperIncompleteGammaQ(1, 2.5), Math.exp(-2.5), 1e-13);
    expect(() => upperIncompleteGammaQ(1, -1)).toThrow(RangeError);
  });
});
