import {
  addItem,
  type DimensionSums,
  type Estimate,
  emptySums,
  estimateMean,
  type Granularity,
  periodOfDay,
  periodOfWeek,
  periodsBetween,
} from "../../shared/estimate";
import type { Dimension } from "../../shared/rubric";
import {
  type AgentChannelEstimate,
  agentChannelCell,
  type DifferenceTest,
  type HeterogeneityTest,
  type WithinAgentComparison,
  welchAnova,
  welchDifference,
  withinAgentComparison,
} from "../../shared/stats/channel-tests";
import { isoWeek } from "../../shared/time";
import { CHANNELS, type Channel } from "../../shared/transcript";
import { type Reader, vendorAgentWeekChannels, vendorDays } from "./read";

/** How a vendor's channels compare on one dimension in one period. */
export interface ChannelComparison {
  period: string;
  channels: Array<{ channel: Channel; population: number } & Estimate>;
  /**
   * Highest minus lowest channel estimate, among channels with enough reviews, with a Welch
   * t interval (Welch–Satterthwaite degrees of freedom).
   */
  largestGap: ({ high: Channel; low: Channel } & DifferenceTest) | null;
  /**
   * Welch's F test that every channel with enough reviews has the same mean, each estimate
   * counted with its degrees of freedom (reviews − 1 unless the estimate carries `df`).
   */
  agreement: HeterogeneityTest | null;
  /**
   * The same comparison within agents (agent fixed effects), so that a gap that comes from
   * which agents work which channel is not read as a channel effect. It reads the agent-week ×
   * channel rollups, so it covers the whole ISO weeks the period touches; null for a day
   * period and when no agent worked two channels.
   */
  withinAgent: WithinAgentComparison | null;
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
 * compared; the agreement test is the one to act on. Both use small-sample references (t
 * and F with Welch–Satterthwaite degrees of freedom): with 5–8 reviews a channel, the
 * normal and χ² references rejected equal channels about 11% of the time at a nominal 5%
 * (bench/calibration-scenarios.ts).
 */
export async function compareChannels(
  r: Reader,
  q: { vendor: string; dimension: Dimension; granularity: Granularity; from: string; to: string },
): Promise<ChannelReport> {
  const before = r.requests;
  const weeks = periodsBetween(q.from, q.to, "week");
  const firstWeek = weeks[0] ?? isoWeek(`${q.from}T12:00:00Z`);
  const lastWeek = weeks.at(-1) ?? firstWeek;
  const [byChannel, agentWeekChannels] = await Promise.all([
    vendorDays(r, q.vendor, q.from, q.to),
    vendorAgentWeekChannels(r, q.vendor, firstWeek, lastWeek),
  ]);
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
      for (const period of [periodOfDay(item.day, q.granularity), "overall"]) {
        const c = cell(period, channel);
        addItem(c.sums, item, q.dimension);
        c.population += item.eligible ?? 0;
      }
    }
  }
  // period → "agent|channel" → sums, from the agent-week × channel rollups.
  const agentCells = new Map<string, Map<string, DimensionSums>>();
  for (const item of agentWeekChannels) {
    const week = item.week;
    const inPeriods =
      q.granularity === "day" ? ["overall"] : [periodOfWeek(week, q.granularity), "overall"];
    for (const period of inPeriods) {
      const byCell = agentCells.get(period) ?? new Map<string, DimensionSums>();
      agentCells.set(period, byCell);
      const key = `${item.agent}|${item.channel}`;
      byCell.set(key, addItem(byCell.get(key) ?? emptySums(), item, q.dimension));
    }
  }
  const compare = (period: string): ChannelComparison => {
    const channels = CHANNELS.filter((ch) => cells.has(`${period}|${ch}`)).map((channel) => {
      const c = cell(period, channel);
      return { channel, population: c.population, ...estimateMean(c.sums) };
    });
    const ok = channels.flatMap((c) => (c.status === "ok" ? [c] : []));
    let largestGap: ChannelComparison["largestGap"] = null;
    if (ok.length >= 2) {
      const sorted = [...ok].sort((a, b) => b.estimate - a.estimate);
      const high = sorted[0];
      const low = sorted.at(-1);
      const gap = high && low ? welchDifference(high, low) : null;
      if (high && low && gap) largestGap = { high: high.channel, low: low.channel, ...gap };
    }
    const byCell = agentCells.get(period);
    return {
      period,
      channels,
      largestGap,
      agreement: welchAnova(ok),
      withinAgent: byCell ? withinAgentComparison(agentChannelEstimates(byCell)) : null,
    };
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

/** One {@link agentChannelCell} per agent × channel cell with a review. */
function agentChannelEstimates(byCell: ReadonlyMap<string, DimensionSums>): AgentChannelEstimate[] {
  return [...byCell].flatMap(([key, sums]) => {
    const [agent = "", channel = ""] = key.split("|");
    const cell = agentChannelCell(agent, channel, sums);
    return cell ? [cell] : [];
  });
}
