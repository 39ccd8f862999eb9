import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  DRIFT_DEFAULTS,
  type DriftSettings,
  historyWeeks,
  testSeries,
  type WeeklyEstimate,
} from "../core/drift/detect";
import { weeklyEstimate } from "../core/drift/run";
import { DEFAULT_PER_DAY } from "../local/demo/generate";
import { Rng } from "../local/demo/random";
import { buildRoster, type DemoChannel } from "../local/demo/roster";
import {
  SEVERITY_SD,
  type SimulatedReviewer,
  simulatedScore,
} from "../local/demo/simulate-reviews";
import { loadPolicy } from "../local/policy";
import { addItem, type DimensionSums, emptySums } from "../shared/estimate";
import { rateFor, type SamplingPolicy } from "../shared/policy";
import { rollupIncrements } from "../shared/rollup";

/**
 * Drift scenarios: series simulated at the review level with the product's sample sizes,
 * run through the real detector week by week, as the weekly job would run.
 *
 * Each run draws a fresh demo roster (3 vendors, 14–16 agents each, heavy-tailed volumes,
 * hidden quality), gives every agent × channel a Poisson number of contacts a week at the
 * demo's volume, samples them with the real policy (rate per vendor × channel, the per-agent
 * floor topped up bottom-k, weights N/n), scores them with the demo's simulated reviewers
 * and estimates each vendor × channel and vendor (all channels) week with `estimateMean`.
 */

/** One row of the drift benchmark. */
export interface DriftRow {
  scenario: string;
  /** New alerts on series that did not change, per 100 series-weeks tested. */
  falseAlertsPer100SeriesWeeks: number;
  /** Share of runs whose declining vendor had an alert in the decline's first 2 weeks. */
  detectedWithin2Weeks: number | null;
  /** The same within its first 4 weeks. */
  detectedWithin4Weeks: number | null;
  /** What was simulated. */
  description: string;
  runs: number;
  /** Tested series-weeks without any change, that the false alerts are counted over. */
  nullSeriesWeeks: number;
  /** `falseAlertsPer100SeriesWeeks` as alerts per series per year (52 weeks). */
  falseAlertsPerSeriesYear: number;
  /** Series-weeks flagged (a new alert or one still flagged), per 100 unchanged series-weeks. */
  flaggedWeeksPer100SeriesWeeks: number;
  /** Detection within 4 weeks by the declining vendor's all-channel series alone. */
  allChannelsDetectedWithin4Weeks: number | null;
  /** Mean reviews in a tested week: one vendor × channel, and one vendor's channels together. */
  reviewsPerWeek: { channel: number; allChannels: number };
}

/** Options of {@link runDriftScenarios}. */
export interface DriftScenarioOptions {
  /** Simulated runs per scenario. @default 400 */
  replications?: number;
  /** Seed of every random draw. @default 2026 */
  seed?: number;
  settings?: DriftSettings;
  /** Contacts a week as a multiple of the demo's default volume. @default 1 */
  volume?: number;
  /** The sampling policy. @default policy/sampling-policy.json */
  policy?: SamplingPolicy;
}

/** What one scenario simulates. */
interface Scenario {
  name: string;
  description: string;
  /** Standard deviation of the true weekly mean around its level. */
  weekSd: number;
  /** A step decline of one vendor (or one of its channels) from `fromWeek` on. */
  decline?: { size: number; fromWeek: number; channel?: DemoChannel };
  /** Added to the quality of each vendor's smaller half of agents (by volume). */
  smallAgents?: number;
  /**
   * How complete the tested week is: `gate` is the least the completeness gate lets through,
   * with every missing review a floor review; `random-only` is the sample before any floor
   * review is scored (4 hours after period close).
   */
  partial?: "gate" | "random-only";
}

const WEEKS = 52;
const DECLINE_FROM = 40;
const CHANNELS: readonly DemoChannel[] = ["voice", "chat", "email"];
const ALL = "all";
/**
 * Contacts a week per unit of the demo's `perDay`: the generator's weekday factors add up
 * to 5.7 (test/drift/scenarios.test.ts checks it against the generator).
 */
