// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  addItem,
  agreementTest,
  type DimensionSums,
  emptySums,
  estimateMean,
} from "../shared/estimate";
import { rollupIncrements } from "../shared/rollup";
import {
  krippendorffAlphaOrdinal,
  type ReviewerRating,
  reviewerSeverity,
} from "../shared/stats/agreement";
import { bootstrapAlphaOrdinal } from "../shared/stats/alpha-bootstrap";
import { MIN_ALPHA_UNITS } from "../shared/stats/alpha-verdict";
import { agentChannelCell, welchAnova, withinAgentComparison } from "../shared/stats/channel-tests";
import { empiricalBayesPool } from "../shared/stats/pooling";
import { normalFrom, seededUniform, type Uniform } from "../shared/stats/random";
import { MIN_SHARED_UNITS, reviewerSeverityModel } from "../shared/stats/severity";

/**
 * Known-truth benchmarks of the calibration, agent and channel statistics, each next to the
 * method it replaced:
 * - alpha: coverage and half-width of the bootstrap 95% interval of ordinal alpha, by number of
 *   calibration units, against alpha on 200,000 units of the same process;
 * - reviewer severity: how often a reviewer is named harsh or lenient, when nobody is
 *   (false labels) and when severities vary (wrong-sign labels, and how many real ones it finds);
 * - agent pooling: error of the pooled agent estimates against the raw ones, and interval
 *   coverage, against each agent's true mean, sampled with the real design;
 * - channels: the achieved size of the channel test at a nominal 5% on a small vendor's week
 *   whose channels have exactly equal true means, old χ² against Welch's F.
 * Everything is seeded: a run with the same options gives the same rows.
 */

/** One benchmark figure with its target. */
export interface CalibrationRow {
  benchmark:
    | "alpha-coverage"
    | "severity-labels"
    | "agent-pooling"
    | "channel-size"
    | "within-agent"
    | "report-cost"
    | "alpha-resampling";
  scenario: string;
  method: string;
  metric: string;
  value: number;
  /** The range the value should fall in, when there is one. */
  target: readonly [number, number] | null;
  met: boolean | null;
  replications: number;
}

