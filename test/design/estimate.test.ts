import { describe, expect, it } from "vitest";
import {
  addItem,
  difference,
  emptySums,
  estimateMean,
  estimateStrata,
  type Stratum,
  strataOfAgentWeekChannels,
  t95,
} from "../../shared/estimate";
import { rollupIncrements } from "../../shared/rollup";

const sumsOf = (rows: Array<[number, number]>) => {
  const sums = emptySums();
  for (const [x, w] of rows)
    addItem(
      sums,
      rollupIncrements(
        { consistency: { value: x }, scriptReliance: { value: x }, empathy: { value: x } },
        w,
      ),
      "empathy",
    );
  return sums;
};

/** A Poisson sample of five scores, each at weight 16. */
const fiveAt16 = () =>
  sumsOf([
    [2, 16],
    [3, 16],
    [4, 16],
    [5, 16],
    [3, 16],
  ]);

describe("intervals with design degrees of freedom", () => {
  it("uses Student's t with n − 1 degrees of freedom for a Poisson sample of five", () => {
    const e = estimateMean(fiveAt16());
    if (e.status !== "ok") throw new Error("insufficient");
    expect(e.df).toBe(4);
    expect(e.ci95[1] - e.estimate).toBeCloseTo(2.776445105 * e.se, 8);
  });

  it("estimates a topped-up agent-week as a stratum: centred within it, with its fpc", () => {
    // Two agent-weeks of 3 reviews out of 10, equal weights: stratified SRS by hand.
    const a = sumsOf([
      [2, 10 / 3],
      [3, 10 / 3],
      [4, 10 / 3],
    ]);
    const b = sumsOf([
      [4, 10 / 3],
      [5, 10 / 3],
      [3, 10 / 3],
    ]);
    const strata: Stratum[] = [
      { design: "fixed", units: 3, eligible: 10, sums: a },
      { design: "fixed", units: 3, eligible: 10, sums: b },
    ];
    const e = estimateStrata(strata, 2);
    if (e.status !== "ok") throw new Error("insufficient");
    expect(e.estimate).toBeCloseTo(3.5, 12);
    // Var(ȳ) = Σ_h (N_h/N)² (1 − f) s_h²/n_h, s_h² = 1 in both.
    expect(e.se ** 2).toBeCloseTo(2 * 0.25 * 0.7 * (1 / 3), 12);
    expect(e.df).toBe(4);
  });

  it("gives an agent-week with one reviewed item the Poisson term, and a census none", () => {
    const one = sumsOf([[2, 5]]);
    const e = estimateStrata(
      [
        { design: "fixed", units: 1, eligible: 5, sums: one },
        {
          design: "fixed",
          units: 4,
          eligible: 4,
          sums: sumsOf([
            [4, 1],
            [5, 1],
            [4, 1],
            [3, 1],
          ]),
        },
      ],
      2,
    );
    if (e.status !== "ok") throw new Error("insufficient");
    const mean = (2 * 5 + 16) / 9;
    // The census stratum (n = N) adds nothing; the single item adds (w² − w)(x − ȳ)².
    expect(e.se ** 2).toBeCloseTo((20 * (2 - mean) ** 2) / 81, 12);
    // Nor any degrees of freedom: only the lone item's Poisson term is estimated (1, the floor).
    expect(e.df).toBe(1);
  });

  it("counts degrees of freedom only from strata whose variance it estimates", () => {
    const sampled = (eligible: number) => ({
      design: "fixed" as const,
      units: 3,
      eligible,
      sums: sumsOf([
        [2, eligible / 3],
        [4, eligible / 3],
        [3, eligible / 3],
      ]),
    });
    const withCensus = estimateStrata([sampled(9), sampled(3), sampled(6)]);
    if (withCensus.status !== "ok") throw new Error("insufficient");
    expect(withCensus.df).toBe(4);
    const none = estimateStrata([sampled(9), sampled(12), sampled(6)]);
    if (none.status !== "ok") throw new Error("insufficient");
    expect(none.df).toBe(6);
  });

  it("never claims more degrees of freedom than the domain has reviews − 1", () => {
    const items = ["a", "b", "c", "d", "e", "f"].flatMap((agent) => [
      {
        agent,
        week: "2026-W10",
        channel: "chat",
        closed: "x",
        toppedUp: true,
        stratumEligible: 9,
        ...rollupIncrements(
          {
            consistency: { value: 3 },
            scriptReliance: { value: 3 },
            empathy: { value: agent < "c" ? 2 : 4 },
          },
          4.5,
        ),
      },
      ...[1, 2, 3].map(() => ({
        agent,
        week: "2026-W10",
        channel: "voice",
        ...rollupIncrements(
          { consistency: { value: 3 }, scriptReliance: { value: 3 }, empathy: { value: 3 } },
          4.5,
        ),
      })),
    ]);
    const strata = strataOfAgentWeekChannels(items, "empathy", "chat");
    expect(strata.map((s) => s.units)).toEqual([4, 4, 4, 4, 4, 4]);
    const e = estimateStrata(strata);
    if (e.status !== "ok") throw new Error("insufficient");
    expect(e.reviewed).toBe(6);
    expect(e.df).toBe(5);
  });

  it("gives a difference Welch–Satterthwaite degrees of freedom", () => {
    const a = estimateMean(fiveAt16());
    const b = estimateMean(sumsOf(Array.from({ length: 40 }, (_, i) => [1 + (i % 5), 16])));
    const d = difference(a, b);
    if (!d || a.status !== "ok" || b.status !== "ok") throw new Error("no difference");
    const va = a.se ** 2;
    const vb = b.se ** 2;
    expect(d.df).toBeCloseTo((va + vb) ** 2 / (va ** 2 / 4 + vb ** 2 / 39), 9);
    expect(d.ci95[1] - d.estimate).toBeCloseTo(t95(d.df) * d.se, 9);
  });
});