export const WEEKLY_DAYS = 5.7;
/** Simulated reviewers and their per-score noise, as the demo's review simulation uses. */
const REVIEWERS = 12;
const REVIEWER_NOISE = 0.5;
/** Turn ids a simulated score of 1–2 may cite as evidence. */
const CITABLE = ["t1"];

function scenarios(): Scenario[] {
  const noise = 0.15;
  return [
    {
      name: "no-week-noise",
      description: "no change, true weekly means constant",
      weekSd: 0,
    },
    {
      name: "week-noise",
      description: `no change, true weekly means vary with sd ${noise}; detection columns from decline-1.2 (2 weeks) and sustained-0.5 (4 weeks)`,
      weekSd: noise,
    },
    {
      name: "decline-1.2",
      description: `one vendor drops 1.2 points from week ${DECLINE_FROM + 1} on; week sd ${noise}`,
      weekSd: noise,
      decline: { size: 1.2, fromWeek: DECLINE_FROM },
    },
    {
      name: "sustained-0.5",
      description: `one vendor drops 0.5 points from week ${DECLINE_FROM + 1} on; week sd ${noise}`,
      weekSd: noise,
      decline: { size: 0.5, fromWeek: DECLINE_FROM },
    },
    {
      name: "channel-0.5",
      description: `one vendor's chat drops 0.5 points from week ${DECLINE_FROM + 1} on, its other channels do not; week sd ${noise}`,
      weekSd: noise,
      decline: { size: 0.5, fromWeek: DECLINE_FROM, channel: "chat" },
    },
    {
      name: "partial-week",
      description: `no change; the smaller half of agents scores 0.5 higher; each week tested at the least completeness the gate allows, the missing reviews all floor reviews; week sd ${noise}`,
      weekSd: noise,
      smallAgents: 0.5,
      partial: "gate",
    },
    {
      name: "partial-week-ungated",
      description: `as partial-week, but each week tested before any floor review is scored (the old schedule: 4 hours after period close)`,
      weekSd: noise,
      smallAgents: 0.5,
      partial: "random-only",
    },
  ];
}

interface Contact {
  channel: DemoChannel;
  u: number;
  sampled: boolean;
  floor: boolean;
}

interface Review {
  /** What the review adds to its rollup items. */
  increments: Record<string, number>;
  floor: boolean;
}

/** Weekly estimates of every series of one run: full, and as tested (maybe partial). */
interface RunData {
  /** series id → weekly estimates, complete data. */
  full: Map<string, WeeklyEstimate[]>;
  /** series id → the estimate of each week at the time it is tested. */
  tested: Map<string, WeeklyEstimate[]>;
  declining: string | undefined;
}

