import { z } from "zod";
import { SUM_ATTRIBUTES, type SumField } from "../rollup";
import type { Dimension } from "../rubric";
import { ChannelSchema } from "../transcript";
import { parseItem } from "./codec";
import { CounterSchema, NameSchema, StoredDaySchema, StoredWeekSchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type ItemUpdate, itemUpdate } from "./update";

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

/** The weighted sums of every rubric dimension (see shared/rollup.ts): ADDed by submits. */
const SumsShape = Object.fromEntries(SUM_ATTRIBUTES.map((name) => [name, CounterSchema])) as {
  [K in `${Dimension}_${SumField}`]: typeof CounterSchema;
};

/** Counters the sampler ADDs when an interaction arrives, and period close when it tops up. */
const PopulationShape = {
  population: CounterSchema,
  eligible: CounterSchema,
  sampled: CounterSchema,
  calibration: CounterSchema,
  floor: CounterSchema,
  /** Primary reviews scored. */
  reviewed: CounterSchema,
};

/** One vendor × channel stratum on one day. */
export const StratumDayRollupSchema = z.looseObject({
  vendor: NameSchema,
  channel: ChannelSchema,
  day: StoredDaySchema,
  ...PopulationShape,
  ...SumsShape,
});
export type StratumDayRollup = z.infer<typeof StratumDayRollupSchema>;

/** One agent in one ISO week, with what period close recorded about its design. */
export const AgentWeekRollupSchema = z.looseObject({
  vendor: NameSchema,
  agent: NameSchema,
  week: StoredWeekSchema,
  ...PopulationShape,
  /** Floor tasks written at close whose queue message is not sent yet. */
  pendingFloor: z.set(z.string()).optional(),
  /** The counters close last saw (see close-week's countersOf). */
  closedCounters: z.string().optional(),
  /** The design signature the weights were last fixed for. */
  weightsFixedFor: z.string().optional(),
  toppedUp: z.boolean().optional(),
  ...SumsShape,
});
export type AgentWeekRollup = z.infer<typeof AgentWeekRollupSchema>;

/** One agent's interactions on one channel in one ISO week. */
export const AgentWeekChannelRollupSchema = z.looseObject({
  vendor: NameSchema,
  agent: NameSchema,
  week: StoredWeekSchema,
  channel: ChannelSchema,
  reviewed: CounterSchema,
  /** Set at close: the channel's eligible volume, the agent-week's, and its design. */
  eligible: z.number().optional(),
  stratumEligible: z.number().optional(),
  toppedUp: z.boolean().optional(),
  closed: z.string().optional(),
  ...SumsShape,
});
export type AgentWeekChannelRollup = z.infer<typeof AgentWeekChannelRollupSchema>;

/**
 * A stored stratum-day rollup.
 *
 * @throws MalformedItemError when it does not match {@link StratumDayRollupSchema}.
 */
export const stratumDayFromItem = (item: Record<string, unknown>): StratumDayRollup =>
  parseItem("stratum-day rollup", StratumDayRollupSchema, item);

/**
 * A stored agent-week rollup.
 *
 * @throws MalformedItemError when it does not match {@link AgentWeekRollupSchema}.
 */
export const agentWeekFromItem = (item: Record<string, unknown>): AgentWeekRollup =>
  parseItem("agent-week rollup", AgentWeekRollupSchema, item);

/**
 * A stored agent-week × channel rollup. A submit only ADDs to it; its week, agent and channel
 * attributes are written at period close, so until then they are read from its key.
 *
 * @throws MalformedItemError when it does not match {@link AgentWeekChannelRollupSchema}.
 */
export function agentWeekChannelFromItem(item: Record<string, unknown>): AgentWeekChannelRollup {
  const pk = String(item[KEYS.pk] ?? "");
  const [week, agent, channel] = String(item[KEYS.sk] ?? "").split("#");
  const fromKey = { vendor: pk.slice(agentWeekChannelPartition("").length), week, agent, channel };
  return parseItem("agent-week × channel rollup", AgentWeekChannelRollupSchema, {
    ...fromKey,
    ...item,
  });
}

