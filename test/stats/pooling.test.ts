import { describe, expect, it } from "vitest";
import { agentPoolingErrors } from "../../bench/calibration-scenarios";
import { empiricalBayesPool, type PoolingInput } from "../../shared/stats/pooling";

/** An agent with `reviews` equally weighted reviews whose scores have SD 0.9. */
const agent = (estimate: number, reviews: number): PoolingInput => ({
  estimate,
  se: 0.9 / Math.sqrt(reviews),
  reviewed: reviews,
  varianceFactor: 1 / reviews,
});

/** Ten agents around 3.6 with 30 reviews each. */
const crowd = [3.2, 3.4, 3.5, 3.55, 3.6, 3.65, 3.7, 3.8, 3.9, 4.0].map((e) => agent(e, 30));

describe("empiricalBayesPool", () => {
  it("moves an agent with 5 reviews further toward the vendor mean than one with 60", () => {
    const pool = empiricalBayesPool([...crowd, agent(4.6, 5), agent(4.6, 60)]);
    if (!pool) throw new Error("expected pooling");
    const [few, many] = pool.pooled.slice(-2);
    expect(pool.mean).toBeGreaterThan(3.5);
    expect(pool.mean).toBeLessThan(3.9);
    expect(few?.shrinkage).toBeGreaterThan(many?.shrinkage ?? 1);
    expect(few?.estimate).toBeLessThan(many?.estimate ?? 0);
    expect(few?.estimate).toBeGreaterThan(pool.mean);
    expect(many?.estimate).toBeLessThan(4.6);
  });

  it("ranks by the pooled estimate, so a lucky 5-review agent does not top the table", () => {
    const pool = empiricalBayesPool([...crowd, agent(4.8, 5), agent(4.5, 60)]);
    const lucky = pool?.pooled.at(-2);
    const steady = pool?.pooled.at(-1);
    expect(steady?.rank).toBe(1);
    expect(lucky?.rank).toBeGreaterThan(1);
    expect(pool?.pooled.map((p) => p.rank).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it("pools agents that differ only by noise almost all the way to the mean", () => {
    const alike = [3.5, 3.7, 3.55, 3.66, 3.6, 3.62, 3.58, 3.64].map((e) => agent(e, 8));
    const pool = empiricalBayesPool(alike);
    expect(pool?.tau).toBeLessThan(0.1);
    for (const p of pool?.pooled ?? []) {
      expect(p.shrinkage).toBeGreaterThan(0.75);
      expect(Math.abs(p.estimate - (pool?.mean ?? 0))).toBeLessThan(0.05);
      // The interval still says how little 8 reviews tell: it is not a point.
      expect(p.ci95[1] - p.ci95[0]).toBeGreaterThan(0.1);
    }
  });

  it("leaves an agent whose every interaction was reviewed where it is", () => {
    const census: PoolingInput = { estimate: 4.5, se: 0, reviewed: 4, varianceFactor: 0 };
    const pool = empiricalBayesPool([...crowd, census]);
    expect(pool?.pooled.at(-1)?.estimate).toBeCloseTo(4.5, 6);
    expect(pool?.pooled.at(-1)?.shrinkage).toBeLessThan(1e-3);
  });

  it("uses one pooled review variance, so 5 equal scores (se 0) are not taken as exact", () => {
    const flat: PoolingInput = { estimate: 4.8, se: 0, reviewed: 5, varianceFactor: 0.2 };
    const pool = empiricalBayesPool([...crowd, flat]);
    // Its own variance (0, on 4 df) enters the pooled one with the others (0.81 on 29 df each).
    expect(pool?.reviewVariance).toBeCloseTo((0.81 * 290) / 294, 6);
    expect(pool?.pooled.at(-1)?.estimate).toBeLessThan(4.6);
  });

  it("declines to pool fewer than 4 agents and refuses non-finite input", () => {
    expect(empiricalBayesPool(crowd.slice(0, 3))).toBeNull();
    expect(() =>
      empiricalBayesPool([...crowd, { estimate: Number.NaN, se: 1, reviewed: 5 }]),
    ).toThrow(RangeError);
  });

  it("has a smaller error than the raw estimates on the real design, and holds 95% coverage (fixed seed)", () => {
    const result = agentPoolingErrors({
      agents: 14,
      weeks: 4,
      spread: 0.3,
      replications: 150,
      seed: 5,
    });
    expect(result.pooledRmse).toBeLessThan(0.9 * result.rawRmse);
    expect(result.pooledCoverage).toBeGreaterThan(0.91);
    expect(result.pooledCoverage).toBeLessThan(0.99);
  });
});
