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
}

/** The defaults: 8 baseline weeks, a 4-week window, λ = 0.3, FDR 5%. */
export const DRIFT_DEFAULTS: DriftSettings = {
  baselineWeeks: 8,
  windowWeeks: 4,
  lambda: 0.3,
  fdr: 0.05,
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
  /** Standardised EWMA of the window's weekly z values; negative means worse. */
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
  const baselineSums = weeks
    .slice(-(settings.windowWeeks + settings.baselineWeeks), -settings.windowWeeks)
    .reduce((acc, w) => plus(acc, w.sums), emptySums());
  const baseline = estimateMean(baselineSums);
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
  if (baseline.status !== "ok") return verdict;

  const zOf = (e: Estimate): number | null => {
    if (e.status !== "ok") return null;
    const se = Math.sqrt(e.se * e.se + baseline.se * baseline.se);
    return se > 0 ? (e.estimate - baseline.estimate) / se : null;
  };
  let ewma = 0;
  let variance = 0;
  let used = 0;
  window.forEach((w, i) => {
    const z = zOf(estimateMean(w.sums));
    if (z === null) return;
    // Weight of week i in an EWMA that ends at the newest week.
    const weight = settings.lambda * (1 - settings.lambda) ** (window.length - 1 - i);
    ewma += weight * z;
    variance += weight * weight;
    used += 1;
  });
  if (used === 0) return verdict;
  verdict.status = "tested";
  verdict.z = zOf(current);
  verdict.ewmaZ = ewma / Math.sqrt(variance);
  const pEwma = normalCdf(verdict.ewmaZ);
  const pZ = verdict.z === null ? 1 : normalCdf(verdict.z);
  verdict.pValue = Math.min(1, 2 * Math.min(pEwma, pZ));
  return verdict;
}
