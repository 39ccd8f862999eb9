import { describe, expect, it } from "vitest";
import { Rng } from "../../local/demo/random";
import {
  closeAgentWeekDesign,
  exactInclusion,
  inclusionProbabilities,
  topUpOrder,
} from "../../shared/design";

/** Inclusion frequencies of the design as period close runs it, by simulation. */
function simulate(rates: number[], floor: number, draws: number): number[] {
  const rng = new Rng(5, "design");
  const hits = rates.map(() => 0);
  for (let d = 0; d < draws; d++) {
    const items = rates.map((rate) => {
      const u = rng.float();
      return { u, rate, sampled: u < rate };
    });
    const { weights } = closeAgentWeekDesign(
      items,
      floor,
      rates.map(() => 1),
    );
    weights.forEach((w, i) => {
      if (w > 0) hits[i] = (hits[i] ?? 0) + 1;
    });
  }
  return hits.map((h) => h / draws);
}

describe("the design after period close", () => {
  it("tops up with the smallest u/rate, not the smallest u", () => {
    const items = [
      { u: 0.3, rate: 0.06, sampled: false }, // ξ = 5
      { u: 0.35, rate: 0.2, sampled: false }, // ξ = 1.75
      { u: 0.01, rate: 0.06, sampled: true }, // already sampled
      { u: 0.5, rate: 0.1, sampled: false }, // ξ = 5
    ];
    expect(topUpOrder(items, 1)).toEqual([1]);
    expect(topUpOrder(items, 3)).toEqual([1, 0, 3]);
    expect(closeAgentWeekDesign(items, 2).topUp).toEqual([1]);
  });

  it("gives each item its inclusion probability under the design as run (against simulation)", () => {
    // A small agent-week on three channels: the floor takes much of it.
    const rates = [0.06, 0.06, 0.06, 0.1, 0.1, 0.2];
    const exact = inclusionProbabilities(
      rates.map((rate) => ({ rate })),
      2,
    );
    const draws = 200_000;
    const observed = simulate(rates, 2, draws);
    rates.forEach((_, i) => {
      const p = exact[i] ?? 0;
      const se = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs((observed[i] ?? 0) - p)).toBeLessThan(4 * se);
    });
    // A floor of 2 in a sample of 6 takes at least a third of it on average.
    expect(exact.reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    // Higher rates, higher probabilities.
    expect(exact[5]).toBeGreaterThan(exact[3] ?? 1);
    expect(exact[3]).toBeGreaterThan(exact[0] ?? 1);
  });

  it("is the rate for a large agent-week and certainty when the floor takes everything", () => {
    expect(exactInclusion(0.06, [{ rate: 0.06, count: 499 }], 2)).toBeCloseTo(0.06, 9);
    expect(exactInclusion(0.1, [{ rate: 0.06, count: 1 }], 2)).toBeCloseTo(1, 9);
    expect(exactInclusion(0.1, [], 2)).toBeCloseTo(1, 9);
    expect(inclusionProbabilities([{ rate: 0.06 }, { rate: 0.1 }], 3)).toEqual([
      expect.closeTo(1, 9),
      expect.closeTo(1, 9),
    ]);
  });

  it("weighs a channel's sample to about its own volume when channels have different rates", () => {
    // 30 voice at 6%, 30 email at 10%: N/n would give email 10/16 of the weight.
    const rates = [...Array(30).fill(0.06), ...Array(30).fill(0.1)] as number[];
    const rng = new Rng(9, "weights");
    const pi = inclusionProbabilities(
      rates.map((rate) => ({ rate })),
      2,
    );
    let email = 0;
    let all = 0;
    const draws = 20_000;
    for (let d = 0; d < draws; d++) {
      const items = rates.map((rate) => {
        const u = rng.float();
        return { u, rate, sampled: u < rate };
      });
      const { weights } = closeAgentWeekDesign(items, 2, pi);
      weights.forEach((w, i) => {
        all += w;
        if ((rates[i] ?? 0) === 0.1) email += w;
      });
    }
    expect(all / draws).toBeCloseTo(60, 0);
    expect(email / draws).toBeCloseTo(30, 0);
  });
});
