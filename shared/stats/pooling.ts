/**
 * Partial pooling of many small estimates (agents of one vendor) toward their common mean:
 * an agent with 5 reviews is ranked on noise unless the ranking accounts for it.
 */
import { mixtureMoments, mixtureQuantile } from "./mixture";

/** One agent's raw (unpooled) estimate. */
export interface PoolingInput {
  readonly estimate: number;
  readonly se: number;
  /** Reviews behind the estimate. */
  readonly reviewed: number;
  /** Degrees of freedom of `se`; @default reviewed − 1 */
  readonly df?: number;
  /**
   * v / S²: the estimate's variance per unit of one review's variance S², from its design
   * weights ((Σw² − Σw)/(Σw)² for a Hájek mean; 0 when every interaction was reviewed). When
   * every input has it, the agents share one pooled S² instead of each using its own noisy
   * `se`: with 5 reviews an agent's own SD is a rough guess, and 5 equal scores give se 0.
   */
  readonly varianceFactor?: number;
}

/** One agent's pooled estimate. */
export interface PooledEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  /** How far the estimate moved toward the mean: 0 is the raw estimate, 1 the mean itself. */
  readonly shrinkage: number;
  /** 1 for the highest pooled estimate. */
  readonly rank: number;
}

/** The pooled estimates with the distribution they were pooled toward. */
export interface PoolingResult {
  /** The estimated mean of the agents' true scores (precision-weighted). */
  readonly mean: number;
  readonly meanSe: number;
  /** Estimated SD of the agents' true scores around that mean (0 when the data show none). */
  readonly tau: number;
  /** Sampling variance of one review's score, pooled over the agents; null when each kept its own. */
  readonly reviewVariance: number | null;
  /** In input order. */
  readonly pooled: readonly PooledEstimate[];
}

/** Grid steps over τ for the averaging. */
const STEPS = 200;

/** Fewest agents to pool: the spread between agents needs at least 4 (Morris's k − 3 > 0). */
export const MIN_POOLING_AGENTS = 4;

/**
 * Normal–normal empirical Bayes (Morris 1983): the true score θ_i ~ N(μ, τ²) and the
 * estimate y_i ~ N(θ_i, v_i).
 *
 * - v_i is the agent's sampling variance: S̄²·f_i with one review's variance S̄² pooled over
 *   the agents (weighted by df) when every input has a `varianceFactor` f_i, else se_i².
 * - τ² by the method of moments (DerSimonian & Laird 1986): (Q − (k − 1)) / (Σw − Σw²/Σw)
 *   with w = 1/v and Q = Σ w(y − ȳ_w)², truncated at 0; μ̂ is the 1/(v + τ²)-weighted mean.
 * - The pooled estimate is μ̂ + (1 − B_i)(y_i − μ̂), B_i = v_i/(v_i + τ²): the fewer reviews,
 *   the larger v_i, and the further it moves toward μ̂.
 * - Its variance is Morris's: v_i(1 − B_i) + B_i²/Σ 1/(v + τ²) + 2/(k − 3)·B_i²·(y_i − μ̂)²,
 *   the last two terms for μ̂ and τ² being estimated; the interval is ± 1.96·√ of it.
 *
 * @returns null with fewer than {@link MIN_POOLING_AGENTS} inputs.
 * @throws RangeError when an estimate or se is not finite, or an se or factor is negative.
 */
