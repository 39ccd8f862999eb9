/**
 * How far Krippendorff's alpha can be trusted: a bootstrap interval over the calibration
 * units, and the verdict a QA lead reads ("good", "recalibrate") only when the interval and
 * the number of units support one.
 */
import { type AlphaResult, pairableUnits, type Rating } from "./agreement";
import { normalCdf, normalQuantile } from "./distributions";
import { seededUniform } from "./random";

/** Alpha with a bootstrap interval. */
export interface AlphaInterval extends AlphaResult {
  /**
   * Bootstrap 95% interval (BCa, or percentile) from resampling units; null when alpha is
   * null or fewer than {@link MIN_BOOTSTRAP_UNITS} units are pairable.
   */
  readonly ci95: readonly [number, number] | null;
  /** Resamples drawn, and how many of them had alpha defined (some have a single value). */
  readonly resamples: number;
  readonly definedResamples: number;
}

/** How an interval is read from the bootstrap distribution. */
export type BootstrapMethod = "bca" | "percentile";

/** Options of {@link bootstrapAlphaOrdinal}. */
export interface BootstrapOptions {
  /** Resamples; @default {@link DEFAULT_RESAMPLES} */
  readonly resamples?: number;
  /** Seed of the resampling stream: the same data and seed give the same interval. @default {@link DEFAULT_SEED} */
  readonly seed?: number;
  /** @default "bca" */
  readonly method?: BootstrapMethod;
}

/**
 * Resamples per interval. With 2,000, the interval's ends move by an SD of about 0.008 at 30
 * units, 0.005 at 50 and 0.002 at 200 from one seed to another (bench/calibration-scenarios.ts,
 * `alpha-resampling`), far inside the interval's own width, and the largest report's alpha
 * (5,000 units, 27 weeks, 3 dimensions) costs about a second.
 */
export const DEFAULT_RESAMPLES = 2_000;
/** A fixed seed, so a report on unchanged data shows the same interval every time. */
export const DEFAULT_SEED = 0x5eed_a1fa;
/** Below this many pairable units no interval is attempted: the resamples repeat a handful of units. */
export const MIN_BOOTSTRAP_UNITS = 5;

/** A distinct way a unit can be rated: how many of its values fall in each category. */
interface Pattern {
  /** Values per category index. */
  readonly counts: readonly number[];
  /** Off-diagonal coincidences c < k with their weight n_c·n_k/(m − 1); they enter D_o twice. */
  readonly pairs: ReadonlyArray<readonly [number, number, number]>;
}

interface Patterns {
  readonly categories: number;
  readonly patterns: readonly Pattern[];
  /** For each pairable unit, the index of its pattern; units sorted by pattern. */
  readonly unitPattern: Int32Array;
  /** The same data flat, for the resampling loop: counts[p·K + c]. */
  readonly flatCounts: Float64Array;
  /** Pattern p's coincidences are pairCell/pairWeight[pairStart[p] … pairStart[p + 1]). */
  readonly pairStart: Int32Array;
  /** c·K + k of each off-diagonal coincidence. */
  readonly pairCell: Int32Array;
  readonly pairWeight: Float64Array;
  /** Scratch space of {@link alphaOfCounts}, reused across resamples. */
  readonly scratch: { marginals: Float64Array; cumulative: Float64Array; delta2: Float64Array };
}

/**
 * The pairable units reduced to their patterns. Units with the same counts per category are
 * interchangeable in alpha, so a resample only needs how often it drew each pattern; sorting
 * units by pattern makes the result independent of the order the units came in.
 */
