import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  krippendorffAlphaNominal,
  krippendorffAlphaOrdinal,
  type Rating,
  type ReviewerRating,
  reviewerSeverity,
} from "../../shared/stats/agreement";
import { byUnit, KRIPPENDORFF_C, seededRandom, withPermutation } from "./helpers";

const RUNS = 200;
const _ = null;

// Krippendorff (2011), example A: two observers, ten units, binary values; published α = 0.095.
// With two categories every metric is the nominal one.
const KRIPPENDORFF_A = byUnit([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]);

/**
 * Ordinal alpha by its pairwise definition, α = 1 − D_o/D_e: D_o averages δ² over pairs of
 * values within a unit (each unit weighted 1/(m_u − 1)), D_e over all pairs of pairable values.
 * An independent route to the value the module gets from the coincidence matrix.
 */
function pairwiseOrdinalAlpha(units: Rating[][]): number {
  const pairable = units
    .map((unit) => unit.filter((v): v is number => v !== null && v !== undefined))
    .filter((values) => values.length >= 2);
  const all = pairable.flat();
  const n = all.length;
  const count = (g: number) => all.filter((v) => v === g).length;
  const delta2 = (a: number, b: number) => {
    if (a === b) return 0;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const between = all.filter((v) => v >= lo && v <= hi).length;
    return (between - (count(lo) + count(hi)) / 2) ** 2;
  };
  let observed = 0;
  for (const values of pairable) {
    let sum = 0;
    for (const [i, a] of values.entries()) {
      for (const [j, b] of values.entries()) if (i !== j) sum += delta2(a, b);
    }
    observed += sum / (values.length - 1);
  }
  let expected = 0;
  for (const [i, a] of all.entries()) {
    for (const [j, b] of all.entries()) if (i !== j) expected += delta2(a, b);
  }
  return 1 - (observed / n) * ((n * (n - 1)) / expected);
}

/** Small reliability data: up to 12 units of up to 5 coders, scores 1–5, some missing. */
const unitsArb = fc.array(
  fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }), {
    minLength: 1,
    maxLength: 5,
  }),
  { minLength: 1, maxLength: 12 },
);

function expectSameAlpha(actual: number | null, expected: number | null): void {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 10);
}

