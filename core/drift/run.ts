import { addItem, type DimensionSums, emptySums, estimateMean } from "../../shared/estimate";
import { PERIOD, type StratumDayRollup } from "../../shared/items";
import { DIMENSIONS } from "../../shared/rubric";
import { isoWeek, isoWeekStart, utcDay } from "../../shared/time";
import {
  allStrataDays,
  type InsightDeps,
  queryPeriodPrefix,
  type Reader,
  reader,
} from "../insights/read";
import { type Alert, activeAlert, markFlaggedAgain, putAlert } from "./alerts";
import {
  DRIFT_DEFAULTS,
  type DriftSettings,
  detectDrift,
  historyWeeks,
  type SeriesInput,
  type SeriesVerdict,
  type WeeklyEstimate,
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
  /** Series whose week is not closed yet, or not scored enough to be tested. */
  incomplete: number;
  flagged: number;
  newAlerts: Alert[];
  verdicts: SeriesVerdict[];
  requests: number;
}

/** The channel name of a vendor's all-channel series. */
export const ALL_CHANNELS = "all";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * The weeks the Monday job tests, oldest first: the week before last and the week that just
 * ended. Period close runs the same morning, so the week that just ended has its floor
 * tasks only hours old and is nearly always `incomplete`; the week before last has had a
 * full week of reviewing. A week is tested when it is complete enough, so in practice each
 * week is tested once, eight days after it ends.
 */
export function scheduledWeeks(now: Date): string[] {
  return [
    isoWeek(new Date(now.getTime() - 2 * WEEK_MS)),
    isoWeek(new Date(now.getTime() - WEEK_MS)),
  ];
}

/** Rollup counters of one series-week, for its completeness. */
interface Counts {
  sampled: number;
  reviewed: number;
}

/**
 * Evaluates every vendor × channel × dimension series (and each vendor's all-channel
 * series) at ISO week `week` — by default the last week that has ended — stores an alert
 * for each newly flagged series, and announces the new ones.
 *
 * A series-week is tested only when its week is closed (period close has fixed the weights
 * of every agent-week of the vendor) and at least `minCompleteness` of its sample (random
 * draws plus floor top-ups) is scored; otherwise it is `incomplete`, and a later run tests
 * it. The alert records the completeness it was tested at. A series with an open or
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
  strata?: readonly StratumDayRollup[],
): Promise<DriftRunResult> {
  const settings = deps.settings ?? DRIFT_DEFAULTS;
  const current = week ?? isoWeek(new Date(deps.now().getTime() - WEEK_MS));
  const span = historyWeeks(settings);
  const weeks = Array.from({ length: span }, (_, i) =>
    isoWeek(new Date(isoWeekStart(current).getTime() - (span - 1 - i) * WEEK_MS)),
  );
  const from = utcDay(isoWeekStart(weeks[0] ?? current));
  const to = utcDay(new Date(isoWeekStart(current).getTime() + 6 * DAY_MS));
  const r = reader(deps);
  const items = strata
    ? strata.filter((i) => i.day >= from && i.day <= to)
    : await allStrataDays(r, from, to);
  const unclosed = await unclosedVendors(r, current);

  // series id → week → sums per dimension, and the series-week's sample counters
  const cells = new Map<string, Map<string, { sums: DimensionSums; counts: Counts }>>();
  const cell = (id: string, wk: string) => {
    let series = cells.get(id);
    if (!series) {
      series = new Map();
      cells.set(id, series);
    }
    let found = series.get(wk);
    if (!found) {
      found = { sums: emptySums(), counts: { sampled: 0, reviewed: 0 } };
      series.set(wk, found);
    }
    return found;
  };
  for (const item of items) {
    const wk = isoWeek(`${item.day}T12:00:00Z`);
    const vendor = item.vendor;
    for (const channel of [item.channel, ALL_CHANNELS]) {
      for (const dimension of DIMENSIONS) {
        const c = cell(seriesId(vendor, channel, dimension), wk);
        addItem(c.sums, item, dimension);
        c.counts.sampled += (item.sampled ?? 0) + (item.floor ?? 0);
        c.counts.reviewed += item.reviewed ?? 0;
      }
    }
  }
  const inputs: SeriesInput[] = [...cells].map(([id, byWeek]) => {
    const { vendor } = parseSeriesId(id);
    return {
      id,
      weeks: weeks.map((wk) => {
        const found = byWeek.get(wk);
        return weeklyEstimate(
          wk,
          found?.sums ?? emptySums(),
          found?.counts ?? { sampled: 0, reviewed: 0 },
          // Weeks close in order, so every week before a closed one is closed too.
          wk < current || !unclosed.has(vendor),
          settings,
        );
      }),
    };
  });
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
      baseline: verdict.baseline
        ? { estimate: verdict.baseline.estimate, se: verdict.baseline.se }
        : null,
      current: verdict.current,
      z: verdict.z,
      // The EWMA is gone: the scan's z (`scanZ`) measures sustained declines now.
      ewmaZ: null,
      pValue: verdict.pValue ?? 1,
      detectedAt: deps.now().toISOString(),
      weeksFlagged: 1,
      lastFlaggedWeek: current,
      scanZ: verdict.scanZ,
      ...(verdict.since ? { since: verdict.since } : {}),
      ...(verdict.change !== null ? { change: verdict.change } : {}),
      ...(verdict.completeness !== null ? { completeness: verdict.completeness } : {}),
    });
    if (stored) newAlerts.push(stored);
  }
  if (newAlerts.length > 0) await deps.announce(newAlerts);
  return {
    week: current,
    series: verdicts.length,
    tested: verdicts.filter((v) => v.status === "tested").length,
    incomplete: verdicts.filter((v) => v.status === "incomplete").length,
    flagged: verdicts.filter((v) => v.alert).length,
    newAlerts,
    verdicts,
    requests: r.requests,
  };
}

/**
 * One series-week as the detector reads it: the weighted mean (`estimateMean`) with its
 * standard error, and whether the week may be tested — closed, and enough of its sample
 * scored.
 */
