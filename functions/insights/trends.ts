import {
  addItem,
  type Estimate,
  emptySums,
  estimateMean,
  type Granularity,
  periodOfDay,
  periodOfWeek,
  periodsBetween,
} from "../../shared/estimate";
import type { Dimension } from "../../shared/rubric";
import { isoWeek } from "../../shared/time";
import type { Channel } from "../../shared/transcript";
import { InvalidRequestError } from "../review-api/errors";
import { agentWeeks, type Reader, vendorDays } from "./read";

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
 * The weighted series of one slice: a vendor (all channels or one) from its stratum-day
 * rollups, or one agent from its agent-week rollups. Every period in the range appears;
 * periods with too few reviews say `insufficient`.
 */
export async function queryTrend(r: Reader, q: TrendQuery): Promise<TrendSeries> {
  const before = r.requests;
  const points = q.agent ? await agentSeries(r, q, q.agent) : await stratumSeries(r, q);
  return { query: q, points, requests: r.requests - before };
}

async function stratumSeries(r: Reader, q: TrendQuery): Promise<TrendPoint[]> {
  const byChannel = await vendorDays(
    r,
    q.vendor,
    q.from,
    q.to,
    q.channel ? [q.channel] : undefined,
  );
  const buckets = new Map(
    periodsBetween(q.from, q.to, q.granularity).map((p) => [
      p,
      { sums: emptySums(), population: 0 },
    ]),
  );
  for (const items of byChannel.values()) {
    for (const item of items) {
      const bucket = buckets.get(periodOfDay(String(item.day), q.granularity));
      if (!bucket) continue;
      addItem(bucket.sums, item, q.dimension);
      bucket.population += Number(item.eligible ?? 0);
    }
  }
  return [...buckets].map(([period, b]) => ({
    period,
    population: b.population,
    ...estimateMean(b.sums),
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
  const weeks = periodsBetween(q.from, q.to, "week");
  const items = await agentWeeks(
    r,
    q.vendor,
    agent,
    isoWeek(`${q.from}T12:00:00Z`),
    isoWeek(`${q.to}T12:00:00Z`),
  );
  const buckets = new Map(
    [...new Set(weeks.map((w) => periodOfWeek(w, granularity)))].map((p) => [
      p,
      { sums: emptySums(), population: 0 },
    ]),
  );
  for (const item of items) {
    const bucket = buckets.get(periodOfWeek(String(item.week), granularity));
    if (!bucket) continue;
    addItem(bucket.sums, item, q.dimension);
    bucket.population += Number(item.eligible ?? 0);
  }
  return [...buckets].map(([period, b]) => ({
    period,
    population: b.population,
    ...estimateMean(b.sums),
  }));
}
