process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../local/auth/dev-issuer";
import { generateDemo } from "../local/demo/generate";
import { loadPolicy } from "../local/policy";
import { closeEndedWeeks } from "../local/runners/period-close";
import { startLocalStack } from "../local/stack";
import { uploadAll } from "../local/upload";
import { DIMENSIONS } from "../shared/rubric";

/**
 * 20 simulated reviewers against the local stack's review API over HTTP: claim, read,
 * submit, repeat until the queue is empty. Reports claim and submit latency, reviews per
 * second, and checks that every task was scored exactly once and that the rollup sums equal
 * the sums of the stored scores. Results are merged into bench/results.json.
 */
const REVIEWERS = Number(process.env.BENCH_REVIEWERS ?? 20);
const home = await mkdtemp(join(tmpdir(), "spotcheck-review-bench-"));
const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
const policy = await loadPolicy();
const stack = await startLocalStack({
  ports: { web: 0, aws: 0, dynamodb: 0 },
  sampler: { policy, key: createHash("sha256").update("spotcheck-bench").digest() },
  reviewApi: { verify: devVerifier(dev) },
});
try {
  await uploadAll(
    stack.clients.s3,
    stack.endpoints.bucket,
    generateDemo({ days: 28, seed: 7 }).files,
  );
  await stack.bridge.drain();
  await stack.sampler?.idle();
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });

  const claimMs: number[] = [];
  const submitMs: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: REVIEWERS }, async (_, r) => {
      const token = await issueDevToken(dev, { sub: `bench-${r}`, role: "reviewer" });
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      for (;;) {
        let t = performance.now();
        const claim = await fetch(`${stack.endpoints.web}/api/tasks/claim`, {
          method: "POST",
          headers,
        });
        claimMs.push(performance.now() - t);
        if (claim.status === 204) return;
        const { task } = (await claim.json()) as { task: { taskId: string } };
        const full = (await (
          await fetch(`${stack.endpoints.web}/api/tasks/${task.taskId}`, { headers })
        ).json()) as { transcript: { turns: Array<{ id: string }> } };
        const first = full.transcript.turns[0]?.id ?? "t1";
        const value = (i: number) => 1 + ((r + i + task.taskId.charCodeAt(5)) % 5);
        const scores = Object.fromEntries(
          DIMENSIONS.map((d, i) => [
            d,
            value(i) <= 2 ? { value: value(i), evidence: [first] } : { value: value(i) },
          ]),
        );
        t = performance.now();
        const submit = await fetch(`${stack.endpoints.web}/api/tasks/${task.taskId}/score`, {
          method: "POST",
          headers,
          body: JSON.stringify({ scores, durationMs: 1000 }),
        });
        submitMs.push(performance.now() - t);
        if (submit.status !== 201)
          throw new Error(`submit answered ${submit.status}: ${await submit.text()}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;

  // Exactly once, and rollups equal stored scores.
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.clients.doc.send(
      new ScanCommand({ TableName: stack.endpoints.table, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const tasks = items.filter((i) => i.type === "task");
  const scores = items.filter((i) => i.type === "score");
  const perTask = new Map<string, number>();
  for (const s of scores) perTask.set(String(s.taskId), (perTask.get(String(s.taskId)) ?? 0) + 1);
  const rollups = items.filter((i) => String(i.pk).startsWith("ST#"));
  const sum = (rows: Record<string, unknown>[], f: (r: Record<string, unknown>) => number) =>
    rows.reduce((n, r) => n + f(r), 0);
  const primary = scores.filter((s) => s.kind !== "calibration");
  const stored = sum(
    primary,
    (s) =>
      Number(s.weight) *
      Number((s.scores as Record<string, { value?: number }>).empathy?.value ?? 0),
  );
  const rolled = sum(rollups, (r) => Number(r.empathy_swx ?? 0));
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
  const result = {
    reviewers: REVIEWERS,
    tasks: tasks.length,
    reviews: scores.length,
    seconds: Math.round(seconds * 100) / 100,
    reviewsPerSecond: Math.round((scores.length / seconds) * 100) / 100,
    claimMs: { p50: Math.round(pct(claimMs, 50)), p95: Math.round(pct(claimMs, 95)) },
    submitMs: { p50: Math.round(pct(submitMs, 50)), p95: Math.round(pct(submitMs, 95)) },
    everyTaskScoredOnce:
      tasks.every((t) => t.status === "scored") &&
      [...perTask.values()].every((n) => n === 1) &&
      perTask.size === tasks.length,
    rollupEqualsStoredScores: Math.abs(stored - rolled) < 1e-6 * Math.max(1, stored),
    empathyWeightedSum: {
      stored: Math.round(stored * 1000) / 1000,
      rollups: Math.round(rolled * 1000) / 1000,
    },
  };
  const path = resolve(import.meta.dirname, "results.json");
  const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(
    path,
    `${JSON.stringify({ ...all, reviewQueue: { ranAt: new Date().toISOString(), ...result } }, null, 2)}\n`,
  );
  console.log(JSON.stringify(result, null, 2));
} finally {
  await stack.stop();
  await rm(home, { recursive: true, force: true });
}
