import { addItem, type DimensionSums, emptySums, periodOfDay } from "../../shared/estimate";
import { DIMENSIONS } from "../../shared/rubric";
import { isoWeek, isoWeekStart, utcDay } from "../../shared/time";
import { allStrataDays, type InsightDeps, reader } from "../insights/read";
import { type Alert, activeAlert, markFlaggedAgain, putAlert } from "./alerts";
import {
  DRIFT_DEFAULTS,
  type DriftSettings,
  detectDrift,
  type SeriesInput,
  type SeriesVerdict,
} from "./detect";

/** What a drift run needs. */
export interface DriftRunDeps extends InsightDeps {
  now(): Date;
  /** Tells the world about new alerts: EventBridge in AWS, the log and status page locally. */
  announce(alerts: Alert[]): Promise<void>;
  settings?: DriftSettings;
}

/** What one run found. */
export interface DriftRunResult {
  week: string;
  series: number;
  tested: number;
  flagged: number;
  newAlerts: Alert[];
  verdicts: SeriesVerdict[];
  requests: number;
}

/** The channel name of a vendor's all-channel series. */
export const ALL_CHANNELS = "all";

/**
 * Evaluates every vendor × channel × dimension series (and each vendor's all-channel
 * series) at ISO week `week` — by default the last week that has ended — stores an alert
 * for each newly flagged series, and announces the new ones. A series with an open or
 * acknowledged alert is not alerted again: its alert counts the weeks it stays flagged.
 * Re-running a week stores nothing twice.
 */
export async function runDrift(
  deps: DriftRunDeps,
  week?: string,
  /**
   * Stratum-day rollups already read (any superset of the weeks needed), so a caller that
   * evaluates many weeks reads them once. Read from the table when absent.
   */
  strata?: readonly Record<string, unknown>[],
): Promise<DriftRunResult> {
  const settings = deps.settings ?? DRIFT_DEFAULTS;
  const current = week ?? isoWeek(new Date(deps.now().getTime() - 7 * 86_400_000));
  const span = settings.baselineWeeks + settings.windowWeeks;
  const weeks = Array.from({ length: span }, (_, i) =>
    isoWeek(new Date(isoWeekStart(current).getTime() - (span - 1 - i) * 7 * 86_400_000)),
  );
  const from = utcDay(isoWeekStart(weeks[0] ?? current));
  const to = utcDay(new Date(isoWeekStart(current).getTime() + 6 * 86_400_000));
  const r = reader(deps);
  const items = strata
    ? strata.filter((i) => String(i.day) >= from && String(i.day) <= to)
    : await allStrataDays(r, from, to);

  // series id → week → sums
  const cells = new Map<string, Map<string, DimensionSums>>();
  const add = (
    id: string,
    wk: string,
    item: Record<string, unknown>,
    dimension: (typeof DIMENSIONS)[number],
  ) => {
    let series = cells.get(id);
    if (!series) {
      series = new Map();
      cells.set(id, series);
    }
    let sums = series.get(wk);
    if (!sums) {
      sums = emptySums();
      series.set(wk, sums);
    }
    addItem(sums, item, dimension);
  };
  for (const item of items) {
    const wk = periodOfDay(String(item.day), "week");
    for (const dimension of DIMENSIONS) {
      add(seriesId(String(item.vendor), String(item.channel), dimension), wk, item, dimension);
      add(seriesId(String(item.vendor), ALL_CHANNELS, dimension), wk, item, dimension);
    }
  }
  const inputs: SeriesInput[] = [...cells].map(([id, byWeek]) => ({
    id,
    weeks: weeks.map((wk) => ({ week: wk, sums: byWeek.get(wk) ?? emptySums() })),
  }));
  const verdicts = detectDrift(inputs, settings);

  const newAlerts: Alert[] = [];
  for (const verdict of verdicts.filter((v) => v.alert)) {
    const { vendor, channel, dimension } = parseSeriesId(verdict.id);
    const active = await activeAlert(deps, vendor, channel, dimension);
    if (active) {
      if (active.week !== current) await markFlaggedAgain(deps, active, current);
      continue;
    }
    const stored = await putAlert(deps, {
      vendor,
      channel,
      dimension,
      week: current,
      state: "open",
      baseline:
        verdict.baseline.status === "ok"
          ? { estimate: verdict.baseline.estimate, se: verdict.baseline.se }
          : null,
      current:
        verdict.current.status === "ok"
          ? { estimate: verdict.current.estimate, se: verdict.current.se }
          : null,
      z: verdict.z,
      ewmaZ: verdict.ewmaZ,
      pValue: verdict.pValue ?? 1,
      detectedAt: deps.now().toISOString(),
      weeksFlagged: 1,
      lastFlaggedWeek: current,
    });
    if (stored) newAlerts.push(stored);
  }
  if (newAlerts.length > 0) await deps.announce(newAlerts);
  return {
    week: current,
    series: verdicts.length,
    tested: verdicts.filter((v) => v.status === "tested").length,
    flagged: verdicts.filter((v) => v.alert).length,
    newAlerts,
    verdicts,
    requests: r.requests,
  };
}

/** `<vendor>|<channel>|<dimension>`. */
export const seriesId = (vendor: string, channel: string, dimension: string): string =>
  `${vendor}|${channel}|${dimension}`;

/** Splits a {@link seriesId}. */
export function parseSeriesId(id: string): { vendor: string; channel: string; dimension: string } {
  const [vendor = "", channel = "", dimension = ""] = id.split("|");
  return { vendor, channel, dimension };
}