/** Options of {@link runCalibrationScenarios}. */
export interface CalibrationOptions {
  /** Replications per scenario (the alpha scenarios use a fifth: each runs a bootstrap). @default 2000 */
  replications?: number;
  seed?: number;
  /** Only these benchmarks. @default all */
  only?: ReadonlyArray<CalibrationRow["benchmark"]>;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

function row(
  benchmark: CalibrationRow["benchmark"],
  scenario: string,
  method: string,
  metric: string,
  value: number,
  replications: number,
  target: readonly [number, number] | null = null,
): CalibrationRow {
  return {
    benchmark,
    scenario,
    method,
    metric,
    value: round(value),
    target,
    met: target ? value >= target[0] && value <= target[1] : null,
    replications,
  };
}

const clampScore = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

function poisson(uniform: Uniform, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = uniform();
  while (p > limit) {
    k += 1;
    p *= uniform();
  }
  return k;
}

// ---------------------------------------------------------------- calibration data

/**
 * A calibration process like the product's: each interaction has a true quality, `coders`
 * distinct reviewers from a pool score it with their own severity and noise, rounded to 1–5.
 */
function calibrationUnits(
  uniform: Uniform,
  units: number,
  severities: readonly number[],
  coders: number,
  noiseSd: number,
): ReviewerRating[][] {
  const out: ReviewerRating[][] = [];
  for (let i = 0; i < units; i++) {
    const quality = 3.4 + 0.9 * normalFrom(uniform);
    const chosen = new Set<number>();
    while (chosen.size < coders) chosen.add(Math.floor(uniform() * severities.length));
    out.push(
      [...chosen].map((r) => ({
        reviewer: `r${String(r).padStart(2, "0")}`,
        value: clampScore(quality + (severities[r] ?? 0) + noiseSd * normalFrom(uniform)),
      })),
    );
  }
  return out;
}

const values = (units: ReviewerRating[][]) => units.map((u) => u.map((r) => r.value));

/**
 * Each reviewer's true severity on the 1–5 scale the model sees: their expected score on a
 * random interaction minus the average reviewer's (rounding and the ends of the scale make
 * it smaller than the latent severity), by Monte Carlo over 4,000 interactions.
 */
function observedSeverities(
  uniform: Uniform,
  severities: readonly number[],
  noiseSd: number,
): number[] {
  const expected = severities.map(() => 0);
  const draws = 4_000;
  for (let i = 0; i < draws; i++) {
    const quality = 3.4 + 0.9 * normalFrom(uniform);
    severities.forEach((s, r) => {
      expected[r] =
        (expected[r] ?? 0) + clampScore(quality + s + noiseSd * normalFrom(uniform)) / draws;
    });
  }
  const mean = expected.reduce((s, x) => s + x, 0) / expected.length;
  return expected.map((x) => x - mean);
}

function alphaCoverage(replications: number, seed: number): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const reps = Math.max(50, Math.round(replications / 5));
  for (const coders of [3, 2]) {
    const uniform = seededUniform(seed + coders);
    const severities = Array.from({ length: 12 }, () => 0.25 * normalFrom(uniform));
    const truth =
      krippendorffAlphaOrdinal(values(calibrationUnits(uniform, 200_000, severities, coders, 0.45)))
        .alpha ?? Number.NaN;
    const scenario = `${coders} reviewers per interaction, true alpha ${truth.toFixed(3)}`;
    for (const n of [10, 20, 30, 50, 80, 120]) {
      for (const method of ["bca", "percentile"] as const) {
        let covered = 0;
        let width = 0;
        let shown = 0;
        const local = seededUniform(seed * 31 + n * 7 + coders);
        for (let r = 0; r < reps; r++) {
          const data = values(calibrationUnits(local, n, severities, coders, 0.45));
          const a = bootstrapAlphaOrdinal(data, { method, seed: r + 1 });
          if (!a.ci95) continue;
          shown += 1;
          if (a.ci95[0] <= truth && truth <= a.ci95[1]) covered += 1;
          width += (a.ci95[1] - a.ci95[0]) / 2;
        }
        const target: readonly [number, number] | null =
          n >= MIN_ALPHA_UNITS && method === "bca" ? [0.93, 0.97] : null;
        rows.push(
          row(
            "alpha-coverage",
            `${scenario}, ${n} units`,
            method,
            "coverage of the 95% interval",
            covered / shown,
            reps,
            target,
          ),
        );
        rows.push(
          row(
            "alpha-coverage",
            `${scenario}, ${n} units`,
            method,
            "mean half-width",
            width / shown,
            reps,
          ),
        );
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------- reviewer severity

function severityLabels(replications: number, seed: number): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const reps = Math.max(20, Math.round(replications / 10));
  for (const [spread, units] of [
    [0, 20],
    [0, 60],
    [0, 200],
    [0.25, 60],
    [0.25, 200],
  ] as const) {
    const uniform = seededUniform(seed + units * 13 + spread * 1000);
    const counts = {
      reviewers: 0,
      model: 0,
      modelWrong: 0,
      naive: 0,
      naiveWrong: 0,
      large: 0,
      found: 0,
      covered: 0,
    };
    for (let r = 0; r < reps; r++) {
      const severities = Array.from({ length: 12 }, () => spread * normalFrom(uniform));
      const observed = observedSeverities(uniform, severities, 0.45);
      const data = calibrationUnits(uniform, units, severities, 3, 0.45);
      const truthOf = (id: string) => observed[Number(id.slice(1))] ?? 0;
      const wrong = (harsh: boolean, truth: number) => spread === 0 || harsh !== truth < 0;
      for (const e of reviewerSeverityModel(data).reviewers) {
        const truth = truthOf(e.reviewer);
        counts.reviewers += 1;
        if (e.ci95 && e.ci95[0] <= truth && truth <= e.ci95[1]) counts.covered += 1;
        if (e.label) {
          counts.model += 1;
          if (wrong(e.label === "harsh", truth)) counts.modelWrong += 1;
        }
        if (Math.abs(truth) >= 0.25) {
          counts.large += 1;
          if (e.label && !wrong(e.label === "harsh", truth)) counts.found += 1;
        }
      }
      // The old figure: mean deviation from the others, named when |mean| > 1.96·se.
      for (const s of reviewerSeverity(data)) {
        if (s.se === null || Math.abs(s.severity) <= 1.96 * s.se) continue;
        counts.naive += 1;
        if (wrong(s.severity < 0, truthOf(s.reviewer))) counts.naiveWrong += 1;
      }
    }
    const scenario = `12 reviewers, ${units} interactions × 3, severity SD ${spread}`;
    const target: readonly [number, number] = [0, 0.01];
    const model = `additive model, ≥ ${MIN_SHARED_UNITS} shared`;
    const add = (
      method: string,
      metric: string,
      value: number,
      range?: readonly [number, number],
    ) => rows.push(row("severity-labels", scenario, method, metric, value, reps, range));
    add(
      model,
      "reviewers wrongly named (per reviewer)",
      counts.modelWrong / counts.reviewers,
      target,
    );
    add(
      "mean deviation, |d| > 1.96·se",
      "reviewers wrongly named (per reviewer)",
      counts.naiveWrong / counts.reviewers,
    );
    if (spread > 0)
      add(model, "coverage of the 95% interval", counts.covered / counts.reviewers, [0.93, 0.97]);
    if (counts.large > 0)
      add(model, "reviewers with |severity| ≥ 0.25 named correctly", counts.found / counts.large);
  }
  return rows;
}

// ---------------------------------------------------------------- agents

/** The pipeline's design on one agent-week: ranks u, `u < rate`, floor top-up, w = N/n. */
export function sampleAgentWeek(
  uniform: Uniform,
  contacts: ReadonlyArray<{ x: number; rate: number }>,
  floor: number,
): Array<{ x: number; w: number; index: number }> {
  const N = contacts.length;
  const ranked = contacts
    .map((c, index) => ({ ...c, index, u: uniform() }))
    .sort((a, b) => a.u - b.u);
  const random = ranked.filter((r) => r.u < r.rate);
  const chosen = random.length >= Math.min(floor, N) ? random : ranked.slice(0, Math.min(floor, N));
  // Top-ups are the lowest-u unsampled ones: with a common rate that is a prefix of the ranks.
  const n = chosen.length;
  return chosen.map((r) => ({ x: r.x, w: N / n, index: r.index }));
}

export function sumsOf(
  sample: ReadonlyArray<{ x: number; w: number }>,
  into = emptySums(),
): DimensionSums {
  for (const { x, w } of sample) {
    addItem(
      into,
      rollupIncrements(
        { consistency: { value: x }, scriptReliance: { value: x }, empathy: { value: x } },
        w,
      ),
      "consistency",
    );
  }
  return into;
}

/** (Σw² − Σw)/(Σw)²: an estimate's variance per unit of one review's variance. */
const varianceFactor = (s: DimensionSums) => Math.max(0, s.sww - s.sw) / (s.sw * s.sw);

/** Errors of raw and pooled agent estimates on one agent-pooling scenario. */
export interface PoolingErrors {
  estimates: number;
  rawRmse: number;
  pooledRmse: number;
  rawCoverage: number;
  pooledCoverage: number;
  /** The same, for agents with 5–8 reviews only. */
  smallEstimates: number;
  smallRawRmse: number;
  smallPooledRmse: number;
}

/**
 * A vendor of `agents` agents with heavy-tailed weekly volumes (lognormal, median 12) and true
 * qualities 3.6 + N(0, spread²), over `weeks` weeks, sampled with the real design (rate 6%,
 * floor 2 per agent-week, w = N/n); each agent's truth is the mean of all their scores.
 */
export function agentPoolingErrors(q: {
  agents: number;
  weeks: number;
  spread: number;
  replications: number;
  seed: number;
}): PoolingErrors {
  const uniform = seededUniform(q.seed);
  const t = {
    n: 0,
    raw: 0,
    pooled: 0,
    rawCover: 0,
    pooledCover: 0,
    smallN: 0,
    smallRaw: 0,
    smallPooled: 0,
  };
  for (let r = 0; r < q.replications; r++) {
    const estimates = [];
    for (let a = 0; a < q.agents; a++) {
      const volume = Math.exp(Math.log(12) + 0.9 * normalFrom(uniform));
      const quality = 3.6 + q.spread * normalFrom(uniform);
      const sums = emptySums();
      let total = 0;
      let count = 0;
      for (let w = 0; w < q.weeks; w++) {
        const N = Math.max(1, poisson(uniform, volume));
        const contacts = Array.from({ length: N }, () => ({
          x: clampScore(quality + 0.9 * normalFrom(uniform)),
          rate: 0.06,
        }));
        for (const c of contacts) total += c.x;
        count += N;
        sumsOf(sampleAgentWeek(uniform, contacts, 2), sums);
      }
      const e = estimateMean(sums);
      if (e.status === "ok") estimates.push({ truth: total / count, e, f: varianceFactor(sums) });
    }
    const pool = empiricalBayesPool(
      estimates.map(({ e, f }) => ({
        estimate: e.estimate,
        se: e.se,
        reviewed: e.reviewed,
        varianceFactor: f,
      })),
    );
    if (!pool) continue;
    estimates.forEach(({ truth, e }, i) => {
      const p = pool.pooled[i];
      if (!p) return;
      t.n += 1;
      t.raw += (e.estimate - truth) ** 2;
      t.pooled += (p.estimate - truth) ** 2;
      if (e.ci95[0] <= truth && truth <= e.ci95[1]) t.rawCover += 1;
      if (p.ci95[0] <= truth && truth <= p.ci95[1]) t.pooledCover += 1;
      if (e.reviewed <= 8) {
        t.smallN += 1;
        t.smallRaw += (e.estimate - truth) ** 2;
        t.smallPooled += (p.estimate - truth) ** 2;
      }
    });
  }
  return {
    estimates: t.n,
    rawRmse: Math.sqrt(t.raw / t.n),
    pooledRmse: Math.sqrt(t.pooled / t.n),
    rawCoverage: t.rawCover / t.n,
    pooledCoverage: t.pooledCover / t.n,
    smallEstimates: t.smallN,
    smallRawRmse: Math.sqrt(t.smallRaw / t.smallN),
    smallPooledRmse: Math.sqrt(t.smallPooled / t.smallN),
  };
}

function agentPooling(replications: number, seed: number): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const reps = Math.max(50, Math.round(replications / 5));
  for (const [agents, weeks, spread] of [
    [14, 4, 0.3],
    [30, 4, 0.3],
    [14, 4, 0],
    [14, 13, 0.3],
  ] as const) {
    const e = agentPoolingErrors({
      agents,
      weeks,
      spread,
      replications: reps,
      seed: seed + agents * 101 + weeks * 7 + spread * 1000,
    });
    const scenario = `${agents} agents, ${weeks} weeks, agent SD ${spread}`;
    rows.push(row("agent-pooling", scenario, "raw (Hájek)", "RMSE", e.rawRmse, reps));
    rows.push(
      row("agent-pooling", scenario, "pooled (empirical Bayes)", "RMSE", e.pooledRmse, reps),
    );
    if (e.smallEstimates > 0) {
      rows.push(
        row(
          "agent-pooling",
          `${scenario}, agents with 5–8 reviews`,
          "raw (Hájek)",
          "RMSE",
          e.smallRawRmse,
          reps,
        ),
      );
      rows.push(
        row(
          "agent-pooling",
          `${scenario}, agents with 5–8 reviews`,
          "pooled (empirical Bayes)",
          "RMSE",
          e.smallPooledRmse,
          reps,
        ),
      );
    }
    rows.push(
      row(
        "agent-pooling",
        scenario,
        "raw (Hájek)",
        "coverage of the 95% interval",
        e.rawCoverage,
        reps,
      ),
    );
    rows.push(
      row(
        "agent-pooling",
        scenario,
        "pooled (empirical Bayes)",
        "coverage of the 95% interval",
        e.pooledCoverage,
        reps,
        [0.93, 0.97],
      ),
    );
  }
  return rows;
}

// ---------------------------------------------------------------- channels

/** A channel of the small vendor: its policy rate, agents and weekly volume per agent. */
interface ChannelPlan {
  channel: string;
  rate: number;
  agents: number;
  volume: number;
}

/** A small vendor's week: 3 channels, 9 agents, 5–10 reviews a channel. */
export const SMALL_VENDOR_WEEK: readonly ChannelPlan[] = [
  { channel: "voice", rate: 0.06, agents: 3, volume: 18 },
  { channel: "chat", rate: 0.06, agents: 3, volume: 14 },
  { channel: "email", rate: 0.1, agents: 3, volume: 9 },
];

/**
 * One fixed population of the small vendor's week in which every channel's true mean is the
 * same: each channel's scores are the same multiset (a base draw of skewed 1–5 scores,
 * repeated), dealt to its agents in random order. Agents get unequal volumes, so their
 * weights differ.
 */
export function equalMeansWeek(uniform: Uniform, plan: readonly ChannelPlan[]) {
  const base = Array.from({ length: 12 }, () => clampScore(3.7 + 1.0 * normalFrom(uniform)));
  return plan.map((c) => {
    const volumes = Array.from({ length: c.agents }, () => Math.max(1, poisson(uniform, c.volume)));
    const total = volumes.reduce((s, v) => s + v, 0);
    // Round the channel's volume up to whole copies of the base, so its mean is the base's.
    const copies = Math.max(1, Math.ceil(total / base.length));
    const scores = Array.from({ length: copies }, () => base).flat();
    for (let i = scores.length - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [scores[i], scores[j]] = [scores[j] ?? 0, scores[i] ?? 0];
    }
    const extra = scores.length - total;
    volumes[0] = (volumes[0] ?? 0) + extra;
    const agents: number[][] = [];
    let at = 0;
    for (const v of volumes) {
      agents.push(scores.slice(at, at + v));
      at += v;
    }
    return { channel: c.channel, rate: c.rate, agents };
  });
}

/**
 * Achieved size at nominal 5% of the channel test on the small vendor's week: `populations`
 * fixed populations with equal channel means, each sampled `replications / populations` times
 * with the real design (floor 2 per agent-week).
 */
export function channelTestSize(
  replications: number,
  seed: number,
  plan: readonly ChannelPlan[] = SMALL_VENDOR_WEEK,
): { welch: number; chiSquare: number; tested: number; meanReviews: number } {
  const uniform = seededUniform(seed);
  const populations = 400;
  const per = Math.max(1, Math.round(replications / populations));
  let welch = 0;
  let chi = 0;
  let tested = 0;
  let reviews = 0;
  for (let p = 0; p < populations; p++) {
    const week = equalMeansWeek(uniform, plan);
    for (let r = 0; r < per; r++) {
      const estimates = week.map(({ rate, agents }) => {
        const sums = emptySums();
        for (const scores of agents)
          sumsOf(
            sampleAgentWeek(
              uniform,
              scores.map((x) => ({ x, rate })),
              2,
            ),
            sums,
          );
        return estimateMean(sums);
      });
      const ok = estimates.flatMap((e) => (e.status === "ok" ? [e] : []));
      const w = welchAnova(ok);
      const c = agreementTest(estimates);
      if (!w || !c) continue;
      tested += 1;
      reviews += ok.reduce((s, e) => s + e.reviewed, 0) / ok.length;
      if (w.pValue < 0.05) welch += 1;
      if (c.pValue < 0.05) chi += 1;
    }
  }
  return { welch: welch / tested, chiSquare: chi / tested, tested, meanReviews: reviews / tested };
}

function channelSize(replications: number, seed: number): CalibrationRow[] {
  const result = channelTestSize(replications, seed);
  const scenario = `small vendor's week: 3 channels, 9 agents, ${result.meanReviews.toFixed(1)} reviews a channel on average`;
  return [
    row(
      "channel-size",
      scenario,
      "Welch F, df from each estimate",
      "rejections at nominal 5% (equal true means)",
      result.welch,
      result.tested,
      [0.04, 0.06],
    ),
    row(
      "channel-size",
      scenario,
      "Wald χ² (before)",
      "rejections at nominal 5% (equal true means)",
      result.chiSquare,
      result.tested,
    ),
  ];
}

/**
 * Agent mix: 6 agents over 13 weeks, each answering chat and voice; the three strong agents
 * (true mean about 0.6 above the others) answer mostly chat, the weak ones mostly voice.
 * Within each agent both channels have exactly the same true mean, so the channels differ
 * overall only because of who works them. Returns how often each test rejects at 5%.
 */
export function agentMixRejections(
  replications: number,
  seed: number,
): { overall: number; within: number; tested: number } {
  const uniform = seededUniform(seed);
  const populations = 100;
  const per = Math.max(1, Math.round(replications / populations));
  let overall = 0;
  let within = 0;
  let tested = 0;
  for (let p = 0; p < populations; p++) {
    // Each agent's weekly chat and voice contacts are copies of one base multiset of scores.
    const agents = Array.from({ length: 6 }, (_, a) => {
      const strong = a < 3;
      const base = Array.from({ length: 10 }, () =>
        clampScore((strong ? 4.0 : 3.4) + 0.9 * normalFrom(uniform)),
      );
      const [chatCopies, voiceCopies] = strong ? [3, 1] : [1, 3];
      const copies = (n: number) => Array.from({ length: n }, () => base).flat();
      return { id: `a${a}`, chat: copies(chatCopies), voice: copies(voiceCopies) };
    });
    for (let r = 0; r < per; r++) {
      const channelSums = { chat: emptySums(), voice: emptySums() };
      const cells = new Map<string, DimensionSums>();
      for (const a of agents) {
        const contacts = [
          ...a.chat.map((x) => ({ x, rate: 0.06, channel: "chat" as const })),
          ...a.voice.map((x) => ({ x, rate: 0.06, channel: "voice" as const })),
        ];
        for (let w = 0; w < 13; w++) {
          for (const s of sampleAgentWeek(uniform, contacts, 2)) {
            const channel = contacts[s.index]?.channel ?? "chat";
            sumsOf([s], channelSums[channel]);
            const key = `${a.id}|${channel}`;
            cells.set(key, sumsOf([s], cells.get(key) ?? emptySums()));
          }
        }
      }
      const overallTest = welchAnova(
        [estimateMean(channelSums.chat), estimateMean(channelSums.voice)].flatMap((e) =>
          e.status === "ok" ? [e] : [],
        ),
      );
      const withinTest = withinAgentComparison(
        [...cells].flatMap(([key, sums]) => {
          const [agent = "", channel = ""] = key.split("|");
          const cell = agentChannelCell(agent, channel, sums);
          return cell ? [cell] : [];
        }),
      );
      if (!overallTest || !withinTest?.test) continue;
      tested += 1;
      if (overallTest.pValue < 0.05) overall += 1;
      if (withinTest.test.pValue < 0.05) within += 1;
    }
  }
  return { overall: overall / tested, within: within / tested, tested };
}

function agentMix(replications: number, seed: number): CalibrationRow[] {
  const r = agentMixRejections(replications, seed);
  const scenario =
    "agent mix: strong agents mostly on chat, no channel difference within any agent, 13 weeks";
  return [
    row(
      "within-agent",
      scenario,
      "within-agent F (pooled review variance)",
      "rejections at nominal 5%",
      r.within,
      r.tested,
      [0.04, 0.06],
    ),
    row(
      "within-agent",
      scenario,
      "overall Welch F",
      "rejections at nominal 5% (the gap is agent mix)",
      r.overall,
      r.tested,
    ),
  ];
}

/**
 * How much the interval's ends move from one resampling seed to another on the same data
 * (SD over 40 seeds), by number of resamples: the Monte Carlo error the report's 2,000 carry.
 */
function alphaResampling(_replications: number, seed: number): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const uniform = seededUniform(seed + 5);
  const severities = Array.from({ length: 12 }, () => 0.25 * normalFrom(uniform));
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  };
  for (const n of [30, 50, 200]) {
    const data = values(calibrationUnits(uniform, n, severities, 3, 0.45));
    for (const resamples of [1_000, 2_000, 5_000]) {
      const ends = Array.from(
        { length: 40 },
        (_, i) => bootstrapAlphaOrdinal(data, { resamples, seed: i + 1 }).ci95,
      );
      const low = sd(ends.map((e) => e?.[0] ?? Number.NaN));
      const high = sd(ends.map((e) => e?.[1] ?? Number.NaN));
      rows.push(
        row(
          "alpha-resampling",
          `${n} units × 3 reviewers, ${resamples} resamples`,
          "bca",
          "SD of the interval's ends over 40 seeds (larger end)",
          Math.max(low, high),
          40,
        ),
      );
    }
  }
  return rows;
}

