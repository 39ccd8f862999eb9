import {
  addItem,
  agreementTest,
  difference,
  type Estimate,
  emptySums,
  estimateMean,
  type Granularity,
  periodOfDay,
  periodsBetween,
} from "../../shared/estimate";
import type { Dimension } from "../../shared/rubric";
import { CHANNELS, type Channel } from "../../shared/transcript";
import { type Reader, vendorDays } from "./read";

/** How a vendor's channels compare on one dimension in one period. */
export interface ChannelComparison {
  period: string;
  channels: Array<{ channel: Channel; population: number } & Estimate>;
  /** Highest minus lowest channel estimate, among channels with enough reviews. */
  largestGap: {
    high: Channel;
    low: Channel;
    estimate: number;
    se: number;
    ci95: [number, number];
  } | null;
  /** Wald χ² test that every channel with enough reviews has the same mean. */
  agreement: { statistic: number; df: number; pValue: number } | null;
}

/** The channel comparison of a vendor over the whole range and per period. */
export interface ChannelReport {
  vendor: string;
  dimension: Dimension;
  from: string;
  to: string;
  overall: ChannelComparison;
  periods: ChannelComparison[];
  requests: number;
}

/**
 * Per vendor and period, each channel's weighted estimate, the largest gap between two
 * channels with its interval, and a test that the channels agree. The gap is picked after
 * looking (highest minus lowest), so its interval is optimistic when many channels are
 * compared; the agreement test is the one to act on.
 */
export async function compareChannels(
  r: Reader,
  q: { vendor: string; dimension: Dimension; granularity: Granularity; from: string; to: string },
): Promise<ChannelReport> {
  const before = r.requests;
  const byChannel = await vendorDays(r, q.vendor, q.from, q.to);
  const periods = periodsBetween(q.from, q.to, q.granularity);
  const cells = new Map<string, { sums: ReturnType<typeof emptySums>; population: number }>();
  const cell = (period: string, channel: Channel) => {
    const key = `${period}|${channel}`;
    let found = cells.get(key);
    if (!found) {
      found = { sums: emptySums(), population: 0 };
      cells.set(key, found);
    }
    return found;
  };
  for (const [channel, items] of byChannel) {
    for (const item of items) {
      for (const period of [periodOfDay(String(item.day), q.granularity), "overall"]) {
        const c = cell(period, channel);
        addItem(c.sums, item, q.dimension);
        c.population += Number(item.eligible ?? 0);
      }
    }
  }
  const compare = (period: string): ChannelComparison => {
    const channels = CHANNELS.filter((ch) => cells.has(`${period}|${ch}`)).map((channel) => {
      const c = cell(period, channel);
      return { channel, population: c.population, ...estimateMean(c.sums) };
    });
    const ok = channels.filter((c) => c.status === "ok");
    let largestGap: ChannelComparison["largestGap"] = null;
    if (ok.length >= 2) {
      const sorted = [...ok].sort((a, b) => (b.estimate ?? 0) - (a.estimate ?? 0));
      const high = sorted[0];
      const low = sorted.at(-1);
      const gap = high && low ? difference(high, low) : null;
      if (high && low && gap) largestGap = { high: high.channel, low: low.channel, ...gap };
    }
    return { period, channels, largestGap, agreement: agreementTest(channels) };
  };
  return {
    vendor: q.vendor,
    dimension: q.dimension,
    from: q.from,
    to: q.to,
    overall: compare("overall"),
    periods: periods.map(compare),
    requests: r.requests - before,
  };
}
