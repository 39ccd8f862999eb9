import { InvalidRequestError } from "../../shared/errors";
import {
  addItem,
  type Estimate,
  emptySums,
  estimateMean,
  estimateStrata,
  type Granularity,
  periodOfWeek,
  periodsBetween,
  strataOfAgentWeekChannels,
  strataOfAgentWeeks,
} from "../../shared/estimate";
import type { AgentWeekChannelRollup, AgentWeekRollup } from "../../shared/items";
import type { Dimension } from "../../shared/rubric";
import { isoWeek, isoWeekStart } from "../../shared/time";
import type { Channel } from "../../shared/transcript";
import { agentWeeks, type Reader, vendorAgentWeekChannels, vendorDays } from "./read";

/** A trend question: one dimension of one slice, cut by day, week or month. */
export interface TrendQuery {
  vendor: string;
  channel?: Channel;
  agent?: string;
  dimension: Dimension;
  granularity: Granularity;
  /** First day, `yyyy-mm-dd`. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** One period of a series. `population` is the eligible interactions the sampler counted. */
export type TrendPoint = { period: string; population: number } & Estimate;

/** A series and what it cost to read. */
export interface TrendSeries {
  query: TrendQuery;
  points: TrendPoint[];
  /** DynamoDB requests the query made. */
  requests: number;
}

/**
 * The weighted series of one slice: a vendor (all channels or one), or one agent. Weekly and
 * monthly points are estimated over agent-week strata (the design after period close, see
 * `estimateStrata`): a vendor's from its agent-week × channel rollups, an agent's from its
 * agent-week rollups. A week point covers the whole ISO week; a month point the ISO weeks
 * whose Thursday falls in it. Daily points cut across agent-weeks, so they are estimated from
 * the stratum-day rollups with the Poisson formula of `estimateMean`. Every period in the range
 * appears; periods with too few reviews say `insufficient`.
 */
export async function queryTrend(r: Reader, q: TrendQuery): Promise<TrendSeries> {
  const before = r.requests;
  const points = q.agent
    ? await agentSeries(r, q, q.agent)
    : q.granularity === "day"
      ? await daySeries(r, q)
      : await vendorSeries(r, q, q.granularity);
  return { query: q, points, requests: r.requests - before };
}

async function daySeries(r: Reader, q: TrendQuery): Promise<TrendPoint[]> {
  const byChannel = await vendorDays(
    r,
    q.vendor,
    q.from,
    q.to,
    q.channel ? [q.channel] : undefined,
  );
  const buckets = new Map(
    periodsBetween(q.from, q.to, "day").map((p) => [p, { sums: emptySums(), population: 0 }]),
  );
  for (const items of byChannel.values()) {
    for (const item of items) {
      const bucket = buckets.get(item.day);
      if (!bucket) continue;
      addItem(bucket.sums, item, q.dimension);
      bucket.population += item.eligible ?? 0;
    }
  }
  return [...buckets].map(([period, b]) => ({
    period,
    population: b.population,
    ...estimateMean(b.sums),
  }));
}

/** The ISO weeks a range of days touches, and the week and month each belongs to. */
function weeksOf(q: TrendQuery, granularity: Exclude<Granularity, "day">) {
  const weeks = periodsBetween(q.from, q.to, "week");
  const first = weeks[0] ?? isoWeek(`${q.from}T12:00:00Z`);
  const last = weeks.at(-1) ?? first;
  const periods = [...new Set(weeks.map((w) => periodOfWeek(w, granularity)))];
  return { weeks, first, last, periods };
}

async function vendorSeries(
  r: Reader,
  q: TrendQuery,
  granularity: Exclude<Granularity, "day">,
): Promise<TrendPoint[]> {
  const { first, last, periods } = weeksOf(q, granularity);
  const firstDay = isoWeekStart(first).toISOString().slice(0, 10);
  const lastDay = new Date(isoWeekStart(last).getTime() + 6 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const [strata, byChannel] = await Promise.all([
    vendorAgentWeekChannels(r, q.vendor, first, last),
    vendorDays(r, q.vendor, firstDay, lastDay, q.channel ? [q.channel] : undefined),
  ]);
  const buckets = new Map(
    periods.map((p) => [p, { items: [] as AgentWeekChannelRollup[], population: 0 }]),
  );
  for (const item of strata) {
    buckets.get(periodOfWeek(item.week, granularity))?.items.push(item);
  }
  for (const items of byChannel.values()) {
    for (const item of items) {
      const week = isoWeek(`${item.day}T12:00:00Z`);
      const bucket = buckets.get(periodOfWeek(week, granularity));
      if (bucket) bucket.population += item.eligible ?? 0;
    }
  }
  return [...buckets].map(([period, b]) => ({
    period,
    population: b.population,
    ...estimateStrata(strataOfAgentWeekChannels(b.items, q.dimension, q.channel)),
  }));
}

async function agentSeries(r: Reader, q: TrendQuery, agent: string): Promise<TrendPoint[]> {
  if (q.granularity === "day")
    throw new InvalidRequestError("agent series are weekly or monthly", [
      { path: "granularity", message: "use week or month with agent" },
    ]);
  if (q.channel)
    throw new InvalidRequestError("agent series cover all of an agent's channels", [
      { path: "channel", message: "leave channel out with agent" },
    ]);
  const granularity = q.granularity;
  const { first, last, periods } = weeksOf(q, granularity);
  const items = await agentWeeks(r, q.vendor, agent, first, last);
  const buckets = new Map(
    periods.map((p) => [p, { items: [] as AgentWeekRollup[], population: 0 }]),
  );
  for (const item of items) {
    const bucket = buckets.get(periodOfWeek(item.week, granularity));
    if (!bucket) continue;
    bucket.items.push(item);
    bucket.population += item.eligible ?? 0;
  }
  return [...buckets].map(([period, b]) => ({
    period,
    population: b.population,
    ...estimateStrata(strataOfAgentWeeks(b.items, q.dimension)),
  }));
}
