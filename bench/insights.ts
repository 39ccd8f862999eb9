// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { compareChannels } from "../functions/insights/channels";
import { queryRange, reader } from "../functions/insights/read";
import { queryTrend } from "../functions/insights/trends";
import { Rng } from "../local/demo/random";
import { startLocalStack } from "../local/stack";
import {
  addItem,
  type DimensionSums,
  emptySums,
  estimateMean,
  periodOfDay,
} from "../shared/estimate";
import { rollupIncrements } from "../shared/rollup";
import { DIMENSIONS } from "../shared/rubric";
import { Z95 } from "../shared/stats/distributions";
import { PERIOD, stratumDayKey } from "../shared/table-keys";
import { CHANNELS } from "../shared/transcript";
import { runDriftScenarios } from "./drift-scenarios";

/**
 * Benchmarks of the trend side, each next to the naive alternative, measured in one run:
 * - estimation: bias and 95% coverage of the weighted estimate against the naive mean of
 *   reviewed scores, on a synthetic population whose agents differ in volume and quality,
 *   sampled with the real design (Bernoulli per stratum, bottom-k floor top-up, w = N/n);
 * - drift: the scenarios of `bench/drift-scenarios.ts` (false alerts per 100 series-weeks,
 *   detection of planted declines) with the real detector;
 * - query cost: one vendor, 52 weeks, all channels and dimensions, against DynamoDB Local.
 * Results are merged into bench/results.json under `insights`.
 */

const RATE = 0.06;
const FLOOR = 2;

interface Agent {
  volume: number;
  quality: number;
}

function population(rng: Rng, agents: Agent[], weeks: number, shift = (_w: number) => 0) {
  const cells: Array<{ week: number; scores: number[] }> = [];
  for (let w = 0; w < weeks; w++) {
    for (const a of agents) {
      const n = Math.max(1, rng.poisson(a.volume));
      const scores = Array.from({ length: n }, () =>
        Math.min(5, Math.max(1, Math.round(rng.normal(a.quality + shift(w), 0.9)))),
      );
      cells.push({ week: w, scores });
    }
  }
  return cells;
}

/** The pipeline's design on one agent-week: the reviewed scores and their weights N/n. */
function sampleAgentWeek(rng: Rng, scores: number[]): Array<{ x: number; w: number }> {
  const N = scores.length;
  const ranked = scores.map((x) => ({ x, u: rng.float() })).sort((a, b) => a.u - b.u);
  const random = ranked.filter((r) => r.u < RATE).length;
  const n = Math.max(random, Math.min(FLOOR, N));
  return ranked.slice(0, n).map((r) => ({ x: r.x, w: N / n }));
}

function sumsOf(sample: Array<{ x: number; w: number }>): DimensionSums {
  const sums = emptySums();
  for (const { x, w } of sample) {
    addItem(
      sums,
      rollupIncrements(
        { consistency: { value: x }, scriptReliance: { value: x }, empathy: { value: x } },
        w,
      ),
      "consistency",
    );
  }
  return sums;
}

