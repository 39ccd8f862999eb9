import { SUM_FIELDS, sumAttribute } from "./rollup";
import type { Dimension } from "./rubric";
import { chiSquareSurvival } from "./stats/distributions";
import type { PooledEstimate } from "./stats/pooling";
import { studentTQuantile } from "./stats/student";
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

/** Adds a rollup item's sums of `dimension` into `into` (in place) and returns it. */
export function addItem(
  into: DimensionSums,
  item: Record<string, unknown>,
  dimension: Dimension,
): DimensionSums {
  for (const field of SUM_FIELDS) {
    const value = item[sumAttribute(dimension, field)];
    if (typeof value === "number") into[field] += value;
  }
  return into;
}

/** Adds two sums. */
export function plus(a: DimensionSums, b: DimensionSums): DimensionSums {
  const out = emptySums();
  for (const field of SUM_FIELDS) out[field] = a[field] + b[field];
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
      /** Design degrees of freedom of `se`: the interval uses Student's t with these. */
      df: number;
      /** `estimate ± t(0.975, df) · se`. */
      ci95: [number, number];
      reviewed: number;
      na: number;
    }
  | {
      status: "insufficient";
      estimate: null;
      se: null;
      df: null;
      ci95: null;
      reviewed: number;
      na: number;
    };

/** The two-sided 95% critical value of Student's t with `df` degrees of freedom (df ≥ 1). */
export function t95(df: number): number {
  return studentTQuantile(0.975, Math.max(1, df));
}

/** A 95% interval around `estimate` from its standard error and degrees of freedom. */
export const interval95 = (estimate: number, se: number, df: number): [number, number] => [
  estimate - t95(df) * se,
  estimate + t95(df) * se,
];

const insufficient = (reviewed: number, na: number): Estimate => ({
  status: "insufficient",
  estimate: null,
  se: null,
  df: null,
  ci95: null,
  reviewed,
  na,
});

/**
 * The Hájek mean ȳ = Σw·x / Σw with its linearised standard error, treating the sample as
 * Poisson (independent inclusions, w = 1/π): the variance of the linearised total is
 * Σ(1−π)/π²·(x−ȳ)² = Σ(w²−w)(x−ȳ)², which expands into the stored sums; the n/(n−1) factor is
 * the usual small-sample correction, and the interval uses t with n − 1 degrees of freedom.
 * That is the design before period close. After close, agent-weeks are the strata: use
 * {@link estimateStrata}, which this formula over-covers when agent-weeks differ.
 */
export function estimateMean(sums: DimensionSums, minReviews = MIN_REVIEWS): Estimate {
  const reviewed = sums.n;
  if (reviewed < Math.max(2, minReviews) || sums.sw <= 0) return insufficient(reviewed, sums.na);
  const mean = sums.swx / sums.sw;
  const squaredW2 = sums.swwxx - 2 * mean * sums.swwx + mean * mean * sums.sww;
  const squaredW = sums.swxx - 2 * mean * sums.swx + mean * mean * sums.sw;
  const variance =
    (Math.max(0, squaredW2 - squaredW) / (sums.sw * sums.sw)) * (reviewed / (reviewed - 1));
  const se = Math.sqrt(variance);
  return okEstimate(mean, se, reviewed - 1, reviewed, sums.na);
}

/**
 * One stratum of the design, with the sums of the estimate's domain (a channel, the rows that
 * are not N/A on a dimension) inside it. After period close the strata are agent-weeks.
 */
export interface Stratum {
  /**
   * `fixed`: a closed agent-week the floor topped up, whose sample size is fixed;
   * `poisson`: an agent-week whose random draw alone made its sample (each item in
   * independently), and every agent-week before its close.
   */
  design: "fixed" | "poisson";
  /** Reviewed primary items of the whole stratum, in and out of the domain (N/A included). */
  units: number;
  /** Eligible interactions of the stratum (its N, for the finite-population correction). */
  eligible: number;
  /** The domain's rollup sums within the stratum. */
  sums: DimensionSums;
}

/**
 * The Hájek mean of a domain over strata, with a variance for the design actually used.
 * With e = w(x − ȳ) over the domain's items of a stratum (0 outside the domain):
 * - a `fixed` stratum of n reviewed items contributes `(1 − n/N) · n/(n−1) · Σ(e − ē)²`,
 *   the stratified without-replacement variance (survey's `svydesign(strata, fpc)`);
 * - a `poisson` stratum contributes `Σ(1 − π)e²/π = Σ(w² − w)(x − ȳ)²`, the Poisson
 *   (independent inclusions) variance; so does a fixed stratum with one reviewed item, which
 *   has no spread of its own.
 * The sum is divided by (Σw)². Degrees of freedom: n − 1 of each fixed stratum the domain
 * touches that is not a census (n < N), plus the domain's Poisson items − 1, but at most the
 * domain's reviews − 1 and at least 1. The interval is `ȳ ± t·se`.
 */
