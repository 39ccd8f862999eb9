import { Rng } from "../local/demo/random";
import { closeAgentWeekDesign, inclusionProbabilities } from "../shared/design";
import {
  addItem,
  type Estimate,
  emptySums,
  estimateMean,
  estimateStrata,
  strataOfAgentWeekChannels,
  strataOfAgentWeeks,
} from "../shared/estimate";
import { rollupIncrements } from "../shared/rollup";
import { CURRENT_RUBRIC } from "../shared/rubric";
import type { ScoreSubmission } from "../shared/score";
import type { Channel } from "../shared/transcript";

/**
 * The estimation benchmark: design-based bias and 95% interval coverage of the product's
 * estimates on synthetic vendors whose true means are known. Each scenario fixes one finite
 * population (agents, weeks, channels, scores, N/A); every replication draws new sampling
 * ranks u, samples the way the pipeline does (Bernoulli `u < rate` per interaction, the
 * agent-week floor topped up at period close, the close's weights), reviews every sampled
 * interaction, builds the rollup items the review API would, and asks the estimator for each
 * slice. Bias is the mean estimate minus the slice's true mean; coverage is the share of
 * replications whose interval holds the true mean, among those that show a number.
 */

/** One channel of a scenario: its sampling rate and the latent mean of its scores. */
export interface ChannelSpec {
  channel: Channel;
  rate: number;
  mean: number;
}

/** A slice the product shows: some weeks of the vendor, optionally one channel or one agent. */
export interface SliceSpec {
  name: string;
  weeks: readonly string[];
  channel?: Channel;
  agent?: string;
}

/** A synthetic vendor with known truth. */
export interface Scenario {
  name: string;
  description: string;
  seed: number;
  weeks: readonly string[];
  floor: number;
  channels: readonly ChannelSpec[];
  /** Per agent: weekly volume (Poisson mean) and how many channels they work. */
  agents: ReadonlyArray<{ id: string; volume: number; channels: number }>;
  /** SD of a fixed agent effect, of an agent-week effect and of a single score (latent scale). */
  agentSd: number;
  agentWeekSd: number;
  noiseSd: number;
  /** Share of interactions whose dimension is N/A. */
  naRate: number;
  slices: readonly SliceSpec[];
  /**
   * Draw a new population for every replication and compare each estimate with that
   * population's own truth. For slices of a few dozen interactions the coverage of one fixed
   * population depends on its particular scores (for a 20-interaction agent, 80–97% across 16
   * populations), so one population says little about agents like it.
   */
  redrawPopulation?: boolean;
}

/** One population interaction. */
export interface Unit {
  id: number;
  agent: string;
  week: string;
  channel: Channel;
  rate: number;
  /** The score, or null when the dimension is N/A for this interaction. */
  x: number | null;
}

/** A unit in an agent-week's final sample with its design weight. */
export interface WeightedUnit {
  unit: Unit;
  weight: number;
  /** Whether period close topped the unit's agent-week up to its floor. */
  toppedUp?: boolean;
}

/**
 * What the benchmark measures: how period close turns an agent-week's ranks into a weighted
 * sample, and how a slice's estimate is read from rollup items.
 */
export interface EstimationPipeline {
  name: string;
  /** The agent-week's final sample with weights, given each unit's rank u. */
  closeAgentWeek(units: readonly Unit[], u: readonly number[], floor: number): WeightedUnit[];
  /** The estimate of one slice from the rollup items of the replication. */
  estimate(items: RollupItems, slice: SliceSpec): Estimate;
}

/** The rollup items one replication produced, as the review API and period close write them. */
export interface RollupItems {
  /** Agent-week × channel sums, with the agent-week's size and closure. */
  agentWeekChannels: Record<string, unknown>[];
  /** Agent-week sums (all channels), as the table's agent-week rollup item. */
  agentWeeks: Record<string, unknown>[];
}

