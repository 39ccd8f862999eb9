import type { ItemKey } from "./table";

/** Population, sample and score sums of one vendor × channel stratum on one day. */
export const stratumDayKey = (vendor: string, channel: string, day: string): ItemKey => ({
  pk: `ST#${vendor}#${channel}`,
  sk: `D#${day}`,
});

/** The same sums for one agent in one ISO week. */
export const agentWeekKey = (vendor: string, agent: string, week: string): ItemKey => ({
  pk: `AG#${vendor}#${agent}`,
  sk: `W#${week}`,
});

/**
 * The score sums of one agent's interactions on one channel in one ISO week, with the design
 * of its agent-week (set at period close). Agent-weeks are the strata of the design after
 * close, so a vendor's interval reads these: one partition per vendor, sorted by week.
 */
export const agentWeekChannelKey = (
  vendor: string,
  agent: string,
  week: string,
  channel: string,
): ItemKey => ({ pk: agentWeekChannelPartition(vendor), sk: `${week}#${agent}#${channel}` });

/** The partition of a vendor's agent-week × channel rollups. */
export const agentWeekChannelPartition = (vendor: string): string => `AWC#${vendor}`;
