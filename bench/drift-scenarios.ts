/**
 * The drift benchmark's hook for `npm run bench -- estimation`: false alerts per 100
 * series-weeks and detection delay of planted declines, per scenario (`week-noise`, with a
 * between-week sd of 0.15, among them).
 */

/** One row of `bench/results.json` → `estimation.drift`. */
export interface DriftRow {
  scenario: string;
  falseAlertsPer100SeriesWeeks: number;
  detectedWithin2Weeks: number;
  detectedWithin4Weeks: number;
}

/**
 * Runs the drift scenarios.
 * TODO(h/drift): the drift rework (functions/drift/detect.ts and run.ts) replaces this stub
 * with the real scenarios; until it is merged the estimation harness records no drift rows.
 */
export async function runDriftScenarios(
  _options: { replications?: number } = {},
): Promise<DriftRow[]> {
  return [];
}