function estimationBenchmark(replications: number) {
  const rng = new Rng(2026, "estimation");
  // Heavy-tailed volumes; small agents score higher, so unequal sampling biases a naive mean.
  const agents: Agent[] = Array.from({ length: 14 }, () => {
    const volume = Math.max(1, Math.round(rng.lognormal(2.5, 1)));
    return { volume, quality: 0 };
  });
  const logs = agents.map((a) => Math.log(a.volume));
  const meanLog = logs.reduce((s, x) => s + x, 0) / logs.length;
  const sdLog = Math.sqrt(logs.reduce((s, x) => s + (x - meanLog) ** 2, 0) / logs.length);
  agents.forEach((a, i) => {
    a.quality = 3.2 - (0.6 * ((logs[i] ?? 0) - meanLog)) / sdLog;
  });
  const cells = population(rng, agents, 4);
  const all = cells.flatMap((c) => c.scores);
  const truth = all.reduce((s, x) => s + x, 0) / all.length;

  const weighted: number[] = [];
  const naive: number[] = [];
  let coveredWeighted = 0;
  let coveredNaive = 0;
  for (let r = 0; r < replications; r++) {
    const sample = cells.flatMap((c) => sampleAgentWeek(rng, c.scores));
    const e = estimateMean(sumsOf(sample));
    if (e.status !== "ok") continue;
    weighted.push(e.estimate);
    if (e.ci95[0] <= truth && truth <= e.ci95[1]) coveredWeighted++;
    const xs = sample.map((s) => s.x);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    naive.push(mean);
    if (Math.abs(mean - truth) <= (Z95 * sd) / Math.sqrt(xs.length)) coveredNaive++;
  }
  const bias = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length - truth;
  const rmse = (xs: number[]) =>
    Math.sqrt(xs.reduce((s, x) => s + (x - truth) ** 2, 0) / xs.length);
  return {
    design: `14 agents (weekly volume lognormal, median 12), 4 weeks, ${all.length} interactions; rate ${RATE}, floor ${FLOOR} per agent-week; smaller agents score higher`,
    replications,
    truth: round(truth, 4),
    weighted: {
      bias: round(bias(weighted), 4),
      rmse: round(rmse(weighted), 4),
      coverage95: round(coveredWeighted / replications, 4),
    },
    naive: {
      bias: round(bias(naive), 4),
      rmse: round(rmse(naive), 4),
      coverage95: round(coveredNaive / replications, 4),
    },
    targets: { absBias: 0.02, coverage: [0.93, 0.97] },
  };
}

