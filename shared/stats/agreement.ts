/**
 * Inter-rater agreement on calibration interactions, which several reviewers score
 * independently: how reliable the 1–5 scores are (Krippendorff's alpha) and which reviewers
 * score systematically harder or softer than their peers.
 */

/** One coder's value for a unit; `null` or `undefined` when that coder did not rate it. */
export type Rating = number | null | undefined;

/** Krippendorff's alpha together with how much data it rests on. */
export interface AlphaResult {
  /**
   * 1 is perfect agreement, 0 agreement at chance level, negative systematic disagreement.
   * `null` when no disagreement is possible: no pairable unit, or one value overall.
   */
  readonly alpha: number | null;
  /** Pairable values n: the values in units that at least two coders rated. */
  readonly pairable: number;
  /** Units that at least two coders rated; the others do not enter alpha. */
  readonly units: number;
}

/**
 * Coincidence matrix of the pairable values (Krippendorff 2011): o[c][k] counts the ordered
 * pairs of values c, k given to one unit by different coders, each unit weighted 1/(m_u − 1)
 * so that a unit contributes its m_u values in total.
 */
interface Coincidences {
  /** Distinct values, ascending; matrix indices refer to this order. */
  readonly categories: readonly number[];
  readonly o: readonly (readonly number[])[];
  /** n_c = Σ_k o[c][k]. */
  readonly marginals: readonly number[];
  readonly n: number;
  readonly units: number;
}

/**
 * The units with two values or more (the only ones alpha can use), their distinct values in
 * ascending order, and each value's index in that order.
 *
 * @throws RangeError when a value is not finite.
 */
export function pairableUnits(units: ReadonlyArray<ReadonlyArray<Rating>>): {
  pairable: number[][];
  categories: number[];
  indexOf: Map<number, number>;
} {
  const pairable: number[][] = [];
  for (const [u, unit] of units.entries()) {
    const values = unit.filter((v): v is number => v !== null && v !== undefined);
    for (const v of values) {
      if (!Number.isFinite(v)) throw new RangeError(`unit ${u}: value must be finite, got ${v}`);
    }
    if (values.length >= 2) pairable.push(values);
  }
  const categories = [...new Set(pairable.flat())].sort((a, b) => a - b);
  return { pairable, categories, indexOf: new Map(categories.map((value, i) => [value, i])) };
}