export function weeklyEstimate(
  week: string,
  sums: DimensionSums,
  counts: Counts,
  closed: boolean,
  settings: DriftSettings = DRIFT_DEFAULTS,
): WeeklyEstimate {
  const e = estimateMean(sums);
  // Reviews scored N/A on this dimension still count as scored: the task is done.
  const completeness = counts.sampled > 0 ? Math.min(1, counts.reviewed / counts.sampled) : null;
  return {
    week,
    estimate: e.estimate,
    se: e.se,
    ...("df" in e && typeof e.df === "number" ? { df: e.df } : {}),
    reviewed: e.reviewed,
    complete: closed && (completeness === null || completeness >= settings.minCompleteness),
    completeness,
  };
}

/**
 * Vendors whose week `week` is not closed yet: an agent-week of theirs has a sample but
 * period close has not fixed its weights (`weightsFixedFor`).
 */
async function unclosedVendors(r: Reader, week: string): Promise<Set<string>> {
  const agentWeeks = await queryPeriodPrefix(r, PERIOD.agentWeeks(week), "");
  const open = new Set<string>();
  for (const aw of agentWeeks) {
    const sample = Number(aw.sampled ?? 0) + Number(aw.floor ?? 0);
    if (sample > 0 && typeof aw.weightsFixedFor !== "string") open.add(String(aw.vendor));
  }
  return open;
}

/** `<vendor>|<channel>|<dimension>`. */
export const seriesId = (vendor: string, channel: string, dimension: string): string =>
  `${vendor}|${channel}|${dimension}`;

/** Splits a {@link seriesId}. */
export function parseSeriesId(id: string): { vendor: string; channel: string; dimension: string } {
  const [vendor = "", channel = "", dimension = ""] = id.split("|");
  return { vendor, channel, dimension };
}