/**
 * What the statistics cost the largest calibration report the API serves: 5,000 calibrated
 * interactions (its limit) × 3 reviewers from a pool of 30, over 27 weeks, three dimensions:
 * alpha with its bootstrap overall and per week, and the severity model. Median of 5 rounds
 * after a warm-up, in milliseconds; the report's reads come on top.
 */
function reportCost(_replications: number, seed: number): CalibrationRow[] {
  const uniform = seededUniform(seed);
  const severities = Array.from({ length: 30 }, () => 0.25 * normalFrom(uniform));
  const dimensions = [0, 1, 2].map(() => calibrationUnits(uniform, 5_000, severities, 3, 0.45));
  const weekOf = Array.from({ length: 5_000 }, () => Math.floor(uniform() * 27));
  const time = (fn: () => void) => {
    fn();
    const rounds = Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    return rounds[2] ?? Number.NaN;
  };
  const alphaMs = time(() => {
    for (const units of dimensions) {
      bootstrapAlphaOrdinal(values(units));
      for (let w = 0; w < 27; w++)
        bootstrapAlphaOrdinal(values(units.filter((_, i) => weekOf[i] === w)));
    }
  });
  const severityMs = time(() => {
    for (const units of dimensions) reviewerSeverityModel(units);
  });
  const scenario = "5,000 interactions × 3 reviewers (pool of 30), 27 weeks, 3 dimensions";
  return [
    row(
      "report-cost",
      scenario,
      "alpha bootstrap, overall and weekly (2,000 resamples)",
      "milliseconds",
      alphaMs,
      5,
    ),
    row("report-cost", scenario, "severity model", "milliseconds", severityMs, 5),
  ];
}

