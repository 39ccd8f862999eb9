import { normalCdf } from "../../shared/stats/distributions";

/**
 * The drift test. It reads one estimate per series and ISO week, so it works with any
 * estimator that gives a mean and its standard error, and it is pure: the same weeks always
 * give the same verdict.
 */

/** Settings of the drift test. */
export interface DriftSettings {
  /** Most weeks the baseline holds: the oldest weeks of the history, up to this many. */
  baselineWeeks: number;
  /** Usable weeks the baseline needs before a series is tested. */
  minBaselineWeeks: number;
  /** Most recent weeks (the tested week included) a decline may have started in. */
  windowWeeks: number;
  /**
   * The alert threshold on the scan's most negative z. Calibrated by simulation
   * (`bench/drift-scenarios.ts`) to the false-alert rate the README states.
   */
  threshold: number;
  /** Reviews a week needs to count. */
  minWeekReviews: number;
  /** Share of a week's sample that must be scored before the week is tested (see run.ts). */
  minCompleteness: number;
}

/** The defaults; the README states the false-alert rate the benchmark measured with them. */
export const DRIFT_DEFAULTS: DriftSettings = {
  baselineWeeks: 26,
  minBaselineWeeks: 6,
  windowWeeks: 8,
  threshold: 3.2,
  minWeekReviews: 5,
  minCompleteness: 0.9,
};

/** Weeks of history a test reads: the baseline's and the window's. */
export const historyWeeks = (settings: DriftSettings = DRIFT_DEFAULTS): number =>
  settings.baselineWeeks + settings.windowWeeks;

/** One week of one series, as any estimator reports it. */
export interface WeeklyEstimate {
  /** ISO week. */
  week: string;
  /** The week's mean score; null when there was too little data for one. */
  estimate: number | null;
  /** Its standard error (sampling only). */
  se: number | null;
  /** Design degrees of freedom of the estimate, when the estimator knows them. */
  df?: number | null;
  /** Reviews in the estimate. */
  reviewed: number;
  /** The week is closed and enough of its sample is scored to be tested. */
  complete: boolean;
  /** Share of the week's sample that is scored, 0–1, when known. */
  completeness?: number | null;
}

/** One series: a vendor × channel (or all channels) × dimension, with its weeks, oldest first. */
export interface SeriesInput {
  id: string;
  weeks: readonly WeeklyEstimate[];
}

/** What the baseline says about a series. */
export interface BaselineSummary {
  /** Inverse-variance weighted mean of the baseline weeks. */
  estimate: number;
  /** Standard error of that mean, week-to-week variation included. */
  se: number;
  /** Usable weeks in it, and the first and last of them. */
  weeks: number;
  from: string;
  to: string;
  /**
   * Week-to-week standard deviation of the true mean, estimated from the baseline (method of
   * moments, floored at 0): what the weekly means wander by beyond sampling noise.
   */
  weekToWeekSd: number;
}

/** What the test found for one series at its last week. */
export interface SeriesVerdict {
  id: string;
  week: string;
  /**
   * `tested`; `incomplete` when the week is not closed or not enough of it is scored yet;
   * `insufficient` when the week or the baseline has too few reviews.
   */
  status: "tested" | "insufficient" | "incomplete";
  baseline: BaselineSummary | null;
  current: { estimate: number; se: number } | null;
  /** The tested week against the baseline, in standard deviations (negative is worse). */
  z: number | null;
  /**
   * The most negative z of the scan: the mean of every run of recent weeks that ends at the
   * tested week, against the baseline. The run of one week is `z` itself.
   */
  scanZ: number | null;
  /** First week of the run that gave `scanZ`: where the decline seems to start. */
  since: string | null;
  /** Mean of that run minus the baseline, in points (negative is worse). */
  change: number | null;
  /**
   * One-sided normal p of `scanZ`, times the number of runs scanned (capped at 1). A guide to
   * how strong the signal is; the stated false-alert rate comes from the benchmark, not from it.
   */
  pValue: number | null;
  alert: boolean;
  /** Share of the tested week's sample that was scored when it was tested. */
  completeness: number | null;
}

interface UsableWeek {
  week: string;
  y: number;
  /** Sampling variance. */
  v: number;
  reviewed: number;
  df: number;
}

/** Tests every series at its last week; see {@link testSeries}. */
export function detectDrift(
  series: readonly SeriesInput[],
  settings: DriftSettings = DRIFT_DEFAULTS,
): SeriesVerdict[] {
  return series.map((s) => testSeries(s, settings));
}

/**
 * Tests one series for a decline at its last week.
 *
 * The history starts at the first usable week. The window is its last `windowWeeks` weeks,
 * ending at the tested week (fewer while the history is shorter than `minBaselineWeeks +
 * windowWeeks`), and the baseline is up to `baselineWeeks` weeks before the window. Given
 * the last {@link historyWeeks} weeks, as run.ts gives them, the baseline is the oldest of
 * them. While the history is short the baseline stays at its oldest weeks and the window
 * grows, so a decline that began after the baseline keeps being compared with the weeks
 * before it.
 *
 * A week's sampling variance is the per-review variance (se² × reviews) pooled over the
 * other weeks of the history, over the week's reviews. Its variance is that plus the
 * week-to-week variance τ² estimated
 * from the baseline: the variance of the baseline's weekly means minus their mean sampling
 * variance, floored at 0 (method of moments). For every run of window weeks ending at the
 * tested week the test takes the sum of the weeks' differences from the baseline mean over
 * its standard deviation (the weeks' variances plus the baseline mean's, which every week
 * of the run shares). A sharp drop shows in the one-week run, a moderate sustained one in a
 * longer run. The series alerts when the most negative of these z values is below
 * `-threshold`.
 */
