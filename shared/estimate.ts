import type { Dimension } from "./rubric";
import { chiSquareSurvival, Z95 } from "./stats/distributions";
import { isoWeek, isoWeekStart } from "./time";

/**
 * Weighted (Hájek) estimates from the additive rollup sums of `shared/rollup.ts`. Every
 * slice and grain is a plain sum of rollup items, so an estimate is: add the items' sums,
 * then call {@link estimateMean}.
 */

/** The rollup sums of one dimension, added over any set of items. */
export interface DimensionSums {
  /** Reviews with a value (N/A excluded). */
  n: number;
  /** Reviews that were N/A on this dimension. */
  na: number;
  sw: number;
  swx: number;
  swxx: number;
  sww: number;
  swwx: number;
  swwxx: number;
}

/** All-zero sums. */
export const emptySums = (): DimensionSums => ({
  n: 0,
  na: 0,
  sw: 0,
  swx: 0,
  swxx: 0,
  sww: 0,
  swwx: 0,
  swwxx: 0,
});

const FIELDS = ["n", "na", "sw", "swx", "swxx", "sww", "swwx", "swwxx"] as const;

/** Adds a rollup item's sums of `dimension` into `into` (in place) and returns it. */
export function addItem(
  into: DimensionSums,
  item: Record<string, unknown>,
  dimension: Dimension,
): DimensionSums {
  for (const field of FIELDS) {
    const value = item[`${dimension}_${field}`];
    if (typeof value === "number") into[field] += value;
  }
  return into;
}

/** Adds two sums. */
export function plus(a: DimensionSums, b: DimensionSums): DimensionSums {
  const out = emptySums();
  for (const field of FIELDS) out[field] = a[field] + b[field];
  return out;
}

/** Reviews below which an estimate is reported as `insufficient` rather than a number. */
export const MIN_REVIEWS = 5;

/** A weighted mean with its uncertainty, or the honest statement that there is too little data. */
export type Estimate =
  | {
      status: "ok";
      estimate: number;
      se: number;
      ci95: [number, number];
      reviewed: number;
      na: number;
    }
  | { status: "insufficient"; estimate: null; se: null; ci95: null; reviewed: number; na: number };

/**
 * The Hájek mean ȳ = Σw·x / Σw with its linearised standard error. With design weights
 * w = 1/π the variance of the linearised total under Poisson-type sampling is
 * Σ(1−π)/π²·(x−ȳ)² = Σ(w²−w)(x−ȳ)², which expands into the stored sums; the n/(n−1)
 * factor is the usual small-sample correction. Deviations are taken from the overall mean,
 * not per stratum, which errs on the conservative side when strata differ.
 */
export function estimateMean(sums: DimensionSums, minReviews = MIN_REVIEWS): Estimate {
  const reviewed = sums.n;
  if (reviewed < Math.max(2, minReviews) || sums.sw <= 0) {
    return { status: "insufficient", estimate: null, se: null, ci95: null, reviewed, na: sums.na };
  }
  const mean = sums.swx / sums.sw;
  const squaredW2 = sums.swwxx - 2 * mean * sums.swwx + mean * mean * sums.sww;
  const squaredW = sums.swxx - 2 * mean * sums.swx + mean * mean * sums.sw;
  const variance =
    (Math.max(0, squaredW2 - squaredW) / (sums.sw * sums.sw)) * (reviewed / (reviewed - 1));
  const se = Math.sqrt(variance);
  return {
    status: "ok",
    estimate: mean,
    se,
    ci95: [mean - Z95 * se, mean + Z95 * se],
    reviewed,
    na: sums.na,
  };
}

/** The difference a − b of two estimates from disjoint samples, with its interval. */
export function difference(
  a: Estimate,
  b: Estimate,
): { estimate: number; se: number; ci95: [number, number] } | null {
  if (a.status !== "ok" || b.status !== "ok") return null;
  const estimate = a.estimate - b.estimate;
  const se = Math.sqrt(a.se * a.se + b.se * b.se);
  return { estimate, se, ci95: [estimate - Z95 * se, estimate + Z95 * se] };
}

/**
 * Wald test that several independent estimates share one mean: Q = Σ (ȳ_c − ȳ̂)² / se_c² with
 * the inverse-variance pooled mean ȳ̂, χ² with k−1 degrees of freedom under agreement.
 * Estimates with se 0 are left out (they would dominate with infinite weight).
 */
export function agreementTest(
  estimates: readonly Estimate[],
): { statistic: number; df: number; pValue: number } | null {
  const usable = estimates.filter(
    (e): e is Extract<Estimate, { status: "ok" }> => e.status === "ok" && e.se > 0,
  );
  if (usable.length < 2) return null;
  const weights = usable.map((e) => 1 / (e.se * e.se));
  const total = weights.reduce((s, w) => s + w, 0);
  const pooled = usable.reduce((s, e, i) => s + (weights[i] ?? 0) * e.estimate, 0) / total;
  const statistic = usable.reduce(
    (s, e, i) => s + (weights[i] ?? 0) * (e.estimate - pooled) ** 2,
    0,
  );
  const df = usable.length - 1;
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

/** How finely a series is cut. */
export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The period a day (`yyyy-mm-dd`) falls in: the day, its ISO week, or its month. */
export function periodOfDay(day: string, granularity: Granularity): string {
  if (granularity === "day") return day;
  if (granularity === "week") return isoWeek(new Date(`${day}T12:00:00Z`));
  return day.slice(0, 7);
}

/** The period of an ISO week: the week itself, or the month its Thursday falls in. */
export function periodOfWeek(week: string, granularity: Exclude<Granularity, "day">): string {
  if (granularity === "week") return week;
  const thursday = new Date(isoWeekStart(week).getTime() + 3 * 86_400_000);
  return thursday.toISOString().slice(0, 7);
}

/** Every period from the day `from` to the day `to`, inclusive, in order. */
export function periodsBetween(from: string, to: string, granularity: Granularity): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    const period = periodOfDay(new Date(t).toISOString().slice(0, 10), granularity);
    if (out.at(-1) !== period) out.push(period);
  }
  return out;
}