/** Runs every calibration benchmark (or `only` some) and returns its rows. */
export function runCalibrationScenarios(options: CalibrationOptions = {}): CalibrationRow[] {
  const replications = options.replications ?? 2_000;
  const seed = options.seed ?? 20_261_204;
  const all = {
    "alpha-coverage": alphaCoverage,
    "severity-labels": severityLabels,
    "agent-pooling": agentPooling,
    "channel-size": channelSize,
    "within-agent": agentMix,
    "report-cost": reportCost,
    "alpha-resampling": alphaResampling,
  } as const;
  const wanted = options.only ?? (Object.keys(all) as Array<CalibrationRow["benchmark"]>);
  return wanted.flatMap((name) => all[name](replications, seed));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = flag("--only")?.split(",") as Array<CalibrationRow["benchmark"]> | undefined;
  const t0 = performance.now();
  const rows = runCalibrationScenarios({
    replications: Number(flag("--replications") ?? 2_000),
    ...(only ? { only } : {}),
  });
  console.table(
    rows.map(({ benchmark, scenario, method, metric, value, met }) => ({
      benchmark,
      scenario,
      method,
      metric,
      value,
      met,
    })),
  );
  if (args.includes("--write")) {
    const path = resolve(import.meta.dirname, "results.json");
    const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    // With --only, the other benchmarks' rows of the last run are kept.
    const before = (all.calibration as { rows?: CalibrationRow[] } | undefined)?.rows ?? [];
    const kept = only ? before.filter((r) => !only.includes(r.benchmark)) : [];
    const calibration = {
      ranAt: new Date().toISOString(),
      seconds: round((performance.now() - t0) / 1000, 1),
      ...(only ? { only } : {}),
      rows: [...kept, ...rows],
    };
    await writeFile(path, `${JSON.stringify({ ...all, calibration }, null, 2)}\n`);
    console.log(`written to ${path} (calibration)`);
  }
}