/** What one arriving interaction adds to its stratum-day and agent-week. */
export interface Arrival {
  eligible: boolean;
  sampled: boolean;
  calibration: boolean;
}

const arrivalCounts = (a: Arrival) => ({
  population: 1,
  eligible: a.eligible ? 1 : 0,
  sampled: a.sampled ? 1 : 0,
  calibration: a.calibration ? 1 : 0,
});

/** Counts an arriving interaction into its stratum-day, (re)writing the day's identity and listing. */
export function stratumDayArrival(
  s: { vendor: string; channel: string; day: string },
  arrival: Arrival,
): ItemUpdate {
  return itemUpdate(stratumDayKey(s.vendor, s.channel, s.day), {
    add: arrivalCounts(arrival),
    set: {
      vendor: s.vendor,
      channel: s.channel,
      day: s.day,
      [KEYS.byPeriod.pk]: PERIOD.strata,
      [KEYS.byPeriod.sk]: `${s.day}#${s.vendor}#${s.channel}`,
    },
  });
}

/** Counts an arriving interaction into its agent-week, (re)writing its identity and listing. */
export function agentWeekArrival(
  a: { vendor: string; agent: string; week: string },
  arrival: Arrival,
): ItemUpdate {
  return itemUpdate(agentWeekKey(a.vendor, a.agent, a.week), {
    add: arrivalCounts(arrival),
    set: {
      vendor: a.vendor,
      agent: a.agent,
      week: a.week,
      [KEYS.byPeriod.pk]: PERIOD.agentWeeks(a.week),
      [KEYS.byPeriod.sk]: `${a.vendor}#${a.agent}`,
    },
  });
}

/**
 * ADDs `increments` (sum attribute → amount, see shared/rollup.ts) to one rollup item of any
 * grain.
 */
export const rollupSumsUpdate = (key: ItemKey, increments: Record<string, number>): ItemUpdate =>
  itemUpdate(key, { add: increments });

/** A period-close top-up counted into its stratum-day. */
export const stratumDayFloorAdded = (vendor: string, channel: string, day: string): ItemUpdate =>
  itemUpdate(stratumDayKey(vendor, channel, day), { add: { floor: 1 } });

/** The agent-week side of an agent-week's state at period close. */
export type AgentWeekCloseChange =
  /** A top-up: one more floor item, whose tasks are to be sent. */
  | { kind: "floor-added"; taskIds: readonly string[] }
  /** Floor tasks whose queue messages went out. */
  | { kind: "floor-sent"; taskIds: readonly string[] }
  /** The counters close saw, so an unchanged agent-week is skipped next time. */
  | { kind: "closed"; counters: string }
  /** The design signature its weights were fixed for. */
  | { kind: "weights-fixed"; signature: string; toppedUp: boolean };

/** One period-close change to an agent-week rollup. */
export function agentWeekClose(
  a: { vendor: string; agent: string; week: string },
  change: AgentWeekCloseChange,
): ItemUpdate {
  const key = agentWeekKey(a.vendor, a.agent, a.week);
  switch (change.kind) {
    case "floor-added":
      return itemUpdate(key, { add: { floor: 1, pendingFloor: new Set(change.taskIds) } });
    case "floor-sent":
      return itemUpdate(key, { delete: { pendingFloor: new Set(change.taskIds) } });
    case "closed":
      return itemUpdate(key, { set: { closedCounters: change.counters } });
    case "weights-fixed":
      return itemUpdate(key, {
        set: { weightsFixedFor: change.signature, toppedUp: change.toppedUp },
      });
  }
}

/** What period close tells an agent-week × channel rollup about its stratum's design. */
export interface AgentWeekChannelDesign {
  vendor: string;
  agent: string;
  week: string;
  channel: string;
  /** The channel's eligible interactions in the agent-week. */
  eligible: number;
  /** The agent-week's eligible interactions. */
  stratumEligible: number;
  toppedUp: boolean;
  /** The design signature of the close. */
  closed: string;
}

/** Writes an agent-week × channel rollup's identity and design at period close. */
export const agentWeekChannelDesign = (d: AgentWeekChannelDesign): ItemUpdate =>
  itemUpdate(agentWeekChannelKey(d.vendor, d.agent, d.week, d.channel), { set: { ...d } });