/** One row of `bench/results.json` → `estimation.slices`. */
export interface EstimationRow {
  scenario: string;
  slice: string;
  bias: number;
  coverage: number;
  replications: number;
  /** Share of replications where the slice showed a number rather than `insufficient`. */
  shown: number;
  /** The slice's true mean (over redrawn populations: the mean of their truths). */
  truth: number;
  /**
   * Mean reviews in the slice, standard deviation of the estimate (over redrawn populations:
   * of the estimate's error), mean SE and mean df.
   */
  meanReviews: number;
  sdEstimate: number;
  meanSe: number;
  meanDf: number | null;
}

export const DIMENSION = "empathy" as const;

const POLICY_CHANNELS: readonly ChannelSpec[] = [
  { channel: "voice", rate: 0.06, mean: 3.4 },
  { channel: "chat", rate: 0.06, mean: 3.4 },
  { channel: "email", rate: 0.1, mean: 2.9 },
];

const weeksOf = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `2026-W${String(10 + i).padStart(2, "0")}`);

function agentsOf(rng: Rng, count: number, prefix: string, median: number, sigma: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${String(i + 1).padStart(2, "0")}`,
    volume: Math.max(1, median * Math.exp(rng.normal(0, sigma))),
    channels: rng.int(2, 3),
  }));
}

/** Vendor slices: the whole range and each week, all channels and each channel. */
function vendorSlices(weeks: readonly string[], channels: readonly ChannelSpec[]): SliceSpec[] {
  const out: SliceSpec[] = [];
  const ranges = weeks.length > 1 ? [{ name: `${weeks.length}-weeks`, weeks }] : [];
  for (const range of [...ranges, ...weeks.map((w) => ({ name: w, weeks: [w] }))]) {
    out.push({ name: `all-channels/${range.name}`, weeks: range.weeks });
    for (const c of channels)
      out.push({ name: `${c.channel}/${range.name}`, weeks: range.weeks, channel: c.channel });
  }
  return out;
}

/** The benchmark's scenarios; the contract names are kept exactly. */
export function scenarios(): Scenario[] {
  const rng = new Rng(2026, "estimation-scenarios");
  const four = weeksOf(4);
  const mixedChannels: ChannelSpec[] = [
    { channel: "voice", rate: 0.06, mean: 3.5 },
    { channel: "chat", rate: 0.06, mean: 4.5 },
    { channel: "email", rate: 0.1, mean: 2.5 },
    { channel: "sms", rate: 0.2, mean: 1.5 },
  ];
  const mixedAgents = agentsOf(rng, 40, "m", 30, 0.8).map((a) => ({
    ...a,
    channels: rng.int(2, 4),
  }));
  const effectAgents = agentsOf(rng, 30, "e", 30, 0.8);
  const small = [5, 8, 12, 20].map((volume, i) => ({
    id: `s${i + 1}`,
    volume,
    channels: 2,
  }));
  const smallAgents = [...small, ...agentsOf(rng, 10, "b", 60, 0.5)];
  const singleAgents = agentsOf(rng, 10, "w", 20, 0.8);
  return [
    {
      name: "mixed-rates",
      description:
        "40 agents on 2–4 channels each, 4 weeks; rates voice 6%, chat 6%, email 10%, sms 20%; latent channel means 3.5, 4.5, 2.5, 1.5 (a point apart); agent effect sd 0.2; floor 2",
      seed: 11,
      weeks: four,
      floor: 2,
      channels: mixedChannels,
      agents: mixedAgents,
      agentSd: 0.2,
      agentWeekSd: 0,
      noiseSd: 0.9,
      naRate: 0,
      slices: vendorSlices(four, mixedChannels),
    },
    {
      name: "agent-week-effects",
      description:
        "30 agents on 2–3 channels, 4 weeks; the shipped rates (voice and chat 6%, email 10%), email half a point lower; agent effect sd 0.3, agent-week effect sd 0.3; 8% N/A; floor 2",
      seed: 12,
      weeks: four,
      floor: 2,
      channels: POLICY_CHANNELS,
      agents: effectAgents,
      agentSd: 0.3,
      agentWeekSd: 0.3,
      noiseSd: 0.9,
      naRate: 0.08,
      slices: [
        ...vendorSlices(four, POLICY_CHANNELS),
        ...effectAgents
          .slice(0, 4)
          .map((a) => ({ name: `agent:${a.id}/4-weeks`, weeks: four, agent: a.id })),
      ],
    },
    {
      name: "small-agent",
      description:
        "4 small agents (5, 8, 12 and 20 interactions a week, about 8–11 reviews in 4 weeks) beside 10 large ones, 4 weeks; the shipped rates; agent effect sd 0.3, agent-week sd 0.15; 5% N/A; floor 2",
      seed: 13,
      weeks: four,
      floor: 2,
      channels: POLICY_CHANNELS,
      agents: smallAgents,
      agentSd: 0.3,
      agentWeekSd: 0.15,
      noiseSd: 0.9,
      naRate: 0.05,
      redrawPopulation: true,
      slices: [
        ...small.map((a) => ({ name: `agent:${a.id}/4-weeks`, weeks: four, agent: a.id })),
        { name: "all-channels/4-weeks", weeks: four },
      ],
    },
    {
      name: "single-week",
      description:
        "10 agents, one week; the shipped rates; agent effect sd 0.3; 5% N/A; floor 2: each slice is one closed week of few agent-weeks",
      seed: 14,
      weeks: weeksOf(1),
      floor: 2,
      channels: POLICY_CHANNELS,
      agents: singleAgents,
      agentSd: 0.3,
      agentWeekSd: 0,
      noiseSd: 0.9,
      naRate: 0.05,
      slices: vendorSlices(weeksOf(1), POLICY_CHANNELS),
    },
  ];
}

const clip = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

/** The scenario's finite population, the same on every replication. */
export function population(s: Scenario): Unit[] {
  const rng = new Rng(s.seed, `population:${s.name}`);
  const units: Unit[] = [];
  for (const agent of s.agents) {
    const effect = rng.normal(0, s.agentSd);
    const worked = [...s.channels]
      .map((c) => ({ c, key: rng.float() }))
      .sort((a, b) => a.key - b.key)
      .slice(0, Math.min(agent.channels, s.channels.length))
      .map((x) => ({ spec: x.c, share: 0.2 + rng.float() }));
    for (const week of s.weeks) {
      const weekEffect = rng.normal(0, s.agentWeekSd);
      const n = Math.max(1, rng.poisson(agent.volume));
      for (let i = 0; i < n; i++) {
        const { spec } = rng.weighted(
          worked,
          worked.map((w) => w.share),
        );
        const x = rng.chance(s.naRate)
          ? null
          : clip(rng.normal(spec.mean + effect + weekEffect, s.noiseSd));
        units.push({
          id: units.length,
          agent: agent.id,
          week,
          channel: spec.channel,
          rate: spec.rate,
          x,
        });
      }
    }
  }
  return units;
}

const inSlice = (
  item: { agent: string; week: string; channel?: string },
  slice: SliceSpec,
): boolean =>
  slice.weeks.includes(item.week) &&
  (slice.channel === undefined || item.channel === slice.channel) &&
  (slice.agent === undefined || item.agent === slice.agent);

function scoresOf(x: number | null): ScoreSubmission["scores"] {
  const score = x === null ? { na: "not applicable" } : { value: x };
  return Object.fromEntries(
    CURRENT_RUBRIC.dimensions.map((d) => [d.id, score]),
  ) as ScoreSubmission["scores"];
}

function addInto(item: Record<string, unknown>, increments: Record<string, number>) {
  for (const [field, value] of Object.entries(increments))
    item[field] = Number(item[field] ?? 0) + value;
}

/** The rollup items of one replication's weighted, fully reviewed sample. */
export function rollupItems(
  units: readonly Unit[],
  sample: readonly WeightedUnit[],
  closedFor = "closed",
): RollupItems {
  const awc = new Map<string, Record<string, unknown>>();
  const aw = new Map<string, Record<string, unknown>>();
  for (const u of units) {
    const cKey = `${u.agent}#${u.week}#${u.channel}`;
    let c = awc.get(cKey);
    if (!c) {
      c = {
        agent: u.agent,
        week: u.week,
        channel: u.channel,
        eligible: 0,
        closed: closedFor,
        toppedUp: false,
      };
      awc.set(cKey, c);
    }
    c.eligible = Number(c.eligible) + 1;
    const wKey = `${u.agent}#${u.week}`;
    let w = aw.get(wKey);
    if (!w) {
      w = {
        agent: u.agent,
        week: u.week,
        eligible: 0,
        weightsFixedFor: closedFor,
        toppedUp: false,
      };
      aw.set(wKey, w);
    }
    w.eligible = Number(w.eligible) + 1;
  }
  for (const c of awc.values()) c.stratumEligible = aw.get(`${c.agent}#${c.week}`)?.eligible;
  for (const { unit, weight, toppedUp } of sample) {
    const increments = rollupIncrements(scoresOf(unit.x), weight);
    const c = awc.get(`${unit.agent}#${unit.week}#${unit.channel}`);
    const w = aw.get(`${unit.agent}#${unit.week}`);
    if (c) addInto(c, increments);
    if (w) addInto(w, increments);
    if (toppedUp) {
      for (const item of awc.values())
        if (item.agent === unit.agent && item.week === unit.week) item.toppedUp = true;
      if (w) w.toppedUp = true;
    }
  }
  return { agentWeekChannels: [...awc.values()], agentWeeks: [...aw.values()] };
}