async function queryBenchmark(iterations: number) {
  const stack = await startLocalStack({ ports: { web: 0, aws: 0, dynamodb: 0 } });
  try {
    const rng = new Rng(7, "query");
    const vendor = "bench-vendor";
    const start = Date.parse("2025-11-24T00:00:00Z");
    const items: Record<string, unknown>[] = [];
    for (let d = 0; d < 364; d++) {
      const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      for (const channel of CHANNELS) {
        const item: Record<string, unknown> = {
          ...stratumDayKey(vendor, channel, day),
          vendor,
          channel,
          day,
          population: 60,
          eligible: 58,
          sampled: 4,
          gsi2pk: PERIOD.strata,
          gsi2sk: `${day}#${vendor}#${channel}`,
        };
        for (let r = 0; r < 4; r++) {
          const inc = rollupIncrements(
            {
              consistency: { value: 1 + Math.floor(rng.float() * 5) },
              scriptReliance: { value: 1 + Math.floor(rng.float() * 5) },
              empathy: { value: 1 + Math.floor(rng.float() * 5) },
            },
            15,
          );
          for (const [k, v] of Object.entries(inc)) item[k] = Number(item[k] ?? 0) + v;
        }
        items.push(item);
      }
    }
    for (let i = 0; i < items.length; i += 25) {
      await stack.clients.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.endpoints.table]: items
              .slice(i, i + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    // The naive alternative keeps no rollups: it reads every stored score of the vendor-year
    // (the same 4 reviews per stratum-day, as score items of a realistic size) and averages.
    const scoreItems: Record<string, unknown>[] = [];
    for (const item of items) {
      for (let r = 0; r < 4; r++) {
        scoreItems.push({
          pk: `NAIVE#${vendor}`,
          sk: `${String(item.day)}#${String(item.channel)}#${r}`,
          reviewer: `reviewer-${r}`,
          weight: 15,
          rubricVersion: "v1",
          kind: "random",
          scores: {
            consistency: { value: 1 + Math.floor(rng.float() * 5) },
            scriptReliance: { value: 1 + Math.floor(rng.float() * 5), evidence: ["t3"] },
            empathy: { value: 1 + Math.floor(rng.float() * 5) },
          },
          comment: "Agent followed the refund policy; tone was fine.",
          durationMs: 95_000,
          submittedAt: "2026-06-01T10:00:00.000Z",
        });
      }
    }
    for (let i = 0; i < scoreItems.length; i += 25) {
      await stack.clients.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.endpoints.table]: scoreItems
              .slice(i, i + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    const deps = { db: stack.clients.doc, table: stack.endpoints.table };
    const from = "2025-11-24";
    const to = "2026-11-22";
    // What the dashboard loads for a vendor: each dimension's all-channel weekly trend and
    // its channel comparison.
    const load = async () => {
      const r = reader(deps);
      for (const dimension of DIMENSIONS) {
        await queryTrend(r, { vendor, dimension, granularity: "week", from, to });
        await compareChannels(r, { vendor, dimension, granularity: "month", from, to });
      }
      return r.requests;
    };
    await load();
    const times: number[] = [];
    let requests = 0;
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      requests = await load();
      times.push(performance.now() - t0);
    }
    const single: number[] = [];
    let singleRequests = 0;
    for (let i = 0; i < iterations; i++) {
      const r = reader(deps);
      const t0 = performance.now();
      await queryTrend(r, { vendor, dimension: "empathy", granularity: "week", from, to });
      single.push(performance.now() - t0);
      singleRequests = r.requests;
    }
    const naive: number[] = [];
    let naiveRequests = 0;
    for (let i = 0; i < iterations; i++) {
      const r = reader(deps);
      const t0 = performance.now();
      const scores = await queryRange(r, `NAIVE#${vendor}`);
      const byWeek = new Map<string, { n: number; sum: number }>();
      for (const s of scores) {
        const week = periodOfDay(String(s.sk).slice(0, 10), "week");
        const value = (s.scores as Record<string, { value: number }>).empathy?.value ?? 0;
        const cell = byWeek.get(week) ?? { n: 0, sum: 0 };
        cell.n += 1;
        cell.sum += value;
        byWeek.set(week, cell);
      }
      naive.push(performance.now() - t0);
      naiveRequests = r.requests;
    }
    return {
      data: `1 vendor × 5 channels × 364 days = ${items.length} stratum-day items; ${scoreItems.length} score items for the naive read`,
      dashboardLoad: {
        what: "3 dimensions × (52-week all-channel trend + channel comparison)",
        p50Ms: round(percentile(times, 0.5), 1),
        p95Ms: round(percentile(times, 0.95), 1),
        dynamodbRequests: requests,
      },
      oneTrend: {
        what: "one dimension, 52 weeks, all channels",
        p50Ms: round(percentile(single, 0.5), 1),
        p95Ms: round(percentile(single, 0.95), 1),
        dynamodbRequests: singleRequests,
      },
      naiveOneTrend: {
        what: "the same trend from every stored score (no rollups, no weights, no intervals)",
        p50Ms: round(percentile(naive, 0.5), 1),
        p95Ms: round(percentile(naive, 0.95), 1),
        dynamodbRequests: naiveRequests,
      },
      iterations,
    };
  } finally {
    await stack.stop();
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const estimation = estimationBenchmark(4_000);
console.log("estimation", JSON.stringify(estimation, null, 2));
const drift = {
  ranAt: new Date().toISOString(),
  replications: 400,
  volume: 1,
  rows: await runDriftScenarios({ replications: 400 }),
};
console.log("drift", JSON.stringify(drift, null, 2));
// `--pure` runs the simulations only, without DynamoDB Local and without saving.
if (process.argv.includes("--pure")) process.exit(0);
const query = await queryBenchmark(30);
console.log("query", JSON.stringify(query, null, 2));

const path = resolve(import.meta.dirname, "results.json");
const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
await writeFile(
  path,
  `${JSON.stringify({ ...all, insights: { ranAt: new Date().toISOString(), estimation, drift, query } }, null, 2)}\n`,
);
process.exit(0);
