/**
 * What a QA lead may conclude from an alpha with its interval. Krippendorff's (2004)
 * standards: α ≥ 0.800 is reliable, 0.667 ≤ α < 0.800 allows tentative conclusions, below
 * 0.667 the scores should not be relied on. The verdict follows the interval, not the point
 * estimate, and is withheld on too few units.
 */

/** Alpha at or above which agreement is good. */
export const GOOD_ALPHA = 0.8;
/** Alpha below which agreement is too low to rely on. */
export const LOW_ALPHA = 0.667;

/**
 * Calibration interactions (units scored by two or more reviewers) below which no verdict is
 * given. In bench/calibration-scenarios.ts (alpha near 0.7, 2 or 3 reviewers per
 * interaction) the bootstrap interval covered the true alpha 93–96.5% of the time from 30
 * units on; at 10–20 units it fell to 90.5–92% in one design or the other, while spanning
 * ±0.2–0.4. Pinning alpha near 0.7 to ±0.1 takes about 80 units with 3 reviewers each, 120
 * with 2.
 */
export const MIN_ALPHA_UNITS = 30;

/** The verdict on one alpha. */
export type AlphaVerdict =
  /** Fewer than {@link MIN_ALPHA_UNITS} units, or no interval: no verdict. */
  | "insufficient"
  /** The whole interval is at or above {@link GOOD_ALPHA}. */
  | "good"
  /** The interval's lower end is at or above {@link LOW_ALPHA}, but below {@link GOOD_ALPHA}. */
  | "tentative"
  /** The interval reaches below {@link LOW_ALPHA} but not all of it: it may be too low. */
  | "uncertain"
  /** The whole interval is below {@link LOW_ALPHA}: recalibrate. */
  | "low";

/**
 * The verdict on an alpha given its units and bootstrap interval: the lower end decides, the
 * way Krippendorff asks that the smallest plausible alpha meet the standard.
 */
export function alphaVerdict(a: {
  readonly alpha: number | null;
  readonly units: number;
  readonly ci95: readonly [number, number] | null;
}): AlphaVerdict {
  if (a.alpha === null || a.ci95 === null || a.units < MIN_ALPHA_UNITS) return "insufficient";
  const [low, high] = a.ci95;
  if (low >= GOOD_ALPHA) return "good";
  if (low >= LOW_ALPHA) return "tentative";
  if (high < LOW_ALPHA) return "low";
  return "uncertain";
}

/** Each verdict in the words the dashboard and the CLI show. */
export const ALPHA_VERDICT_TEXT: Readonly<Record<AlphaVerdict, string>> = {
  good: "good agreement",
  tentative: "tentative agreement",
  uncertain: "may be too low",
  low: "low agreement: recalibrate",
  insufficient: "too few for a verdict",
};