export function testSeries(
  s: SeriesInput,
  settings: DriftSettings = DRIFT_DEFAULTS,
): SeriesVerdict {
  const last = s.weeks.at(-1);
  const verdict: SeriesVerdict = {
    id: s.id,
    week: last?.week ?? "",
    status: "insufficient",
    baseline: null,
    current: null,
    z: null,
    scanZ: null,
    since: null,
    change: null,
    pValue: null,
    alert: false,
    completeness: last?.completeness ?? null,
  };
  if (!last) return verdict;
  if (!last.complete) {
    verdict.status = "incomplete";
    return verdict;
  }
  const usable = (w: WeeklyEstimate): UsableWeek | null =>
    w.complete &&
    w.estimate !== null &&
    w.se !== null &&
    Number.isFinite(w.estimate) &&
    Number.isFinite(w.se) &&
    w.reviewed >= settings.minWeekReviews
      ? {
          week: w.week,
          y: w.estimate,
          v: w.se * w.se,
          reviewed: w.reviewed,
          df: w.df ?? w.reviewed - 1,
        }
      : null;
  const current = usable(last);
  if (!current) return verdict;
  verdict.current = { estimate: current.y, se: Math.sqrt(current.v) };

  // The history starts at the first usable week; weeks before it are not a baseline.
  const first = s.weeks.findIndex((w) => usable(w) !== null);
  const history = s.weeks.slice(first);
  const windowLength = Math.min(settings.windowWeeks, history.length - settings.minBaselineWeeks);
  if (windowLength < 1) return verdict;
  const windowWeeks = history.slice(-windowLength).flatMap((w) => usable(w) ?? []);
  const baselineWeeks = history
    .slice(0, -windowLength)
    .slice(-settings.baselineWeeks)
    .flatMap((w) => usable(w) ?? []);
  if (baselineWeeks.length < settings.minBaselineWeeks) return verdict;

  // A week's own standard error rests on a handful of reviews and is itself noisy: dividing
  // by a small one makes a false alarm. Every week but the tested one shares a per-review
  // variance (se² × reviews), pooled by degrees of freedom, and a week's sampling variance
  // is that over its own reviews.
  const pooledFrom = [...baselineWeeks, ...windowWeeks.slice(0, -1)];
  const dfSum = pooledFrom.reduce((acc, w) => acc + Math.max(1, w.df), 0);
  const perReview =
    pooledFrom.reduce((acc, w) => acc + Math.max(1, w.df) * w.v * w.reviewed, 0) / dfSum;
  const pooled = (w: UsableWeek): UsableWeek => ({ ...w, v: perReview / w.reviewed });
  const baseline = summarise(baselineWeeks.map(pooled));
  if (!baseline) return verdict;
  verdict.baseline = baseline.summary;
  verdict.status = "tested";

  const meanVariance = baseline.summary.se ** 2;
  const window = windowWeeks.map(pooled);
  let sum = 0;
  let variance = 0;
  let weeks = 0;
  for (let i = window.length - 1; i >= 0; i--) {
    const w = window[i];
    if (!w) continue;
    sum += w.y - baseline.summary.estimate;
    variance += w.v + baseline.tau2;
    weeks += 1;
    const sd = Math.sqrt(variance + weeks * weeks * meanVariance);
    if (!(sd > 0)) continue;
    const z = sum / sd;
    if (weeks === 1) verdict.z = z;
    if (verdict.scanZ === null || z < verdict.scanZ) {
      verdict.scanZ = z;
      verdict.since = w.week;
      verdict.change = sum / weeks;
    }
  }
  if (verdict.scanZ === null) {
    // No run has a variance to divide by.
    verdict.status = "insufficient";
    verdict.baseline = null;
    return verdict;
  }
  verdict.pValue = Math.min(1, weeks * normalCdf(verdict.scanZ));
  verdict.alert = verdict.scanZ < -settings.threshold;
  return verdict;
}

/** Mean, its standard error and τ² of the baseline weeks; null with fewer than two weeks. */
function summarise(
  weeks: readonly UsableWeek[],
): { summary: BaselineSummary; tau2: number } | null {
  const k = weeks.length;
  const firstWeek = weeks[0];
  const lastWeek = weeks.at(-1);
  if (k < 2 || !firstWeek || !lastWeek) return null;
  const plain = weeks.reduce((acc, w) => acc + w.y, 0) / k;
  const spread = weeks.reduce((acc, w) => acc + (w.y - plain) ** 2, 0) / (k - 1);
  const sampling = weeks.reduce((acc, w) => acc + w.v, 0) / k;
  const tau2 = Math.max(0, spread - sampling);
  let weightSum = 0;
  let weighted = 0;
  for (const w of weeks) {
    const total = w.v + tau2;
    if (!(total > 0)) return null;
    const weight = 1 / total;
    weightSum += weight;
    weighted += weight * w.y;
  }
  return {
    summary: {
      estimate: weighted / weightSum,
      se: Math.sqrt(1 / weightSum),
      weeks: k,
      from: firstWeek.week,
      to: lastWeek.week,
      weekToWeekSd: Math.sqrt(tau2),
    },
    tau2,
  };
}
