import {
  type DimensionSums,
  type Estimate,
  emptySums,
  estimateMean,
  plus,
} from "../../shared/estimate";
import { normalCdf } from "../../shared/stats/distributions";
import { benjaminiHochberg } from "../../shared/stats/fdr";

/** Settings of the drift test. */
export interface DriftSettings {
  /** Weeks before the monitoring window that form the baseline. */
  baselineWeeks: number;
  /** Most recent weeks the EWMA accumulates over (the current week included). */
  windowWeeks: number;
  /** EWMA smoothing: weight of the newest week. */
  lambda: number;
  /** False discovery rate controlled across all series of a run (Benjamini–Hochberg). */
  fdr: number;
  /** Reviews the baseline needs, and weeks with reviews in it, before a series is tested. */
  minBaselineReviews: number;
  minBaselineWeeks: number;
  /** Reviews a window week needs to count. */
  minWeekReviews: number;
}

/** The defaults: 8 baseline weeks, a 4-week window, λ = 0.3, FDR 5%. */
export const DRIFT_DEFAULTS: DriftSettings = {
  baselineWeeks: 8,
  windowWeeks: 4,
  lambda: 0.3,
  fdr: 0.05,
  minBaselineReviews: 20,
  minBaselineWeeks: 4,
  minWeekReviews: 3,
};

/** One series: a vendor × channel (or all channels) × dimension, with weekly sums, oldest first. */
export interface SeriesInput {
  id: string;
  weeks: ReadonlyArray<{ week: string; sums: DimensionSums }>;
}

/** What the test found for one series at the current week. */
export interface SeriesVerdict {
  id: string;
  week: string;
  baseline: Estimate;
  current: Estimate;
  /** (current − baseline) / √(se_c² + se_b²); negative means worse. */
  z: number | null;
  /** Standardised EWMA of the window's weekly differences from the baseline; negative means worse. */
  ewmaZ: number | null;
  /** One-sided p-value for a decline: the smaller of the two tests', doubled (Bonferroni). */
  pValue: number | null;
  /** Benjamini–Hochberg adjusted decision across every series of the run. */
  alert: boolean;
  status: "tested" | "insufficient";
}

/**
 * Tests every series for a decline at its last week: the current estimate against a
 * trailing baseline (z with both standard errors), and a one-sided EWMA of the window's
 * weekly z values, which accumulates smaller sustained shifts. Each series gets the smaller
 * one-sided p-value of the two, doubled; Benjamini–Hochberg across all series then keeps the
 * expected share of false alerts among alerts at `fdr`. Weeks with too few reviews are
 * skipped, and a series without a usable baseline and at least one usable window week is
 * `insufficient`.
 */
export function detectDrift(
  series: readonly SeriesInput[],
  settings: DriftSettings = DRIFT_DEFAULTS,
): SeriesVerdict[] {
  const verdicts = series.map((s) => testSeries(s, settings));
  const tested = verdicts.filter((v) => v.pValue !== null);
  const rejected = benjaminiHochberg(
    tested.map((v) => v.pValue ?? 1),
    settings.fdr,
  );
  tested.forEach((v, i) => {
    v.alert = rejected[i] ?? false;
  });
  return verdicts;
}

function testSeries(s: SeriesInput, settings: DriftSettings): SeriesVerdict {
  const weeks = s.weeks;
  const window = weeks.slice(-settings.windowWeeks);
  const baselineWeeks = weeks.slice(
    -(settings.windowWeeks + settings.baselineWeeks),
    -settings.windowWeeks,
  );
  const baselineSums = baselineWeeks.reduce((acc, w) => plus(acc, w.sums), emptySums());
  const baseline = estimateMean(baselineSums, settings.minBaselineReviews);
  const last = window.at(-1);
  const current = last ? estimateMean(last.sums) : estimateMean(emptySums());
  const verdict: SeriesVerdict = {
    id: s.id,
    week: last?.week ?? "",
    baseline,
    current,
    z: null,
    ewmaZ: null,
    pValue: null,
    alert: false,
    status: "insufficient",
  };
  const weeksWithData = baselineWeeks.filter((w) => w.sums.n > 0).length;
  if (baseline.status !== "ok" || weeksWithData < settings.minBaselineWeeks) return verdict;

  // A week's own standard error rests on a handful of reviews and is too noisy to divide by
  // (small-n z values are heavy-tailed and raise false alarms). Under no drift a week's
  // reviews spread like the baseline's, so its variance is the baseline's unit variance
  // over the week's effective sample size (Σw)²/Σw².
  const unitVariance = weightedUnitVariance(baselineSums, baseline.estimate);
  const weekOf = (sums: DimensionSums): { diff: number; variance: number } | null => {
    if (sums.n < settings.minWeekReviews || sums.sw <= 0) return null;
    return {
      diff: sums.swx / sums.sw - baseline.estimate,
      variance: (unitVariance * sums.sww) / (sums.sw * sums.sw),
    };
  };
  const baselineVariance = baseline.se * baseline.se;
  const zOf = (sums: DimensionSums): number | null => {
    const week = weekOf(sums);
    const v = week ? week.variance + baselineVariance : 0;
    return week && v > 0 ? week.diff / Math.sqrt(v) : null;
  };
  // EWMA of the weekly differences from the baseline. Every week shares the baseline, so
  // its variance enters once with the squared sum of the weights, not once per week.
  let ewma = 0;
  let weekVariance = 0;
  let weightSum = 0;
  let used = 0;
  window.forEach((w, i) => {
    const week = weekOf(w.sums);
    if (!week) return;
    const weight = settings.lambda * (1 - settings.lambda) ** (window.length - 1 - i);
    ewma += weight * week.diff;
    weekVariance += weight * weight * week.variance;
    weightSum += weight;
    used += 1;
  });
  const variance = weekVariance + weightSum * weightSum * baselineVariance;
  if (used === 0 || variance <= 0) return verdict;
  verdict.status = "tested";
  verdict.z = last ? zOf(last.sums) : null;
  verdict.ewmaZ = ewma / Math.sqrt(variance);
  const pEwma = normalCdf(verdict.ewmaZ);
  const pZ = verdict.z === null ? 1 : normalCdf(verdict.z);
  verdict.pValue = Math.min(1, 2 * Math.min(pEwma, pZ));
  return verdict;
}

/** Σw(x−ȳ)² / Σw with the n/(n−1) correction: the spread of one review. */
function weightedUnitVariance(sums: DimensionSums, mean: number): number {
  if (sums.n < 2 || sums.sw <= 0) return 0;
  const squared = sums.swxx - 2 * mean * sums.swx + mean * mean * sums.sw;
  return (Math.max(0, squared) / sums.sw) * (sums.n / (sums.n - 1));
}