/**
 * The pipeline as shipped before issue #11: the floor top-up takes the lowest u, and every
 * primary item of a closed agent-week weighs N/n; a slice adds its rollup sums and
 * {@link estimateMean} gives the estimate and its interval.
 */
export const SHIPPED_PIPELINE: EstimationPipeline = {
  name: "shipped: bottom-u top-up, w = N/n, pooled linearised variance, z interval",
  closeAgentWeek(units, u, floor) {
    const order = units.map((_, i) => i).sort((a, b) => (u[a] ?? 0) - (u[b] ?? 0));
    const random = order.filter((i) => (u[i] ?? 1) < (units[i]?.rate ?? 0));
    const rest = order.filter((i) => (u[i] ?? 1) >= (units[i]?.rate ?? 0));
    const topUp = rest.slice(0, Math.max(0, Math.min(floor, units.length) - random.length));
    const chosen = [...random, ...topUp];
    const weight = units.length / chosen.length;
    return chosen.map((i) => ({ unit: units[i] as Unit, weight }));
  },
  estimate(items, slice) {
    const sums = emptySums();
    for (const item of items.agentWeekChannels) {
      if (inSlice(item as { agent: string; week: string; channel: string }, slice))
        addItem(sums, item, DIMENSION);
    }
    return estimateMean(sums);
  },
};

