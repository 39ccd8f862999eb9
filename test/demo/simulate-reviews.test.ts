import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devVerifier, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { type DemoManifest, generateDemo } from "../../local/demo/generate";
import { Rng } from "../../local/demo/random";
import {
  httpTokenSource,
  kindsFromTable,
  readSeededDemo,
  type ScoringTruth,
  type SimulatedReviewer,
  type SimulationReport,
  simulatedReviewers,
  simulatedScore,
  simulateReviews,
  waitUntilReady,
  writeSeededDemo,
} from "../../local/demo/simulate-reviews";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { DIMENSIONS } from "../../shared/rubric";
import { ScoreSubmissionSchema } from "../../shared/score";
import { startTestStack } from "../integration/stack";
import { scanTable } from "../sampler/helpers";

const truth = (consistency: number, scriptReliance: number, empathy: number): ScoringTruth => ({
  quality: { consistency, scriptReliance, empathy },
  resolution: "resolved",
});
const reviewer = (severity: number, noise: number): SimulatedReviewer => ({
  sub: "sim-test",
  severity,
  noise,
});
const TURNS = ["t2", "t4", "t6"];

describe("simulatedScore", () => {
  it("clamps to 1–5 however far truth and severity push", () => {
    const high = simulatedScore(truth(5, 4.9, 4.8), reviewer(2, 0), new Rng(1), TURNS);
    expect(high.scores).toEqual({
      consistency: { value: 5 },
      scriptReliance: { value: 5 },
      empathy: { value: 5 },
    });
    const low = simulatedScore(truth(1, 1.2, 1.4), reviewer(-2, 0), new Rng(1), TURNS);
    for (const d of DIMENSIONS) expect(low.scores[d]).toMatchObject({ value: 1 });
  });

  it("rounds truth + severity when there is no noise", () => {
    const { scores } = simulatedScore(truth(3.2, 3.7, 2.4), reviewer(0.2, 0), new Rng(1), TURNS);
    expect(scores).toMatchObject({
      consistency: { value: 3 },
      scriptReliance: { value: 4 },
      empathy: { value: 3 },
    });
  });

  it("marks consistency N/A for a transferred contact, which states no policy", () => {
    const transferred: ScoringTruth = { ...truth(1.2, 1.2, 1.2), resolution: "transferred" };
    const { scores } = simulatedScore(transferred, reviewer(0, 0), new Rng(1), TURNS);
    expect(scores.consistency).toEqual({ na: expect.stringMatching(/transferred/) });
    expect(scores.scriptReliance).toMatchObject({ value: 1 });
    expect(scores.empathy).toMatchObject({ value: 1 });
  });

  it("cites one of the given turns for scores of 1–2 and none above", () => {
    const rng = new Rng(3, "evidence");
    let low = 0;
    for (let i = 0; i < 2_000; i++) {
      const q = rng.range(1, 5);
      const review = simulatedScore(truth(q, q, q), reviewer(0, 1), rng, TURNS);
      expect(ScoreSubmissionSchema.safeParse({ scores: review.scores }).success).toBe(true);
      expect(review.durationMs).toBeGreaterThanOrEqual(30_000);
      expect(review.durationMs).toBeLessThanOrEqual(240_000);
      for (const d of DIMENSIONS) {
        const score = review.scores[d];
        if (!("value" in score)) throw new Error(`${d} should have a value`);
        if (score.value <= 2) {
          low++;
          expect(score.evidence).toHaveLength(1);
          expect(TURNS).toContain(score.evidence?.[0]);
        } else {
          expect(score).not.toHaveProperty("evidence");
        }
      }
    }
    expect(low).toBeGreaterThan(500);
  });

  it("never gives a 1 or 2 when there is no turn to cite", () => {
    const { scores } = simulatedScore(truth(1, 1, 1), reviewer(0, 0), new Rng(1), []);
    for (const d of DIMENSIONS) expect(scores[d]).toEqual({ value: 3 });
  });

  it("averages within 0.05 of truth + severity for mid-range truth", () => {
    const q = truth(3.3, 2.8, 3.55);
    const r = reviewer(0.2, 0.5);
    const rng = new Rng(11, "mean");
    const sums = { consistency: 0, scriptReliance: 0, empathy: 0 };
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const { scores } = simulatedScore(q, r, rng, TURNS);
      for (const d of DIMENSIONS) {
        const s = scores[d];
        sums[d] += "value" in s ? s.value : Number.NaN;
      }
    }
    for (const d of DIMENSIONS) {
      expect(Math.abs(sums[d] / draws - (q.quality[d] + r.severity))).toBeLessThan(0.05);
    }
  });
});

describe("simulatedReviewers", () => {
  it("draws the same severities for the same seed, with a spread of about 0.25", () => {
    const a = simulatedReviewers(12, 4, 0.5);
    expect(simulatedReviewers(12, 4, 0.5)).toEqual(a);
    expect(simulatedReviewers(12, 5, 0.5)).not.toEqual(a);
    expect(a[0]).toMatchObject({ sub: "sim-reviewer-01", noise: 0.5 });
    const many = simulatedReviewers(4_000, 4, 0.5).map((r) => r.severity);
    const mean = many.reduce((s, x) => s + x, 0) / many.length;
    const sd = Math.sqrt(many.reduce((s, x) => s + (x - mean) ** 2, 0) / many.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.25)).toBeLessThan(0.02);
  });
});