describe("krippendorffAlphaOrdinal", () => {
  it("reproduces Krippendorff's (2011) ordinal α = 0.815 on his example with missing data", () => {
    const result = krippendorffAlphaOrdinal(KRIPPENDORFF_C);
    expect(result.alpha).toBeCloseTo(0.815, 3);
    // Unit 12 has a single value, so 11 units and 40 pairable values remain.
    expect(result.units).toBe(11);
    expect(result.pairable).toBe(40);
  });

  it("reproduces α = 0.095 on Krippendorff's binary two-observer example", () => {
    const result = krippendorffAlphaOrdinal(KRIPPENDORFF_A);
    expect(result.alpha).toBeCloseTo(0.095, 3);
    expect(result).toMatchObject({ units: 10, pairable: 20 });
  });

  it("is 1 under perfect agreement", () => {
    expect(
      krippendorffAlphaOrdinal([
        [1, 1, 1],
        [3, 3],
        [5, _, 5],
        [2, 2],
      ]).alpha,
    ).toBe(1);
  });

  it("is null when there is nothing to disagree about", () => {
    expect(krippendorffAlphaOrdinal([])).toEqual({ alpha: null, pairable: 0, units: 0 });
    expect(krippendorffAlphaOrdinal([[3, _], [_, 4], [5]])).toEqual({
      alpha: null,
      pairable: 0,
      units: 0,
    });
    // One value overall: agreement is perfect but undefined, not 1.
    expect(
      krippendorffAlphaOrdinal([
        [4, 4],
        [4, 4, 4],
      ]),
    ).toEqual({
      alpha: null,
      pairable: 5,
      units: 2,
    });
  });

  it("ignores units fewer than two coders rated, including their values", () => {
    const withLoneValues = [...KRIPPENDORFF_C, [_, 1, _, _], [5, undefined]];
    expect(krippendorffAlphaOrdinal(withLoneValues)).toEqual(
      krippendorffAlphaOrdinal(KRIPPENDORFF_C),
    );
  });

  it("penalises a disagreement by how many values lie between the two ranks", () => {
    const agreed = [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ];
    const near = krippendorffAlphaOrdinal([...agreed, [2, 3]]).alpha ?? Number.NaN;
    const far = krippendorffAlphaOrdinal([...agreed, [1, 5]]).alpha ?? Number.NaN;
    expect(near).toBeGreaterThan(far);
    expect(near).toBeLessThan(1);
    // The nominal metric sees both disagreements alike.
    expect(krippendorffAlphaNominal([...agreed, [2, 3]]).alpha).toBeCloseTo(
      krippendorffAlphaNominal([...agreed, [1, 5]]).alpha ?? Number.NaN,
      12,
    );
  });

  it("throws a RangeError for a value that is not a finite number", () => {
    expect(() => krippendorffAlphaOrdinal([[1, Number.NaN]])).toThrow(RangeError);
    expect(() => krippendorffAlphaOrdinal([[1, Number.POSITIVE_INFINITY]])).toThrow(RangeError);
  });

  it("matches the pairwise definition of α on random data with missing values", () => {
    fc.assert(
      fc.property(unitsArb, (units) => {
        const { alpha } = krippendorffAlphaOrdinal(units);
        fc.pre(alpha !== null);
        expect(alpha).toBeCloseTo(pairwiseOrdinalAlpha(units), 10);
      }),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order of coders within a unit or of the units", () => {
    const reorderedArb = unitsArb.chain((units) =>
      fc.tuple(
        fc.constant(units),
        fc.tuple(
          ...units.map((unit) =>
            fc.shuffledSubarray(unit, { minLength: unit.length, maxLength: unit.length }),
          ),
        ),
        fc.shuffledSubarray(
          units.map((_unused, i) => i),
          { minLength: units.length, maxLength: units.length },
        ),
      ),
    );
    fc.assert(
      fc.property(reorderedArb, ([units, shuffledWithin, order]) => {
        const reordered = order.map((i) => shuffledWithin[i] ?? []);
        expectSameAlpha(
          krippendorffAlphaOrdinal(reordered).alpha,
          krippendorffAlphaOrdinal(units).alpha,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("depends only on the order of the values: any monotone relabelling leaves it unchanged", () => {
    const relabelArb = fc.constantFrom(
      (v: number) => 10 * v - 3,
      (v: number) => Math.exp(v),
      (v: number) => -v,
      (v: number) => [0, 0.5, 0.6, 7, 100, 101][v] ?? Number.NaN,
    );
    fc.assert(
      fc.property(unitsArb, relabelArb, (units, relabel) => {
        const relabelled = units.map((unit) => unit.map((v) => (v === null ? v : relabel(v))));
        expectSameAlpha(
          krippendorffAlphaOrdinal(relabelled).alpha,
          krippendorffAlphaOrdinal(units).alpha,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("is never above 1", () => {
    fc.assert(
      fc.property(unitsArb, (units) => {
        const { alpha } = krippendorffAlphaOrdinal(units);
        if (alpha !== null) expect(alpha).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([1, 2, 3])(
    "is near 0 for 2000 units of independent uniform ratings (seed %d)",
    (seed) => {
      const random = seededRandom(seed);
      const rating = () => 1 + Math.floor(random() * 5);
      const units = Array.from({ length: 2000 }, () => [rating(), rating(), rating()]);
      const result = krippendorffAlphaOrdinal(units);
      expect(result.pairable).toBe(6000);
      expect(Math.abs(result.alpha ?? Number.NaN)).toBeLessThan(0.05);
    },
  );

  it("rises with the share of units on which coders copy a common true score", () => {
    const random = seededRandom(7);
    const rating = () => 1 + Math.floor(random() * 5);
    const alphaAt = (share: number) => {
      const units = Array.from({ length: 1000 }, () => {
        const truth = rating();
        return [0, 1, 2].map(() => (random() < share ? truth : rating()));
      });
      return krippendorffAlphaOrdinal(units).alpha ?? Number.NaN;
    };
    const low = alphaAt(0.3);
    const high = alphaAt(0.8);
    expect(low).toBeGreaterThan(0.05);
    expect(high).toBeGreaterThan(low + 0.2);
  });
});

describe("krippendorffAlphaNominal", () => {
  it("reproduces Krippendorff's (2011) nominal α = 0.743 on the same example", () => {
    const result = krippendorffAlphaNominal(KRIPPENDORFF_C);
    expect(result.alpha).toBeCloseTo(0.743, 3);
    expect(result).toMatchObject({ units: 11, pairable: 40 });
  });

  it("equals the ordinal α on binary data", () => {
    expect(krippendorffAlphaNominal(KRIPPENDORFF_A).alpha).toBeCloseTo(
      krippendorffAlphaOrdinal(KRIPPENDORFF_A).alpha ?? Number.NaN,
      12,
    );
  });

  it("is unchanged by any relabelling of the categories, ordered or not", () => {
    fc.assert(
      fc.property(
        unitsArb,
        fc.shuffledSubarray([11, 22, 33, 44, 55], { minLength: 5, maxLength: 5 }),
        (units, labels) => {
          const relabelled = units.map((unit) =>
            unit.map((v) => (v === null ? v : (labels[v - 1] ?? Number.NaN))),
          );
          expectSameAlpha(
            krippendorffAlphaNominal(relabelled).alpha,
            krippendorffAlphaNominal(units).alpha,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** Units rated by named reviewers, from `{ reviewer: value }` records. */
function rated(...units: Record<string, number>[]): ReviewerRating[][] {
  return units.map((unit) =>
    Object.entries(unit).map(([reviewer, value]) => ({ reviewer, value })),
  );
}

describe("reviewerSeverity", () => {
  it("finds a reviewer who always scores one point under two peers at −1, the peers at +0.5", () => {
    const units = rated(
      { ann: 2, bob: 3, cy: 3 },
      { ann: 3, bob: 4, cy: 4 },
      { ann: 4, bob: 5, cy: 5 },
    );
    expect(reviewerSeverity(units)).toEqual([
      { reviewer: "ann", shared: 3, severity: -1, se: 0 },
      { reviewer: "bob", shared: 3, severity: 0.5, se: 0 },
      { reviewer: "cy", shared: 3, severity: 0.5, se: 0 },
    ]);
  });

  it("gives the mean deviation from the other reviewers and its standard error", () => {
    // ann − bob per unit: −1, −2, 0 → mean −1, sample SD 1, SE 1/√3.
    const [ann, bob] = reviewerSeverity(
      rated({ ann: 3, bob: 4 }, { ann: 2, bob: 4 }, { ann: 5, bob: 5 }),
    );
    expect(ann?.reviewer).toBe("ann");
    expect(ann?.shared).toBe(3);
    expect(ann?.severity).toBeCloseTo(-1, 12);
    expect(ann?.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(bob?.severity).toBeCloseTo(1, 12);
    expect(bob?.se).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it("compares with the mean of the others, however many rated the unit", () => {
    // cy against (2 + 4)/2 = 3 in the first unit, against 4 in the second.
    const cy = reviewerSeverity(rated({ ann: 2, bob: 4, cy: 5 }, { bob: 4, cy: 3 })).find(
      (s) => s.reviewer === "cy",
    );
    expect(cy).toMatchObject({ shared: 2, severity: 0.5 });
    // Deviations 2 and −1: sample SD 1.5·√2, SE 1.5.
    expect(cy?.se).toBeCloseTo(1.5, 12);
  });

  it("counts only units shared with another reviewer and leaves out reviewers with none", () => {
    const result = reviewerSeverity(rated({ ann: 1 }, { ann: 2, bob: 5 }, { dee: 4 }));
    expect(result).toEqual([
      { reviewer: "ann", shared: 1, severity: -3, se: null },
      { reviewer: "bob", shared: 1, severity: 3, se: null },
    ]);
  });

  it("sorts by reviewer id in code-unit order", () => {
    const result = reviewerSeverity(rated({ b: 1, B: 2, a: 3, "a-2": 4 }));
    expect(result.map((s) => s.reviewer)).toEqual(["B", "a", "a-2", "b"]);
  });

  it("returns nothing for no units", () => {
    expect(reviewerSeverity([])).toEqual([]);
  });

  it("throws a RangeError when a reviewer rates one unit twice or a value is not finite", () => {
    const twice = [
      [
        { reviewer: "ann", value: 2 },
        { reviewer: "ann", value: 3 },
      ],
    ];
    expect(() => reviewerSeverity(twice)).toThrow(RangeError);
    expect(() => reviewerSeverity(rated({ ann: 2, bob: Number.NaN }))).toThrow(RangeError);
  });

  const reviewersArb = fc.constantFrom("ann", "bob", "cy", "dee", "eve");
  const severityUnitsArb = fc.array(
    fc
      .uniqueArray(reviewersArb, { minLength: 1, maxLength: 5 })
      .chain((reviewers) =>
        fc
          .tuple(...reviewers.map(() => fc.integer({ min: 1, max: 5 })))
          .map((values) =>
            reviewers.map((reviewer, i) => ({ reviewer, value: values[i] ?? Number.NaN })),
          ),
      ),
    { maxLength: 15 },
  );

  it("has deviations that cancel: Σ shared × severity over reviewers is 0", () => {
    fc.assert(
      fc.property(severityUnitsArb, (units) => {
        const total = reviewerSeverity(units).reduce((sum, s) => sum + s.shared * s.severity, 0);
        expect(total).toBeCloseTo(0, 9);
      }),
      { numRuns: RUNS },
    );
  });

  it("moves a reviewer's severity by exactly c when every score they give rises by c", () => {
    fc.assert(
      fc.property(
        severityUnitsArb,
        reviewersArb,
        fc.integer({ min: -3, max: 3 }),
        (units, who, c) => {
          const shifted = units.map((unit) =>
            unit.map((r) => (r.reviewer === who ? { ...r, value: r.value + c } : r)),
          );
          const before = reviewerSeverity(units);
          const after = reviewerSeverity(shifted);
          expect(after.map((s) => [s.reviewer, s.shared])).toEqual(
            before.map((s) => [s.reviewer, s.shared]),
          );
          const own = (result: typeof before) => result.find((s) => s.reviewer === who);
          if (own(before) === undefined) expect(own(after)).toBeUndefined();
          else expect(own(after)?.severity).toBeCloseTo((own(before)?.severity ?? 0) + c, 9);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order of units or of ratings within a unit", () => {
    fc.assert(
      fc.property(withPermutation(severityUnitsArb), ({ items, permutation }) => {
        const reordered = permutation.map((i) => [...(items[i] ?? [])].reverse());
        const expected = reviewerSeverity(items);
        const actual = reviewerSeverity(reordered);
        expect(actual.map((s) => [s.reviewer, s.shared, s.se === null])).toEqual(
          expected.map((s) => [s.reviewer, s.shared, s.se === null]),
        );
        for (const [i, s] of actual.entries()) {
          expect(s.severity).toBeCloseTo(expected[i]?.severity ?? Number.NaN, 9);
          if (s.se !== null) expect(s.se).toBeCloseTo(expected[i]?.se ?? Number.NaN, 9);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
