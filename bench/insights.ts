// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { compareChannels } from "../core/insights/channels";
import { queryRange, reader } from "../core/insights/read";
import { queryTrend } from "../core/insights/trends";
import { Rng } from "../local/demo/random";
import { type LocalStack, startLocalStack } from "../local/stack";
import { periodOfDay } from "../shared/estimate";
import { rollupIncrements } from "../shared/rollup";
import { DIMENSIONS } from "../shared/rubric";
import { agentWeekChannelKey, PERIOD, stratumDayKey } from "../shared/table-keys";
import { isoWeek } from "../shared/time";
import { CHANNELS } from "../shared/transcript";

/**
 * The trend side's query cost, next to the naive read, measured in one run: one vendor, 52
 * weeks, all channels and dimensions, against DynamoDB Local. (Estimation and drift are
 * bench/estimation.ts and bench/drift-scenarios.ts, run by `npm run bench -- estimation`.)
 * Results are merged into bench/results.json under `insights`.
 */

/** Writes items to the stack's table, 25 (BatchWrite's limit) a request. */
async function putAll(stack: LocalStack, list: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < list.length; i += 25) {
    await stack.clients.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [stack.endpoints.table]: list.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}

/** Adds one review with random 1-5 scores on each dimension to a rollup item's sums. */
function addRandomReview(item: Record<string, unknown>, rng: Rng): void {
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
          addRandomReview(item, rng);
        }
        items.push(item);
      }
    }
    const awc: Record<string, unknown>[] = [];
    // Weekly and monthly trends read agent-week × channel rollups (the strata after close):
    // 20 agents a week on every channel, holding the week's reviews of that channel.
    for (let w = 0; w < 52; w++) {
      const week = isoWeek(new Date(start + (w * 7 + 3) * 86_400_000));
      for (const channel of CHANNELS) {
        for (let a = 0; a < 20; a++) {
          const item: Record<string, unknown> = {
            ...agentWeekChannelKey(vendor, `agent-${a}`, week, channel),
            vendor,
            agent: `agent-${a}`,
            week,
            channel,
            eligible: 20,
            stratumEligible: 100,
            toppedUp: a % 3 === 0,
            closed: "bench",
          };
          for (let r = 0; r < 1 + (a % 2); r++) {
            addRandomReview(item, rng);
          }
          awc.push(item);
        }
      }
    }
    for (const list of [items, awc]) await putAll(stack, list);
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
    await putAll(stack, scoreItems);
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
      data: `1 vendor × 5 channels × 364 days = ${items.length} stratum-day items; ${awc.length} agent-week × channel items; ${scoreItems.length} score items for the naive read`,
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

// `--pure` runs the simulations only, without DynamoDB Local and without saving.
if (process.argv.includes("--pure")) process.exit(0);
const query = await queryBenchmark(30);
console.log("query", JSON.stringify(query, null, 2));

const path = resolve(import.meta.dirname, "results.json");
const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
await writeFile(
  path,
  `${JSON.stringify({ ...all, insights: { ranAt: new Date().toISOString(), query } }, null, 2)}\n`,
);
process.exit(0);