describe("the seeded-demo record", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spotcheck-seeded-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const running = { dataId: "data-4242" };
  const record = { ...running, complete: true, options: { days: 14, seed: 5, perDay: 20 } };

  it("returns the demo the running stack's data was seeded with", async () => {
    const path = join(dir, "ok.json");
    await writeSeededDemo(record, path);
    expect(await readSeededDemo(running, path)).toEqual(record);
  });

  it("refuses a record of data deleted since and a missing record, saying to reseed", async () => {
    const path = join(dir, "old.json");
    await writeSeededDemo(record, path);
    await expect(readSeededDemo({ dataId: "data-99" }, path)).rejects.toThrow(
      /no longer holds.*--reset/,
    );
    await expect(readSeededDemo(running, join(dir, "none.json"))).rejects.toThrow(
      /no demo data on record.*npm start/,
    );
    await writeFile(join(dir, "bad.json"), "{");
    await expect(readSeededDemo(running, join(dir, "bad.json"))).rejects.toThrow(/not valid JSON/);
  });
});

describe("waitUntilReady", () => {
  it("waits while the stack answers 503 with its phase, telling each phase once", async () => {
    const answers = ["seeding", "sampling", "sampling", "closing"];
    const server = createHttpServer((_req, res) => {
      const phase = answers.shift();
      res.writeHead(phase ? 503 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: !phase, phase: phase ?? "ready" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const told: string[] = [];
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`, {
        pollMs: 10,
        onWait: (phase) => told.push(phase),
      });
    } finally {
      server.close();
    }
    expect(told).toEqual(["seeding", "sampling", "closing"]);
    expect(answers).toEqual([]);
  });

  it("says in one line that nothing answers, instead of waiting", async () => {
    const port = await freePort();
    await expect(waitUntilReady(`http://127.0.0.1:${port}`)).rejects.toThrow(
      /is not answering.*npm start/,
    );
  });
});

describe("httpTokenSource", () => {
  it("says in one line that the stack is not answering when nothing listens", async () => {
    const port = await freePort();
    const error = await httpTokenSource(`http://127.0.0.1:${port}`)("sim-reviewer-01").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/is not answering \(ECONNREFUSED\).*npm start/);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("simulateReviews against a local stack", () => {
  let stack: LocalStack;
  let home: string;
  let manifest: DemoManifest;
  let report: SimulationReport;
  let items: Record<string, unknown>[];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "spotcheck-simulate-"));
    const loaded = await loadPolicy();
    // Many calibration copies, so the run meets reviewers who must be passed over.
    const policy = { ...loaded, calibration: { fraction: 0.5, reviewers: 3 } };
    const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
    stack = await startTestStack({
      sampler: { policy, key: randomBytes(32) },
      reviewApi: { verify: devVerifier(dev), devIssuer: dev },
    });
    const demo = generateDemo({ days: 14, seed: 5, perDay: 20 });
    manifest = demo.manifest;
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
    await stack.bridge.drain();
    await stack.sampler?.idle();
    await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });

    report = await simulateReviews({
      baseUrl: stack.endpoints.web,
      token: httpTokenSource(stack.endpoints.web),
      manifest,
      reviewers: simulatedReviewers(4, 3, 0.5),
      seed: 3,
      // Reviews are blind; the operator's side reads kinds from the table, as the CLI does.
      kindOf: kindsFromTable(stack.clients.doc, stack.endpoints.table),
    });
    items = await scanTable(stack);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await rm(home, { recursive: true, force: true });
  });

  const tasks = () => items.filter((i) => i.type === "task");
  const scores = () => items.filter((i) => i.type === "score");

  it("scores every task through the API and leaves the review queue empty", async () => {
    expect(tasks().length).toBeGreaterThan(20);
    expect(tasks().filter((t) => t.status !== "scored")).toEqual([]);
    const { Attributes = {} } = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.endpoints.queues.review,
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
      ApproximateNumberOfMessagesDelayed: "0",
    });
    expect(report.complete).toBe(true);
    expect(report.errors).toEqual({});
    expect(report.total.submitted).toBe(tasks().length);
    expect(report.reviewers.map((r) => r.submitted).every((n) => n > 0)).toBe(true);
  });

  it("gives every primary task exactly one score and counts kinds as stored", () => {
    const primaryTasks = tasks().filter((t) => t.kind !== "calibration");
    const primaryScores = scores().filter((s) => s.kind !== "calibration");
    expect(primaryScores).toHaveLength(primaryTasks.length);
    expect(report.total.random + report.total.floor).toBe(primaryTasks.length);
    expect(report.total.calibration).toBe(tasks().length - primaryTasks.length);
    expect(new Set(scores().map((s) => s.taskId)).size).toBe(scores().length);
  });

  it("never lets one reviewer score the same interaction twice", () => {
    const pairs = scores().map((s) => `${s.reviewer} ${s.interactionId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(report.total.calibration).toBeGreaterThan(5);
  });

  it("stores scores that follow each interaction's true quality", () => {
    const byId = new Map(manifest.truth.map((t) => [t.interactionId, t]));
    const xs: number[] = [];
    const ys: number[] = [];
    for (const s of scores()) {
      const t = byId.get(String(s.interactionId));
      if (!t) throw new Error(`score of unknown interaction ${String(s.interactionId)}`);
      for (const d of DIMENSIONS) {
        const value = (s.scores as Record<string, { value?: number }>)[d]?.value;
        if (value === undefined) continue;
        xs.push(t.quality[d]);
        ys.push(value);
      }
    }
    expect(correlation(xs, ys)).toBeGreaterThan(0.4);
  });
});

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** A port nothing listens on (bound once by the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
