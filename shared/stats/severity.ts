/**
 * Reviewer severity on calibration interactions, where several reviewers score the same
 * interaction: who scores systematically harder or softer than the others, with an interval,
 * and a name ("harsh", "lenient") only when the data support it.
 */
import type { ReviewerRating } from "./agreement";
import { type Matrix, symmetricEigen, zeros } from "./linear";
import { mixtureMoments, mixtureQuantile, type NormalComponent } from "./mixture";

/**
 * Shared interactions a reviewer needs before being named harsh or lenient. Below it the
 * interval still shows, but one or two odd interactions are too easily a pattern
 * (bench/calibration-scenarios.ts measures how often a reviewer who is neither is named).
 */
export const MIN_SHARED_UNITS = 10;

/** One reviewer's estimated severity. */
export interface ReviewerEffect {
  readonly reviewer: string;
  /** Interactions the reviewer scored together with at least one other reviewer. */
  readonly shared: number;
  /**
   * Estimated severity in points: how much higher (positive, lenient) or lower (negative,
   * harsh) than the average reviewer (of those linked by shared interactions) this reviewer
   * scores the same interaction. Shrunken towards 0 (partial pooling), the more so the fewer
   * interactions the reviewer shared.
   */
  readonly severity: number;
  /** Standard error of the severity (posterior SD); null when the data cannot estimate it. */
  readonly se: number | null;
  readonly ci95: readonly [number, number] | null;
  /**
   * The unpooled figure the report used to show: mean over the shared interactions of (own
   * score − mean of the others' scores). Kept for comparison; it is not the estimate.
   */
  readonly rawDeviation: number;
  /** Named only with ≥ {@link MIN_SHARED_UNITS} shared interactions and an interval clear of 0. */
  readonly label: "harsh" | "lenient" | null;
}

/** The fitted model and every reviewer's severity. */
export interface SeverityModel {
  /** Interactions scored by two or more reviewers. */
  readonly units: number;
  /**
   * Residual variance σ² of one score around unit + reviewer, at the REML estimate; null when
   * nothing is left to estimate it.
   */
  readonly residualVariance: number | null;
  /** Variance τ² of the reviewers' severities, at the REML estimate (0 when the data show none). */
  readonly severityVariance: number | null;
  /** Residual degrees of freedom: scores − units − (reviewers − connected groups). */
  readonly df: number;
  /** Sorted by reviewer id (code-unit order). */
  readonly reviewers: readonly ReviewerEffect[];
}

/**
 * Fits score = unit effect + reviewer effect + noise on the shared interactions, with fixed
 * unit effects (each interaction's own quality) and random reviewer effects b ~ N(0, τ²),
 * noise ~ N(0, σ²): partial pooling of the reviewers towards the average one.
 *
 * - Sweeping out the unit effects leaves C·b = g, with C = Σ_u (I − J/m_u) over each unit's
 *   reviewers and g_r = Σ_u (y_ur − ȳ_u); the residual space has N − U dimensions (scores
 *   minus units).
 * - With γ = τ²/σ² and C = V·Λ·Vᵀ, the restricted (REML) log-likelihood with σ² profiled out
 *   is −½·[(N − U)·log Q(γ) + Σ log(1 + γλ_j)], Q(γ) = Σ(y − ȳ_u)² − Σ γ·h_j²/(1 + γλ_j),
 *   h = Vᵀg, and σ̂²(γ) = Q(γ)/(N − U).
 * - Given γ, the severities are the BLUPs b(γ) = (C + I/γ)⁻¹·g with prediction error
 *   variance σ̂²(γ)·(C + I/γ)⁻¹ (Henderson's mixed-model equations).
 * - Rather than plug in one estimate of γ, which is often 0 with few interactions and would
 *   give every reviewer a zero-width interval, severities and their variances are averaged
 *   over γ weighted by its restricted likelihood (a flat prior on τ/σ; trapezoid rule over
 *   √γ). A reviewer's interval thus carries the uncertainty about how much reviewers differ.
 * - Intervals are the 2.5% and 97.5% points of that mixture of normals.
 *
 * Units with fewer than two ratings carry no comparison and are left out.
 *
 * @throws RangeError when a value is not finite or a reviewer rates one unit twice.
 */