const piCache = new WeakMap<readonly Unit[], readonly number[]>();

/**
 * The pipeline as it is now: period close's own design (shared/design.ts: top-up by the
 * smallest u/rate, weights 1/π under the design as run), and each slice estimated from its
 * rollup items as agent-week strata with a t interval (shared/estimate.ts), as the trends do.
 */
export const PIPELINE: EstimationPipeline = {
  name: "top-up by u/rate, weights 1/π of the design as run (shared/design.ts), agent-week strata, t interval",
  closeAgentWeek(units, u, floor) {
    const items = units.map((unit, i) => ({
      u: u[i] ?? 1,
      rate: unit.rate,
      sampled: (u[i] ?? 1) < unit.rate,
    }));
    // π depends only on the agent-week's rates, the same in every replication.
    let pi = piCache.get(units);
    if (!pi) {
      pi = inclusionProbabilities(items, floor);
      piCache.set(units, pi);
    }
    const { weights, topUp } = closeAgentWeekDesign(items, floor, pi);
    const toppedUp = topUp.length > 0;
    return units.flatMap((unit, i) =>
      (weights[i] ?? 0) > 0 ? [{ unit, weight: weights[i] ?? 0, toppedUp }] : [],
    );
  },
  estimate(items, slice) {
    // What the trends read: an agent's agent-week rollups, or a vendor's agent-week × channel
    // rollups of the slice's weeks, as strata (shared/estimate.ts).
    if (slice.agent !== undefined) {
      const mine = items.agentWeeks.filter(
        (i) => i.agent === slice.agent && slice.weeks.includes(String(i.week)),
      );
      return estimateStrata(strataOfAgentWeeks(mine, DIMENSION));
    }
    const weeks = items.agentWeekChannels.filter((i) => slice.weeks.includes(String(i.week)));
    return estimateStrata(strataOfAgentWeekChannels(weeks, DIMENSION, slice.channel));
  },
};