function simulateRun(
  rng: Rng,
  scenario: Scenario,
  policy: SamplingPolicy,
  settings: DriftSettings,
  volume: number,
): RunData {
  const roster = buildRoster(rng.fork("roster"));
  const reviewerRng = rng.fork("reviewers");
  const reviewers: SimulatedReviewer[] = Array.from({ length: REVIEWERS }, (_, i) => ({
    sub: `r${i}`,
    severity: reviewerRng.normal(0, SEVERITY_SD),
    noise: REVIEWER_NOISE,
  }));
  const weeklyContacts = DEFAULT_PER_DAY * WEEKLY_DAYS * volume;
  const declining = scenario.decline ? roster.vendors[rng.int(0, 2)]?.id : undefined;
  const full = new Map<string, WeeklyEstimate[]>();
  const tested = new Map<string, WeeklyEstimate[]>();

  for (const vendor of roster.vendors) {
    const agents = roster.agents.filter((a) => a.vendor === vendor.id);
    const medianWeight = [...agents.map((a) => a.volumeWeight)].sort((a, b) => a - b)[
      Math.floor(agents.length / 2)
    ];
    const rates = Object.fromEntries(
      CHANNELS.map((c) => [c, rateFor(policy, vendor.id, c)]),
    ) as Record<DemoChannel, number>;
    const ids = [...CHANNELS, ALL].map((c) => `${vendor.id}|${c}`);
    for (const id of ids) {
      full.set(id, []);
      tested.set(id, []);
    }
    for (let week = 0; week < WEEKS; week++) {
      const label = `W${String(week + 1).padStart(2, "0")}`;
      const vendorShift = rng.normal(0, scenario.weekSd * Math.SQRT1_2);
      const channelShift = Object.fromEntries(
        CHANNELS.map((c) => [c, rng.normal(0, scenario.weekSd * Math.SQRT1_2)]),
      ) as Record<DemoChannel, number>;
      const decline = (channel: DemoChannel) =>
        scenario.decline &&
        vendor.id === declining &&
        week >= scenario.decline.fromWeek &&
        (scenario.decline.channel ?? channel) === channel
          ? -scenario.decline.size
          : 0;
      const reviews = new Map<DemoChannel, Review[]>(CHANNELS.map((c) => [c, []]));
      for (const agent of agents) {
        const small =
          scenario.smallAgents && medianWeight !== undefined && agent.volumeWeight < medianWeight
            ? scenario.smallAgents
            : 0;
        const contacts: Contact[] = [];
        for (const channel of CHANNELS) {
          const count = rng.poisson(
            weeklyContacts * agent.volumeWeight * vendor.channelMix[channel],
          );
          for (let i = 0; i < count; i++) {
            const u = rng.float();
            contacts.push({ channel, u, sampled: u < rates[channel], floor: false });
          }
        }
        const eligible = contacts.length;
        if (eligible === 0) continue;
        // Period close tops the agent-week up to the floor with its lowest-u unsampled contacts.
        const want = Math.min(policy.floor.perAgentWeek, eligible);
        let have = contacts.reduce((n, c) => n + (c.sampled ? 1 : 0), 0);
        if (have < want) {
          const unsampled = contacts.filter((c) => !c.sampled).sort((a, b) => a.u - b.u);
          for (const c of unsampled.slice(0, want - have)) {
            c.sampled = true;
            c.floor = true;
          }
          have = want;
        }
        const weight = eligible / have;
        for (const c of contacts) {
          if (!c.sampled) continue;
          const level =
            agent.baseline.empathy +
            vendor.effects.empathy +
            vendorShift +
            channelShift[c.channel] +
            decline(c.channel) +
            small;
          // The demo generator's true quality of one interaction, then one simulated review of it.
          const truth = round(Math.min(5, Math.max(1, level + rng.normal(0, 0.3))), 2);
          const reviewer = reviewers[rng.int(0, reviewers.length - 1)];
          if (!reviewer) continue;
          const score = simulatedScore(
            {
              quality: { consistency: truth, scriptReliance: truth, empathy: truth },
              resolution: "resolved",
            },
            reviewer,
            rng,
            CITABLE,
          ).scores.empathy;
          if ("value" in score)
            reviews.get(c.channel)?.push({
              increments: incrementsOf(score.value, weight),
              floor: c.floor,
            });
        }
      }
      const all = CHANNELS.flatMap((c) => reviews.get(c) ?? []);
      // What is missing when the week is tested: the same reviews for every series of the vendor.
      const missing = missingReviews(rng, all, scenario.partial, settings.minCompleteness);
      for (const channel of [...CHANNELS, ALL]) {
        const list = channel === ALL ? all : (reviews.get(channel as DemoChannel) ?? []);
        const id = `${vendor.id}|${channel}`;
        const complete = weekly(label, list, list.length, settings);
        full.get(id)?.push(complete);
        if (missing.size === 0) {
          tested.get(id)?.push(complete);
          continue;
        }
        const present = list.filter((r) => !missing.has(r));
        const partial = weekly(label, present, list.length, settings);
        // Without the gate the week is tested as it is. With it, a week the gate holds back
        // is tested by a later run, once complete.
        if (scenario.partial === "random-only")
          tested.get(id)?.push({ ...partial, complete: true });
        else tested.get(id)?.push(partial.complete ? partial : complete);
      }
    }
  }
  return { full, tested, declining };
}