function patternsOf(units: ReadonlyArray<ReadonlyArray<Rating>>): Patterns {
  const { pairable, categories, indexOf } = pairableUnits(units);
  const byKey = new Map<string, { counts: number[]; units: number }>();
  for (const values of pairable) {
    const counts = categories.map(() => 0);
    for (const v of values) {
      const c = indexOf.get(v) ?? 0;
      counts[c] = (counts[c] ?? 0) + 1;
    }
    const key = counts.join(",");
    const found = byKey.get(key);
    if (found) found.units += 1;
    else byKey.set(key, { counts, units: 1 });
  }
  const keys = [...byKey.keys()].sort();
  const patterns: Pattern[] = [];
  const unitPattern = new Int32Array(pairable.length);
  let next = 0;
  for (const [p, key] of keys.entries()) {
    const { counts, units: many } = byKey.get(key) ?? { counts: [], units: 0 };
    const m = counts.reduce((s, x) => s + x, 0);
    const pairs: Array<[number, number, number]> = [];
    for (let c = 0; c < counts.length; c++) {
      for (let k = c + 1; k < counts.length; k++) {
        const w = ((counts[c] ?? 0) * (counts[k] ?? 0)) / (m - 1);
        if (w > 0) pairs.push([c, k, w]);
      }
    }
    patterns.push({ counts, pairs });
    unitPattern.fill(p, next, next + many);
    next += many;
  }
  const K = categories.length;
  const flatCounts = new Float64Array(patterns.length * K);
  const pairStart = new Int32Array(patterns.length + 1);
  const cells: number[] = [];
  const weights: number[] = [];
  for (const [p, pattern] of patterns.entries()) {
    pattern.counts.forEach((n, c) => {
      flatCounts[p * K + c] = n;
    });
    for (const [c, k, w] of pattern.pairs) {
      cells.push(c * K + k);
      weights.push(w);
    }
    pairStart[p + 1] = cells.length;
  }
  return {
    categories: K,
    patterns,
    unitPattern,
    flatCounts,
    pairStart,
    pairCell: Int32Array.from(cells),
    pairWeight: Float64Array.from(weights),
    scratch: {
      marginals: new Float64Array(K),
      cumulative: new Float64Array(K + 1),
      delta2: new Float64Array(K * K),
    },
  };
}

/**
 * Ordinal alpha of a collection given as how many units of each pattern it holds. Same value
 * as {@link krippendorffAlphaOrdinal} on those units: α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck,
 * δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)².
 */
function alphaOfCounts(data: Patterns, weights: ArrayLike<number>): number | null {
  const { categories: K, flatCounts, pairStart, pairCell, pairWeight } = data;
  const { marginals, cumulative, delta2 } = data.scratch;
  const P = pairStart.length - 1;
  marginals.fill(0);
  for (let p = 0; p < P; p++) {
    const w = weights[p] ?? 0;
    if (w === 0) continue;
    for (let c = 0; c < K; c++)
      marginals[c] = (marginals[c] ?? 0) + w * (flatCounts[p * K + c] ?? 0);
  }
  let n = 0;
  for (let c = 0; c < K; c++) n += marginals[c] ?? 0;
  // δ² for c < k, from the cumulative marginals.
  for (let c = 0; c < K; c++) cumulative[c + 1] = (cumulative[c] ?? 0) + (marginals[c] ?? 0);
  let expected = 0;
  for (let c = 0; c < K; c++) {
    for (let k = c + 1; k < K; k++) {
      const nc = marginals[c] ?? 0;
      const nk = marginals[k] ?? 0;
      const d = (cumulative[k + 1] ?? 0) - (cumulative[c] ?? 0) - (nc + nk) / 2;
      delta2[c * K + k] = d * d;
      expected += nc * nk * d * d;
    }
  }
  if (n === 0 || expected <= 0) return null;
  let observed = 0;
  for (let p = 0; p < P; p++) {
    const w = weights[p] ?? 0;
    if (w === 0) continue;
    let sum = 0;
    const end = pairStart[p + 1] ?? 0;
    for (let j = pairStart[p] ?? 0; j < end; j++)
      sum += (pairWeight[j] ?? 0) * (delta2[pairCell[j] ?? 0] ?? 0);
    observed += w * sum;
  }
  return 1 - ((n - 1) * observed) / expected;
}

/** The q-quantile of sorted values (linear interpolation between order statistics). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (position - lo);
}

/**
 * Krippendorff's ordinal alpha with a bootstrap 95% interval from resampling units with
 * replacement (the nonparametric bootstrap of Efron & Tibshirani): each resample draws as
 * many units as there are pairable ones, and recomputes alpha, expected disagreement
 * included.
 *
 * Hayes & Krippendorff (2007) bootstrap differently: they draw pairs of values from the
 * coincidence matrix and keep the expected disagreement fixed, which ignores that the values
 * of one unit hang together and that D_e varies from sample to sample; Gwet (2015) and
 * Hughes (2022) show that its intervals are too narrow. Resampling units keeps both.
 *
 * The default BCa interval (bias-corrected and accelerated, the acceleration from the
 * jackknife over units) corrects for alpha's skewed sampling distribution near 1; the
 * benchmark measures the coverage of both methods.
 *
 * @throws RangeError when a value is not finite, or resamples is not a positive integer.
 */