/** Runs every scenario for `replications` and returns one row per scenario and slice. */
export function runEstimationScenarios(options: {
  replications: number;
  pipeline?: EstimationPipeline;
  only?: readonly string[];
}): EstimationRow[] {
  const pipeline = options.pipeline ?? PIPELINE;
  const rows: EstimationRow[] = [];
  for (const s of scenarios()) {
    if (options.only && !options.only.includes(s.name)) continue;
    const truthOf = (units: readonly Unit[], slice: SliceSpec) => {
      const xs = units.filter((u) => u.x !== null && inSlice(u, slice)).map((u) => u.x ?? 0);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const byAgentWeekOf = (units: readonly Unit[]) => {
      const byAgentWeek = new Map<string, Unit[]>();
      for (const u of units) {
        const key = `${u.agent}#${u.week}`;
        byAgentWeek.set(key, [...(byAgentWeek.get(key) ?? []), u]);
      }
      return byAgentWeek;
    };
    const fixed = population(s);
    const fixedGroups = byAgentWeekOf(fixed);
    const stats = s.slices.map((slice) => ({
      slice,
      truth: 0,
      errors: [] as number[],
      covered: 0,
      se: 0,
      df: 0,
      dfKnown: 0,
      reviews: 0,
    }));
    const rng = new Rng(s.seed, `replications:${s.name}`);
    for (let r = 0; r < options.replications; r++) {
      const units = s.redrawPopulation ? population({ ...s, seed: s.seed * 100_003 + r }) : fixed;
      const groups = s.redrawPopulation ? byAgentWeekOf(units) : fixedGroups;
      const sample: WeightedUnit[] = [];
      for (const group of groups.values()) {
        const u = group.map(() => rng.float());
        sample.push(...pipeline.closeAgentWeek(group, u, s.floor));
      }
      const items = rollupItems(units, sample);
      for (const st of stats) {
        const truth = truthOf(units, st.slice);
        st.truth += truth;
        const e = pipeline.estimate(items, st.slice);
        st.reviews += e.reviewed;
        if (e.status !== "ok") continue;
        st.errors.push(e.estimate - truth);
        st.se += e.se;
        const df = (e as { df?: number }).df;
        if (typeof df === "number" && Number.isFinite(df)) {
          st.df += df;
          st.dfKnown += 1;
        }
        if (e.ci95[0] <= truth && truth <= e.ci95[1]) st.covered += 1;
      }
    }
    for (const st of stats) {
      const k = st.errors.length;
      const bias = st.errors.reduce((a, b) => a + b, 0) / Math.max(1, k);
      const sd = Math.sqrt(st.errors.reduce((a, b) => a + (b - bias) ** 2, 0) / Math.max(1, k - 1));
      rows.push({
        scenario: s.name,
        slice: st.slice.name,
        bias: round(bias, 4),
        coverage: round(st.covered / Math.max(1, k), 4),
        replications: options.replications,
        shown: round(k / options.replications, 4),
        truth: round(st.truth / options.replications, 4),
        meanReviews: round(st.reviews / options.replications, 2),
        sdEstimate: round(sd, 4),
        meanSe: round(st.se / Math.max(1, k), 4),
        meanDf: st.dfKnown > 0 ? round(st.df / st.dfKnown, 1) : null,
      });
    }
  }
  return rows;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