function missingReviews(
  rng: Rng,
  reviews: readonly Review[],
  partial: Scenario["partial"],
  minCompleteness: number,
): Set<Review> {
  if (!partial) return new Set();
  const floors = rng.shuffle(reviews.filter((r) => r.floor));
  if (partial === "random-only") return new Set(floors);
  return new Set(floors.slice(0, Math.floor((1 - minCompleteness) * reviews.length)));
}

/** A series-week as run.ts builds it, from `reviews` of a sample of `sampleSize`, all closed. */
function weekly(
  week: string,
  reviews: readonly Review[],
  sampleSize: number,
  settings: DriftSettings,
): WeeklyEstimate {
  const sums: DimensionSums = emptySums();
  for (const r of reviews) addItem(sums, r.increments, "empathy");
  return weeklyEstimate(
    week,
    sums,
    { sampled: sampleSize, reviewed: reviews.length },
    true,
    settings,
  );
}

const incrementCache = new Map<string, Record<string, number>>();

/** The rollup increments of a score `x` with weight `w` (memoised: weights repeat a lot). */
function incrementsOf(x: number, w: number): Record<string, number> {
  const key = `${x}|${w}`;
  let increments = incrementCache.get(key);
  if (!increments) {
    increments = rollupIncrements(
      { consistency: { value: x }, scriptReliance: { value: x }, empathy: { value: x } },
      w,
    );
    if (incrementCache.size < 100_000) incrementCache.set(key, increments);
  }
  return increments;
}

interface Tally {
  runs: number;
  nullSeriesWeeks: number;
  falseAlerts: number;
  flaggedNull: number;
  within2: number;
  within4: number;
  allWithin4: number;
  reviewed: { channel: number[]; all: number[] };
}

function runScenario(
  scenario: Scenario,
  replications: number,
  seed: number,
  policy: SamplingPolicy,
  settings: DriftSettings,
  volume: number,
): Tally {
  const tally: Tally = {
    runs: replications,
    nullSeriesWeeks: 0,
    falseAlerts: 0,
    flaggedNull: 0,
    within2: 0,
    within4: 0,
    allWithin4: 0,
    reviewed: { channel: [], all: [] },
  };
  const span = historyWeeks(settings);
  for (let r = 0; r < replications; r++) {
    const rng = new Rng(seed, `${scenario.name}#${r}`);
    const run = simulateRun(rng, scenario, policy, settings, volume);
    let first2 = false;
    let first4 = false;
    let all4 = false;
    for (const [id, weeks] of run.full) {
      const asTested = run.tested.get(id) ?? [];
      const declining = run.declining !== undefined && id.startsWith(`${run.declining}|`);
      let flaggedBefore = false;
      for (let t = 0; t < WEEKS; t++) {
        const current = asTested[t];
        if (!current) continue;
        const history = [...weeks.slice(Math.max(0, t + 1 - span), t), current];
        const verdict = testSeries({ id, weeks: history }, settings);
        if (verdict.status !== "tested") {
          flaggedBefore = false;
          continue;
        }
        (id.endsWith(`|${ALL}`) ? tally.reviewed.all : tally.reviewed.channel).push(
          current.reviewed,
        );
        const fromWeek = scenario.decline?.fromWeek ?? WEEKS;
        if (!declining || t < fromWeek) {
          tally.nullSeriesWeeks += 1;
          if (verdict.alert) {
            tally.flaggedNull += 1;
            if (!flaggedBefore) tally.falseAlerts += 1;
          }
        } else if (verdict.alert) {
          if (t < fromWeek + 2) first2 = true;
          if (t < fromWeek + 4) {
            first4 = true;
            if (id.endsWith(`|${ALL}`)) all4 = true;
          }
        }
        flaggedBefore = verdict.alert;
      }
    }
    if (first2) tally.within2 += 1;
    if (first4) tally.within4 += 1;
    if (all4) tally.allWithin4 += 1;
  }
  return tally;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]) =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Runs every drift scenario and returns one row each: `no-week-noise`, `week-noise`,
 * `decline-1.2`, `sustained-0.5`, `partial-week` and `partial-week-ungated`. The
 * `week-noise` row's detection columns are those of `decline-1.2` (within 2 weeks) and
 * `sustained-0.5` (within 4 weeks), which share its between-week noise.
 */