export function bootstrapAlphaOrdinal(
  units: ReadonlyArray<ReadonlyArray<Rating>>,
  options: BootstrapOptions = {},
): AlphaInterval {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  const data = patternsOf(units);
  const N = data.unitPattern.length;
  const P = data.patterns.length;
  const original = new Float64Array(P);
  for (const p of data.unitPattern) original[p] = (original[p] ?? 0) + 1;
  const alpha = alphaOfCounts(data, original);
  const pairable = data.patterns.reduce(
    (s, pattern, p) => s + (original[p] ?? 0) * pattern.counts.reduce((a, b) => a + b, 0),
    0,
  );
  const base = { alpha, pairable, units: N };
  if (alpha === null || N < MIN_BOOTSTRAP_UNITS)
    return { ...base, ci95: null, resamples: 0, definedResamples: 0 };

  const uniform = seededUniform(options.seed ?? DEFAULT_SEED);
  const draws = new Float64Array(resamples);
  const counts = new Float64Array(P);
  let defined = 0;
  let below = 0;
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < N; i++) {
      const p = data.unitPattern[Math.floor(uniform() * N)] ?? 0;
      counts[p] = (counts[p] ?? 0) + 1;
    }
    const a = alphaOfCounts(data, counts);
    if (a === null) continue;
    draws[defined] = a;
    defined += 1;
    // Ties with the estimate count half, so that a discrete distribution is not biased.
    if (a < alpha) below += 1;
    else if (a === alpha) below += 0.5;
  }
  if (defined < resamples / 2) return { ...base, ci95: null, resamples, definedResamples: defined };
  const sorted = draws.slice(0, defined).sort();
  let lowQ = 0.025;
  let highQ = 0.975;
  if ((options.method ?? "bca") === "bca") {
    const adjusted = bcaLevels(data, original, below / defined);
    if (adjusted) [lowQ, highQ] = adjusted;
  }
  const lo = quantileSorted(sorted, lowQ);
  const hi = quantileSorted(sorted, highQ);
  return { ...base, ci95: [lo, hi], resamples, definedResamples: defined };
}

/**
 * BCa's adjusted quantile levels (Efron 1987): bias correction z₀ from the share of resamples
 * below the estimate, acceleration a from the jackknife over units (one leave-one-out alpha
 * per pattern, weighted by its units). Null when the jackknife has no spread or the share is
 * 0 or 1, where the percentile levels are used instead.
 */
function bcaLevels(
  data: Patterns,
  original: Float64Array,
  shareBelow: number,
): [number, number] | null {
  if (!(shareBelow > 0 && shareBelow < 1)) return null;
  const z0 = normalQuantile(shareBelow);
  const leaveOut: Array<{ value: number; units: number }> = [];
  const counts = Float64Array.from(original);
  for (let p = 0; p < data.patterns.length; p++) {
    const units = original[p] ?? 0;
    if (units === 0) continue;
    counts[p] = units - 1;
    const value = alphaOfCounts(data, counts);
    counts[p] = units;
    if (value === null) return null;
    leaveOut.push({ value, units });
  }
  const total = leaveOut.reduce((s, j) => s + j.units, 0);
  const mean = leaveOut.reduce((s, j) => s + j.units * j.value, 0) / total;
  let s2 = 0;
  let s3 = 0;
  for (const { value, units } of leaveOut) {
    const d = mean - value;
    s2 += units * d * d;
    s3 += units * d * d * d;
  }
  if (!(s2 > 0)) return null;
  const a = s3 / (6 * s2 ** 1.5);
  const level = (z: number) => {
    const shifted = z0 + (z0 + z) / (1 - a * (z0 + z));
    return normalCdf(shifted);
  };
  const lo = level(normalQuantile(0.025));
  const hi = level(normalQuantile(0.975));
  if (!(lo >= 0 && hi <= 1 && lo < hi)) return null;
  return [lo, hi];
}