export function empiricalBayesPool(items: readonly PoolingInput[]): PoolingResult | null {
  for (const [i, item] of items.entries()) {
    if (!Number.isFinite(item.estimate) || !(item.se >= 0) || !Number.isFinite(item.se))
      throw new RangeError(`item ${i}: estimate and se must be finite, se ≥ 0`);
    if (item.varianceFactor !== undefined && !(item.varianceFactor >= 0))
      throw new RangeError(`item ${i}: varianceFactor must be ≥ 0, got ${item.varianceFactor}`);
  }
  const k = items.length;
  if (k < MIN_POOLING_AGENTS) return null;

  let reviewVariance: number | null = null;
  let v = items.map((item) => item.se * item.se);
  if (items.every((item) => item.varianceFactor !== undefined)) {
    let weighted = 0;
    let dfTotal = 0;
    for (const item of items) {
      const f = item.varianceFactor ?? 0;
      const df = item.df ?? item.reviewed - 1;
      if (f <= 0 || df <= 0) continue;
      weighted += df * ((item.se * item.se) / f);
      dfTotal += df;
    }
    if (dfTotal > 0) {
      reviewVariance = weighted / dfTotal;
      const s2 = reviewVariance;
      v = items.map((item) => s2 * (item.varianceFactor ?? 0));
    }
  }
  // An exact estimate (every interaction reviewed) has v = 0; a tiny floor keeps its weight finite.
  const positive = v.filter((x) => x > 0);
  const floor = positive.length > 0 ? Math.min(...positive) * 1e-6 : 1e-12;
  v = v.map((x) => Math.max(x, floor));

  const y = items.map((item) => item.estimate);
  const ySpread = Math.max(...y) - Math.min(...y);
  const vMax = Math.max(...v);
  // The grid over τ reaches well past anything the estimates' spread allows.
  const top = 2 * ySpread + 4 * Math.sqrt(vMax);
  const atTau2 = (tau2: number) => {
    const w = v.map((x) => 1 / (x + tau2));
    const sw = w.reduce((s, x) => s + x, 0);
    const mu = y.reduce((s, yi, i) => s + (w[i] ?? 0) * yi, 0) / sw;
    let ll = -0.5 * Math.log(sw);
    for (let i = 0; i < k; i++) {
      const vi = (v[i] ?? 0) + tau2;
      ll -= 0.5 * (Math.log(vi) + ((y[i] ?? 0) - mu) ** 2 / vi);
    }
    return { sw, mu, ll };
  };
  const grid = Array.from({ length: STEPS + 1 }, (_, i) => {
    const tau = (top * i) / STEPS;
    return { tau, ...atTau2(tau * tau) };
  });
  const peak = Math.max(...grid.map((g) => g.ll));
  const mode = grid.find((g) => g.ll === peak) ?? grid[0];
  // The posterior is a mixture over τ of normals; each grid point is one component.
  const components = grid
    .map((g, i) => ({ ...g, weight: Math.exp(g.ll - peak) * (i === 0 || i === STEPS ? 0.5 : 1) }))
    .filter((c) => c.weight > 1e-300);
  const total = components.reduce((s, c) => s + c.weight, 0);
  const mean = components.reduce((s, c) => s + c.weight * c.mu, 0) / total;
  const muSecond = components.reduce((s, c) => s + c.weight * (1 / c.sw + c.mu * c.mu), 0) / total;
  const pooled = items.map((_, i) => {
    const vi = v[i] ?? 0;
    const yi = y[i] ?? 0;
    const parts = components.map(({ tau, sw, mu, weight }) => {
      const b = vi / (vi + tau * tau);
      // Given τ: θ_i's posterior mean, and its variance with μ's own uncertainty B²/Σw.
      return {
        weight: weight / total,
        b,
        mean: mu + (1 - b) * (yi - mu),
        sd: Math.sqrt(vi * (1 - b) + (b * b) / sw),
      };
    });
    const { mean: estimate, sd: se } = mixtureMoments(parts);
    return {
      estimate,
      se,
      ci95: [mixtureQuantile(parts, 0.025), mixtureQuantile(parts, 0.975)] as const,
      shrinkage: parts.reduce((s, c) => s + c.weight * c.b, 0),
    };
  });
  const order = pooled.map((p, i) => ({ e: p.estimate, i })).sort((a, b) => b.e - a.e || a.i - b.i);
  const rank = new Array<number>(k);
  order.forEach(({ i }, r) => {
    rank[i] = r + 1;
  });
  return {
    mean,
    meanSe: Math.sqrt(Math.max(0, muSecond - mean * mean)),
    tau: mode?.tau ?? 0,
    reviewVariance,
    pooled: pooled.map((p, i) => ({ ...p, rank: rank[i] ?? 0 })),
  };
}