export async function runDriftScenarios(options: DriftScenarioOptions = {}): Promise<DriftRow[]> {
  const replications = options.replications ?? 400;
  const seed = options.seed ?? 2026;
  const settings = options.settings ?? DRIFT_DEFAULTS;
  const volume = options.volume ?? 1;
  const policy = options.policy ?? (await loadPolicy());
  const tallies = new Map(
    scenarios().map((s) => [
      s.name,
      { scenario: s, tally: runScenario(s, replications, seed, policy, settings, volume) },
    ]),
  );
  const rows: DriftRow[] = [];
  for (const { scenario, tally } of tallies.values()) {
    const rate = tally.nullSeriesWeeks ? (100 * tally.falseAlerts) / tally.nullSeriesWeeks : 0;
    const share = (n: number) => (scenario.decline ? round(n / tally.runs, 3) : null);
    rows.push({
      scenario: scenario.name,
      falseAlertsPer100SeriesWeeks: round(rate, 3),
      detectedWithin2Weeks: share(tally.within2),
      detectedWithin4Weeks: share(tally.within4),
      description: scenario.description,
      runs: tally.runs,
      nullSeriesWeeks: tally.nullSeriesWeeks,
      falseAlertsPerSeriesYear: round((rate * 52) / 100, 3),
      flaggedWeeksPer100SeriesWeeks: round(
        tally.nullSeriesWeeks ? (100 * tally.flaggedNull) / tally.nullSeriesWeeks : 0,
        3,
      ),
      allChannelsDetectedWithin4Weeks: share(tally.allWithin4),
      reviewsPerWeek: {
        channel: round(mean(tally.reviewed.channel), 1),
        allChannels: round(mean(tally.reviewed.all), 1),
      },
    });
  }
  const noise = rows.find((r) => r.scenario === "week-noise");
  if (noise) {
    noise.detectedWithin2Weeks =
      rows.find((r) => r.scenario === "decline-1.2")?.detectedWithin2Weeks ?? null;
    noise.detectedWithin4Weeks =
      rows.find((r) => r.scenario === "sustained-0.5")?.detectedWithin4Weeks ?? null;
  }
  return rows;
}

/**
 * `tsx bench/drift-scenarios.ts [--replications N] [--volume X] [--save]`: prints the rows;
 * `--save` also stores them in bench/results.json under `insights.drift`, where
 * `bench/insights.ts` (part of `npm run bench`) puts them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      replications: { type: "string", default: "400" },
      volume: { type: "string", default: "1" },
      save: { type: "boolean", default: false },
    },
  });
  const replications = Number(values.replications);
  const volume = Number(values.volume);
  if (!Number.isInteger(replications) || replications < 1)
    throw new RangeError(`--replications takes a positive integer, got ${values.replications}`);
  if (!(volume > 0)) throw new RangeError(`--volume takes a positive number, got ${values.volume}`);
  const rows = await runDriftScenarios({ replications, volume });
  console.log(JSON.stringify(rows, null, 2));
  if (!values.save) return;
  const path = resolve(import.meta.dirname, "results.json");
  const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  const insights = (all.insights ?? {}) as Record<string, unknown>;
  insights.drift = { ranAt: new Date().toISOString(), replications, volume, rows };
  await writeFile(path, `${JSON.stringify({ ...all, insights }, null, 2)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
