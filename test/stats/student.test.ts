import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fSurvival,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from "../../shared/stats/student";

describe("regularizedBeta", () => {
  it("matches the closed forms I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.1, max: 40, noNaN: true }),
        (x, a) => {
          expect(regularizedBeta(x, a, 1)).toBeCloseTo(x ** a, 12);
          expect(regularizedBeta(x, 1, a)).toBeCloseTo(1 - (1 - x) ** a, 12);
        },
      ),
    );
  });

  it("is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a), and I_½(a, a) = ½", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        (x, a, b) => {
          expect(regularizedBeta(x, a, b)).toBeCloseTo(1 - regularizedBeta(1 - x, b, a), 11);
          expect(regularizedBeta(0.5, a, a)).toBeCloseTo(0.5, 12);
        },
      ),
    );
  });

  it("refuses arguments outside its domain", () => {
    expect(() => regularizedBeta(1.2, 1, 1)).toThrow(RangeError);
    expect(() => regularizedBeta(0.5, 0, 1)).toThrow(RangeError);
    expect(() => regularizedBeta(Number.NaN, 1, 1)).toThrow(RangeError);
  });
});

describe("studentTCdf and studentTQuantile", () => {
  it("reproduces the published two-sided 95% critical values", () => {
    // Standard t tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    const table: Array<[number, number]> = [
      [1, 12.7062047362],
      [2, 4.30265272975],
      [5, 2.57058183564],
      [10, 2.22813885196],
      [30, 2.0422724563],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 8);
    expect(studentTQuantile(0.95, 3)).toBeCloseTo(2.3533634348, 8);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959963985, 8);
  });

  it("matches the closed forms for 1 and 2 degrees of freedom", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (t) => {
        expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
        expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
      }),
    );
  });

  it("inverts its own distribution function, for fractional df too", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, df) => {
          expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
        },
      ),
    );
  });

  it("refuses p outside (0, 1) and df ≤ 0", () => {
    expect(() => studentTQuantile(0, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(RangeError);
  });
});

describe("fSurvival", () => {
  it("reproduces the published upper 5% points", () => {
    expect(fSurvival(4.102821, 2, 10)).toBeCloseTo(0.05, 6);
    expect(fSurvival(3.098391, 3, 20)).toBeCloseTo(0.05, 6);
    expect(fSurvival(0, 3, 20)).toBe(1);
  });

  it("is the squared t-test for one numerator degree of freedom", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        (t, df) => {
          expect(fSurvival(t * t, 1, df)).toBeCloseTo(2 * studentTCdf(-t, df), 10);
        },
      ),
    );
  });
});