export function estimateStrata(strata: readonly Stratum[], minReviews = MIN_REVIEWS): Estimate {
  const total = strata.reduce((acc, s) => plus(acc, s.sums), emptySums());
  const reviewed = total.n;
  if (reviewed < Math.max(2, minReviews) || total.sw <= 0) return insufficient(reviewed, total.na);
  const mean = total.swx / total.sw;
  let variance = 0;
  let fixedDf = 0;
  let poissonItems = 0;
  let poissonVariance = 0;
  for (const { design, units, eligible, sums } of strata) {
    if (sums.n === 0) continue;
    const e2 = sums.swwxx - 2 * mean * sums.swwx + mean * mean * sums.sww;
    if (design === "fixed" && units >= 2) {
      const e1 = sums.swx - mean * sums.sw;
      const fpc = eligible > 0 ? Math.max(0, 1 - units / eligible) : 1;
      variance += fpc * (units / (units - 1)) * Math.max(0, e2 - (e1 * e1) / units);
      // A census (every eligible item reviewed) has no sampling variance to estimate, so it
      // lends the variance estimate no degrees of freedom: counting them made the t interval
      // of a small agent, whose quiet weeks are often reviewed in full, too narrow.
      if (fpc > 0) fixedDf += units - 1;
    } else {
      const ew = sums.swxx - 2 * mean * sums.swx + mean * mean * sums.sw;
      poissonVariance += Math.max(0, e2 - ew);
      poissonItems += sums.n;
    }
  }
  if (poissonItems >= 2) variance += (poissonVariance * poissonItems) / (poissonItems - 1);
  else variance += poissonVariance;
  const se = Math.sqrt(variance) / total.sw;
  // Never more degrees of freedom than the domain has reviews to spread: a channel with one
  // review in each of five agent-weeks has five values, however many reviews the strata hold.
  const df = Math.max(1, Math.min(fixedDf + Math.max(0, poissonItems - 1), reviewed - 1));
  return okEstimate(mean, se, df, reviewed, total.na);
}

function okEstimate(
  estimate: number,
  se: number,
  df: number,
  reviewed: number,
  na: number,
): Estimate {
  return { status: "ok", estimate, se, df, ci95: interval95(estimate, se, df), reviewed, na };
}

/**
 * The strata of a set of agent-week × channel rollup items (shared/table-keys
 * `agentWeekChannelKey`): one per agent-week, its domain sums those of `channel` (all channels
 * when undefined), its reviewed items those of all its channels. Items whose agent-week was
 * closed carry `closed`, `toppedUp` and `stratumEligible` (set by period close).
 */
export function strataOfAgentWeekChannels(
  items: readonly Record<string, unknown>[],
  dimension: Dimension,
  channel?: string,
): Stratum[] {
  const byAgentWeek = new Map<string, Stratum>();
  for (const item of items) {
    const key = `${String(item.agent)}#${String(item.week)}`;
    let stratum = byAgentWeek.get(key);
    if (!stratum) {
      stratum = { design: "poisson", units: 0, eligible: 0, sums: emptySums() };
      byAgentWeek.set(key, stratum);
    }
    stratum.units += Number(item.reviewed ?? 0);
    if (typeof item.closed === "string" && item.toppedUp === true) stratum.design = "fixed";
    stratum.eligible = Math.max(stratum.eligible, Number(item.stratumEligible ?? 0));
    if (channel === undefined || item.channel === channel) addItem(stratum.sums, item, dimension);
  }
  return [...byAgentWeek.values()];
}

/** The strata of agent-week rollup items (`agentWeekKey`): each item is one agent-week. */
export function strataOfAgentWeeks(
  items: readonly Record<string, unknown>[],
  dimension: Dimension,
): Stratum[] {
  return items.map((item) => ({
    design:
      typeof item.weightsFixedFor === "string" && item.toppedUp === true ? "fixed" : "poisson",
    units: Number(item.reviewed ?? 0),
    eligible: Number(item.eligible ?? 0),
    sums: addItem(emptySums(), item, dimension),
  }));
}

/**
 * The difference a − b of two estimates from disjoint samples, with its interval; its degrees
 * of freedom are Welch–Satterthwaite's.
 */
export function difference(
  a: Estimate,
  b: Estimate,
): { estimate: number; se: number; df: number; ci95: [number, number] } | null {
  if (a.status !== "ok" || b.status !== "ok") return null;
  const estimate = a.estimate - b.estimate;
  const va = a.se * a.se;
  const vb = b.se * b.se;
  const se = Math.sqrt(va + vb);
  const denominator = (va * va) / a.df + (vb * vb) / b.df;
  const df = denominator > 0 ? ((va + vb) * (va + vb)) / denominator : a.df + b.df;
  return { estimate, se, df, ci95: interval95(estimate, se, df) };
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

/** One agent's weighted estimate over a range of weeks, as the agent table reports it. */
export type AgentRow = {
  agent: string;
  population: number;
  sampled: number;
  /**
   * The estimate pulled toward the vendor's agent mean (empirical Bayes), with its interval
   * and rank (1 = best); null for an agent without an estimate, or when the vendor has fewer
   * than 4 agents with one.
   */
  pooled: PooledEstimate | null;
} & Estimate;
