process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../local/auth/dev-issuer";
import { generateDemo } from "../local/demo/generate";
import {
  httpTokenSource,
  simulatedReviewers,
  simulateReviews,
} from "../local/demo/simulate-reviews";
import { loadPolicy } from "../local/policy";
import { closeEndedWeeks } from "../local/runners/period-close";
import { defaultPorts, startLocalStack } from "../local/stack";
import { uploadAll } from "../local/upload";

/**
 * Do a manager's heavy reads slow the reviewers down? Against the real local stack (one
 * Node process serving the API, S3 and SQS; DynamoDB Local beside it): a reviewer's claim
 * latency alone, then while one manager keeps HEAVY agent-table and calibration requests in
 * flight, at the widest range the API allowed before the fix (800 days) and at half a year
 * (182 days). Each phase lasts PHASE_SECONDS with a claim every CLAIM_EVERY_MS. Also the
 * DynamoDB requests one such report costs. The load's clients honour Retry-After (up to 5 s),
 * as the dashboard does. Results are merged into bench/results.json (`readIsolation`).
 *
 * Ports: SPOTCHECK_PORT / SPOTCHECK_AWS_PORT / SPOTCHECK_DYNAMODB_PORT when set, else free ones.
 */
const HEAVY = Number(process.env.BENCH_HEAVY ?? 40);
/** Each phase: one claim every CLAIM_EVERY_MS for PHASE_SECONDS. */
const PHASE_SECONDS = 20;
const CLAIM_EVERY_MS = 500;
/** Upper bounds on the load loop, whatever happens: requests per worker and seconds. */
const MAX_REQUESTS_PER_WORKER = 400;
const MAX_LOAD_SECONDS = 180;
const DAY_MS = 86_400_000;

const home = await mkdtemp(join(tmpdir(), "spotcheck-read-bench-"));
const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
const policy = await loadPolicy();
const stack = await startLocalStack({
  ports: process.env.SPOTCHECK_PORT ? defaultPorts() : { web: 0, aws: 0, dynamodb: 0 },
  sampler: { policy, key: createHash("sha256").update("spotcheck-bench").digest() },
  reviewApi: { verify: devVerifier(dev), devIssuer: dev },
});

const pct = (xs: number[], p: number) =>
  Math.round(
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0,
  );

try {
  // 13 weeks of demo data, every task scored (so the calibration report has units), then a
  // further week uploaded and left in the queue for the claims to take.
  const demo = generateDemo({ days: 91, seed: 7, perDay: 30 });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, { concurrency: 24 });
  await stack.bridge.drain();
  await stack.sampler?.idle();
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
  const simulation = await simulateReviews({
    baseUrl: stack.endpoints.web,
    token: httpTokenSource(stack.endpoints.web),
    manifest: demo.manifest,
    reviewers: simulatedReviewers(12, 7, 0.5),
    seed: 7,
    idlePollMs: 100,
  });
  const fresh = generateDemo({ days: 7, seed: 8, perDay: 400, start: "2026-11-23" });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, fresh.files, { concurrency: 24 });
  await stack.bridge.drain();
  await stack.sampler?.idle();

  const to = "2026-11-22";
  const fromDays = (days: number) => new Date(Date.parse(`${to}T00:00:00Z`) - days * DAY_MS);
  const range = (days: number) => `from=${fromDays(days).toISOString().slice(0, 10)}&to=${to}`;
  const heavyPaths = (days: number) => [
    `/api/agents?vendor=northwind-bpo&dimension=empathy&${range(days)}`,
    `/api/calibration?${range(days)}`,
  ];
  const get = async (path: string, token: string) => {
    const res = await fetch(`${stack.endpoints.web}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { requests?: number; error?: string };
    return { status: res.status, body, retryAfter: Number(res.headers.get("retry-after") ?? 0) };
  };
  /** A manager of its own for each measurement, so no phase inherits another's spent budget. */
  const manager = (sub: string) => issueDevToken(dev, { sub, role: "manager" });

  // What one report costs, in DynamoDB requests, at each range.
  const cost: Record<string, { status: number; requests: number | null; error?: string }> = {};
  const costToken = await manager("bench-manager-cost");
  for (const days of [800, 182, 90]) {
    for (const path of heavyPaths(days)) {
      const answer = await get(path, costToken);
      cost[`${path.split("?")[0]} ${days} days`] = {
        status: answer.status,
        requests: answer.body.requests ?? null,
        ...(answer.body.error ? { error: answer.body.error } : {}),
      };
    }
  }

  // One claim every CLAIM_EVERY_MS for PHASE_SECONDS (the next waits if one is slower), each
  // by a reviewer of its own, so the sample spreads over the whole phase.
  let reviewerNo = 0;
  const claimLatencies = async () => {
    const ms: number[] = [];
    const end = performance.now() + PHASE_SECONDS * 1000;
    while (performance.now() < end) {
      const token = await issueDevToken(dev, {
        sub: `bench-rev-${reviewerNo++}`,
        role: "reviewer",
      });
      const t = performance.now();
      const res = await fetch(`${stack.endpoints.web}/api/tasks/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      const took = performance.now() - t;
      ms.push(took);
      if (res.status !== 200) throw new Error(`claim answered ${res.status}`);
      await new Promise((r) => setTimeout(r, Math.max(0, CLAIM_EVERY_MS - took)));
    }
    return { p50: pct(ms, 50), p95: pct(ms, 95), max: pct(ms, 100), n: ms.length };
  };

  const underLoad = async (days: number) => {
    const token = await manager(`bench-manager-${days}`);
    const statuses: Record<string, number> = {};
    let stop = false;
    const deadline = Date.now() + MAX_LOAD_SECONDS * 1000;
    const paths = heavyPaths(days);
    const workers = Array.from({ length: HEAVY }, async (_, w) => {
      for (let i = 0; i < MAX_REQUESTS_PER_WORKER && !stop && Date.now() < deadline; i++) {
        const answer = await get(paths[(w + i) % paths.length] ?? "", token);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (answer.retryAfter > 0)
          await new Promise((r) => setTimeout(r, Math.min(answer.retryAfter, 5) * 1000));
      }
    });
    const claims = await claimLatencies();
    stop = true;
    await Promise.all(workers);
    return { claims, heavyStatuses: statuses };
  };

  const quiet = await claimLatencies();
  const load800 = await underLoad(800);
  const load182 = await underLoad(182);

  const result = {
    heavyConcurrency: HEAVY,
    phaseSeconds: PHASE_SECONDS,
    claimEveryMs: CLAIM_EVERY_MS,
    reviews: simulation.total.submitted,
    reportCost: cost,
    claimMs: { quiet, heavy800Days: load800.claims, heavy182Days: load182.claims },
    heavyStatuses: { heavy800Days: load800.heavyStatuses, heavy182Days: load182.heavyStatuses },
  };
  const path = resolve(import.meta.dirname, "results.json");
  const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(
    path,
    `${JSON.stringify({ ...all, readIsolation: { ranAt: new Date().toISOString(), ...result } }, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
  await rm(home, { recursive: true, force: true });
}