function coincidences(units: ReadonlyArray<ReadonlyArray<Rating>>): Coincidences {
  const { pairable, categories, indexOf } = pairableUnits(units);
  const o = categories.map(() => categories.map(() => 0));
  for (const values of pairable) {
    const counts = new Map<number, number>();
    for (const v of values) {
      const c = indexOf.get(v) ?? 0;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const weight = 1 / (values.length - 1);
    for (const [c, nc] of counts) {
      const row = o[c] ?? [];
      for (const [k, nk] of counts) row[k] = (row[k] ?? 0) + nc * (c === k ? nk - 1 : nk) * weight;
    }
  }
  const marginals = o.map((row) => row.reduce((sum, x) => sum + x, 0));
  const n = pairable.reduce((sum, values) => sum + values.length, 0);
  return { categories, o, marginals, n, units: pairable.length };
}

/** Squared difference δ²(c, k) between the categories with indices c and k. */
type Metric = (c: number, k: number, data: Coincidences) => number;

/** α = 1 − D_o/D_e = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck. */
function alphaFrom(data: Coincidences, metric: Metric): AlphaResult {
  const { o, marginals, n, units } = data;
  let observed = 0;
  let expected = 0;
  for (const [c, row] of o.entries()) {
    for (const [k, ock] of row.entries()) {
      const d2 = metric(c, k, data);
      observed += ock * d2;
      expected += (marginals[c] ?? 0) * (marginals[k] ?? 0) * d2;
    }
  }
  // With one category every δ² is 0: there is no disagreement to measure.
  const alpha = units === 0 || expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
  return { alpha, pairable: n, units };
}

const nominalMetric: Metric = (c, k) => (c === k ? 0 : 1);

/**
 * Ordinal δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²: the distance between two ranks is
 * the number of pairable values lying between them, so only the order of the values
 * matters, not their spacing.
 */
const ordinalMetric: Metric = (c, k, { marginals }) => {
  if (c === k) return 0;
  const lo = Math.min(c, k);
  const hi = Math.max(c, k);
  let between = 0;
  for (let g = lo; g <= hi; g++) between += marginals[g] ?? 0;
  const d = between - ((marginals[lo] ?? 0) + (marginals[hi] ?? 0)) / 2;
  return d * d;
};

/**
 * Krippendorff's alpha with the ordinal difference metric, computed from the coincidence
 * matrix (K. Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011).
 *
 * Each unit lists the values its coders gave, one entry per coder, `null`/`undefined` where a
 * coder did not rate it; which coder is which does not matter. Units with fewer than two
 * values are dropped. Each distinct number is a category, ordered numerically.
 *
 * @throws RangeError when a value is not a finite number.
 */
export function krippendorffAlphaOrdinal(units: ReadonlyArray<ReadonlyArray<Rating>>): AlphaResult {
  return alphaFrom(coincidences(units), ordinalMetric);
}

/**
 * Krippendorff's alpha with the nominal metric (any two different values disagree equally);
 * otherwise as {@link krippendorffAlphaOrdinal}.
 *
 * @throws RangeError when a value is not a finite number.
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<ReadonlyArray<Rating>>): AlphaResult {
  return alphaFrom(coincidences(units), nominalMetric);
}

/** One reviewer's value for a unit. */
export interface ReviewerRating {
  readonly reviewer: string;
  readonly value: number;
}

/** How a reviewer scores relative to the others who rated the same units. */
export interface ReviewerSeverity {
  readonly reviewer: string;
  /** Units the reviewer rated together with at least one other reviewer. */
  readonly shared: number;
  /**
   * Mean over those units of (own value − mean of the other reviewers' values);
   * negative means harsher than peers.
   */
  readonly severity: number;
  /** Standard error of `severity` (sample SD / √shared); `null` when shared < 2. */
  readonly se: number | null;
}

/**
 * Per-reviewer severity against peers on shared units. Reviewers who never share a unit
 * with another reviewer have no peers to compare with and are left out. The result is
 * sorted by reviewer id (code-unit order, independent of locale).
 *
 * @throws RangeError when a value is not finite or a reviewer rates one unit twice.
 */
export function reviewerSeverity(
  units: ReadonlyArray<ReadonlyArray<ReviewerRating>>,
): ReviewerSeverity[] {
  // Welford's running mean and sum of squared deviations, per reviewer.
  const stats = new Map<string, { count: number; mean: number; m2: number }>();
  for (const [u, unit] of units.entries()) {
    const seen = new Set<string>();
    for (const { reviewer, value } of unit) {
      if (!Number.isFinite(value)) {
        throw new RangeError(`unit ${u}: ${reviewer}'s value must be finite, got ${value}`);
      }
      if (seen.has(reviewer)) throw new RangeError(`unit ${u}: ${reviewer} rated it twice`);
      seen.add(reviewer);
    }
    if (unit.length < 2) continue;
    const total = unit.reduce((sum, r) => sum + r.value, 0);
    for (const { reviewer, value } of unit) {
      const deviation = value - (total - value) / (unit.length - 1);
      const s = stats.get(reviewer) ?? { count: 0, mean: 0, m2: 0 };
      s.count += 1;
      const delta = deviation - s.mean;
      s.mean += delta / s.count;
      s.m2 += delta * (deviation - s.mean);
      stats.set(reviewer, s);
    }
  }
  return [...stats]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reviewer, { count, mean, m2 }]) => ({
      reviewer,
      shared: count,
      severity: mean,
      se: count < 2 ? null : Math.sqrt(m2 / (count - 1) / count),
    }));
}