export function reviewerSeverityModel(
  units: ReadonlyArray<ReadonlyArray<ReviewerRating>>,
  minShared = MIN_SHARED_UNITS,
): SeverityModel {
  const shared: ReviewerRating[][] = [];
  for (const [u, unit] of units.entries()) {
    const seen = new Set<string>();
    for (const { reviewer, value } of unit) {
      if (!Number.isFinite(value))
        throw new RangeError(`unit ${u}: ${reviewer}'s value must be finite, got ${value}`);
      if (seen.has(reviewer)) throw new RangeError(`unit ${u}: ${reviewer} rated it twice`);
      seen.add(reviewer);
    }
    if (unit.length >= 2) shared.push([...unit]);
  }
  const ids = [...new Set(shared.flatMap((unit) => unit.map((r) => r.reviewer)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const index = new Map(ids.map((id, i) => [id, i]));
  const R = ids.length;
  const c: Matrix = zeros(R);
  const g = new Array<number>(R).fill(0);
  const count = new Array<number>(R).fill(0);
  const rawSum = new Array<number>(R).fill(0);
  let withinSs = 0;
  let scores = 0;
  for (const unit of shared) {
    const m = unit.length;
    const total = unit.reduce((s, r) => s + r.value, 0);
    const mean = total / m;
    scores += m;
    const at = unit.map((r) => index.get(r.reviewer) ?? 0);
    for (const [j, { value }] of unit.entries()) {
      const i = at[j] ?? 0;
      const row = c[i] ?? [];
      g[i] = (g[i] ?? 0) + value - mean;
      withinSs += (value - mean) ** 2;
      count[i] = (count[i] ?? 0) + 1;
      rawSum[i] = (rawSum[i] ?? 0) + value - (total - value) / (m - 1);
      row[i] = (row[i] ?? 0) + 1 - 1 / m;
      for (const k of at) if (k !== i) row[k] = (row[k] ?? 0) - 1 / m;
    }
  }
  const residualDims = scores - shared.length;
  const { values: lambda, vectors } = symmetricEigen(c);
  const scale = Math.max(1, ...lambda);
  // Eigenvalues at rounding level belong to C's null space: one per group of reviewers linked
  // by shared interactions (the group's average severity is not identified by the data).
  const identified = lambda.map((l) => l > 1e-9 * scale);
  const rank = identified.filter(Boolean).length;
  const df = residualDims - rank;
  const h = lambda.map((_, j) =>
    identified[j] ? vectors.reduce((s, row, r) => s + (row[j] ?? 0) * (g[r] ?? 0), 0) : 0,
  );

  const raw = (i: number) => ((count[i] ?? 0) > 0 ? (rawSum[i] ?? 0) / (count[i] ?? 1) : 0);
  if (R === 0 || df <= 0 || !(withinSs > 0)) {
    return {
      units: shared.length,
      residualVariance: df > 0 ? withinSs / residualDims : null,
      severityVariance: null,
      df,
      reviewers: ids.map((reviewer, i) => ({
        reviewer,
        shared: count[i] ?? 0,
        severity: 0,
        se: null,
        ci95: null,
        rawDeviation: raw(i),
        label: null,
      })),
    };
  }

  const floorQ = 1e-12 * withinSs;
  const q = (gamma: number) => {
    let reduction = 0;
    for (let j = 0; j < R; j++) {
      const l = lambda[j] ?? 0;
      if (identified[j]) reduction += (gamma * (h[j] ?? 0) ** 2) / (1 + gamma * l);
    }
    return Math.max(floorQ, withinSs - reduction);
  };
  const logLik = (gamma: number) => {
    let logDet = 0;
    for (let j = 0; j < R; j++) if (identified[j]) logDet += Math.log1p(gamma * (lambda[j] ?? 0));
    return -0.5 * (residualDims * Math.log(q(gamma)) + logDet);
  };

  // The grid over s = √γ = τ/σ reaches until the likelihood has fallen far below its peak.
  const STEPS = 240;
  let top = 4;
  let grid: Array<{ s: number; ll: number }> = [];
  for (let widen = 0; widen < 12; widen++) {
    grid = Array.from({ length: STEPS + 1 }, (_, i) => {
      const s = (top * i) / STEPS;
      return { s, ll: logLik(s * s) };
    });
    const peak = Math.max(...grid.map((p) => p.ll));
    if ((grid.at(-1)?.ll ?? peak) < peak - 20) break;
    top *= 2;
  }
  const peak = Math.max(...grid.map((p) => p.ll));
  const mode = grid.find((p) => p.ll === peak) ?? { s: 0, ll: peak };

  const components: NormalComponent[][] = ids.map(() => []);
  let total = 0;
  for (const [i, { s, ll }] of grid.entries()) {
    const weight = Math.exp(ll - peak) * (i === 0 || i === STEPS ? 0.5 : 1);
    if (weight < 1e-300) continue;
    total += weight;
    const gamma = s * s;
    const sigma2 = q(gamma) / residualDims;
    // Shrinkage factors γ/(1 + γλ_j) of the BLUP and its error variance, eigen-direction-wise.
    // The null directions (a group's average severity) are left out: severity is measured
    // against the average reviewer of the group, which the data pin down, while the average
    // itself is not identified and its prior variance would grow without bound with γ.
    const factor = lambda.map((l, j) => (identified[j] ? gamma / (1 + gamma * l) : 0));
    for (let r = 0; r < R; r++) {
      const row = vectors[r] ?? [];
      let b = 0;
      let pev = 0;
      for (let j = 0; j < R; j++) {
        const v = row[j] ?? 0;
        const f = factor[j] ?? 0;
        b += v * f * (h[j] ?? 0);
        pev += v * v * f;
      }
      components[r]?.push({ weight, mean: b, sd: Math.sqrt(sigma2 * pev) });
    }
  }
  const reviewers = ids.map((reviewer, i): ReviewerEffect => {
    const parts = (components[i] ?? []).map((c) => ({ ...c, weight: c.weight / total }));
    const { mean: b, sd: se } = mixtureMoments(parts);
    const ci95: [number, number] = [mixtureQuantile(parts, 0.025), mixtureQuantile(parts, 0.975)];
    const n = count[i] ?? 0;
    const clear = ci95[0] > 0 || ci95[1] < 0;
    return {
      reviewer,
      shared: n,
      severity: b,
      se,
      ci95,
      rawDeviation: raw(i),
      label: clear && n >= minShared ? (b < 0 ? "harsh" : "lenient") : null,
    };
  });
  const gammaHat = mode.s * mode.s;
  const sigma2Hat = q(gammaHat) / residualDims;
  return {
    units: shared.length,
    residualVariance: sigma2Hat,
    severityVariance: sigma2Hat * gammaHat,
    df,
    reviewers,
  };
}
