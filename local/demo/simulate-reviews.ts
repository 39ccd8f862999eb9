import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ConfigError, describeIssues, SpotcheckError } from "../../shared/errors";
import { taskFromItem, taskKey } from "../../shared/items";
import { CURRENT_RUBRIC, type Dimension } from "../../shared/rubric";
import type { DimensionScore, ScoreSubmission } from "../../shared/score";
import type { TaskKind } from "../../shared/task";
import { type Endpoints, localDir } from "../endpoints";
import type { DemoManifest, DemoTruth } from "./generate";
import { Rng } from "./random";

// ---------------------------------------------------------------------------------------------
// Which demo the running stack was seeded with
// ---------------------------------------------------------------------------------------------

/**
 * The demo options `npm start` seeded its stack's data with, tied to that data set by its id
 * (see `StackData.id`), so a file left from data that `--reset` deleted is never mistaken for
 * the data there is now. `complete` turns true once every demo object was uploaded.
 */
export const SeededDemoSchema = z.object({
  dataId: z.string().min(1),
  complete: z.boolean(),
  options: z.object({
    days: z.number().int().positive(),
    seed: z.number(),
    perDay: z.number().positive(),
    start: z.string().optional(),
  }),
});
export type SeededDemo = z.infer<typeof SeededDemoSchema>;

/** `.local/demo-options.json` (or under SPOTCHECK_HOME). */
export const seededDemoPath = (): string => resolve(localDir(), "demo-options.json");

/** Records the demo options the stack's data was seeded with; written by `npm start`. */
export async function writeSeededDemo(demo: SeededDemo, path = seededDemoPath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(demo, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** The demo the running stack's data (`endpoints.dataId`) was seeded with. */
export async function readSeededDemo(
  endpoints: Pick<Endpoints, "dataId">,
  path = seededDemoPath(),
): Promise<SeededDemo> {
  const restart = "start it with 'npm start -- --reset' (without --no-seed)";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(
      `the running stack has no demo data on record (${path} is missing): ${restart}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON: ${restart}`);
  }
  const result = SeededDemoSchema.safeParse(parsed);
  if (!result.success)
    throw new ConfigError(`${path} is malformed (${describeIssues(result.error)})`);
  if (result.data.dataId !== endpoints.dataId) {
    throw new ConfigError(
      `${path} describes data the stack no longer holds (deleted by --reset), so the running one has no demo data: ${restart}`,
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// One simulated review
// ---------------------------------------------------------------------------------------------

/** Standard deviation of reviewer severity across the simulated pool. */
export const SEVERITY_SD = 0.25;

/** A simulated reviewer: who they sign in as and how they deviate from the truth. */
export interface SimulatedReviewer {
  /** The subject they sign in as. */
  sub: string;
  /** Added to every true score: positive is lenient, negative is severe. */
  severity: number;
  /** Standard deviation of the fresh noise on each score. */
  noise: number;
}

/** What {@link simulatedScore} needs to know about an interaction. */
export type ScoringTruth = Pick<DemoTruth, "quality" | "resolution">;

/** A score as the simulated reviewer submits it. */
export interface SimulatedReview {
  scores: ScoreSubmission["scores"];
  durationMs: number;
}

/** Shortest and longest simulated time on a task. */
const DURATION_MS = { min: 30_000, max: 240_000 } as const;

/**
 * `count` reviewers named `sim-reviewer-01`, … with severities drawn from
 * Normal(0, {@link SEVERITY_SD}) under `seed`, each with per-score noise `noise`.
 */
export function simulatedReviewers(
  count: number,
  seed: number,
  noise: number,
): SimulatedReviewer[] {
  const rng = new Rng(seed, "reviewers");
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => ({
    sub: `sim-reviewer-${String(i + 1).padStart(width, "0")}`,
    severity: rng.normal(0, SEVERITY_SD),
    noise,
  }));
}

/**
 * Why a dimension cannot be judged in this interaction, or undefined when it can. A
 * transferred contact ends before the agent states any policy (the generator writes no
 * answer for it), so there is nothing to compare with other channels.
 */
export function notApplicable(truth: ScoringTruth, dimension: Dimension): string | undefined {
  if (dimension === "consistency" && truth.resolution === "transferred")
    return "transferred before any policy answer was given";
  return undefined;
}

/**
 * The true quality of one dimension. The generator models the dimensions it plants effects
 * on; a rubric dimension it does not model takes the mean of those it does.
 */
function qualityOf(quality: ScoringTruth["quality"], dimension: Dimension): number {
  if (dimension in quality) return quality[dimension as keyof typeof quality];
  const modelled = Object.values(quality);
  return modelled.reduce((sum, q) => sum + q, 0) / modelled.length;
}

/**
 * One simulated review: per dimension, clamp(round(truth + severity + Normal(0, noise)), 1, 5),
 * or N/A where {@link notApplicable} says so. Scores the rubric requires evidence for (1–2)
 * cite one of `citable`, the turn ids the reviewer may point at (the agent's turns). With no
 * turn to cite, such a score becomes the lowest one that needs none. Pure: all chance comes
 * from `rng`.
 */
export function simulatedScore(
  truth: ScoringTruth,
  reviewer: SimulatedReviewer,
  rng: Rng,
  citable: readonly string[],
): SimulatedReview {
  const evidenceAt = CURRENT_RUBRIC.evidenceRequiredAtOrBelow;
  const scores: Partial<Record<Dimension, DimensionScore>> = {};
  for (const { id: dimension } of CURRENT_RUBRIC.dimensions) {
    // Drawn for every dimension, N/A or not, so one dimension's status never shifts the others.
    const perceived =
      qualityOf(truth.quality, dimension) + reviewer.severity + rng.normal(0, reviewer.noise);
    const na = notApplicable(truth, dimension);
    if (na !== undefined) {
      scores[dimension] = { na };
      continue;
    }
    let value = Math.min(5, Math.max(1, Math.round(perceived)));
    if (value <= evidenceAt && citable.length === 0) value = evidenceAt + 1;
    scores[dimension] = value <= evidenceAt ? { value, evidence: [rng.pick(citable)] } : { value };
  }
  return {
    // Every dimension of the current rubric was scored above.
    scores: scores as ScoreSubmission["scores"],
    durationMs: rng.int(DURATION_MS.min, DURATION_MS.max),
  };
}

// ---------------------------------------------------------------------------------------------
// The HTTP driver
// ---------------------------------------------------------------------------------------------

/** The stack cannot be reached, or does not offer what the simulation needs. */
export class StackUnreachableError extends SpotcheckError {
  override name = "StackUnreachableError";
}

/**
 * Waits until the stack at `baseUrl` is ready: `GET /healthz` answers 200 once the demo is
 * uploaded, sampled and its ended weeks closed. Scoring earlier would see only part of the
 * review queue. `onWait` is told the stack's phase each time it changes. Throws
 * {@link StackUnreachableError} when the stack does not answer, or is not ready by the
 * deadline.
 */
export async function waitUntilReady(
  baseUrl: string,
  options: {
    timeoutMs?: number;
    pollMs?: number;
    fetch?: typeof fetch;
    onWait?: (phase: string) => void;
  } = {},
): Promise<void> {
  const fetchImpl = options.fetch ?? fetch;
  const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
  let told = "";
  for (;;) {
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new StackUnreachableError(
        `the local stack at ${baseUrl} is not answering (${causeText(error)}): start it with 'npm start'`,
      );
    }
    if (res.ok) return;
    const body = z.object({ phase: z.string() }).safeParse(await res.json().catch(() => null));
    const phase = body.success ? body.data.phase : `answering ${res.status}`;
    if (phase !== told) {
      told = phase;
      options.onWait?.(phase);
    }
    if (Date.now() > deadline)
      throw new StackUnreachableError(
        `the local stack at ${baseUrl} is still ${phase}: try again later`,
      );
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1_000));
  }
}

/** Returns a bearer token for a reviewer. */
export type TokenSource = (sub: string) => Promise<string>;

/**
 * Signs reviewers in the way the local sign-in page does: `POST /dev/token` on the stack's
 * web port. Throws {@link StackUnreachableError} when the stack does not answer.
 */
export function httpTokenSource(baseUrl: string, fetchImpl: typeof fetch = fetch): TokenSource {
  return async (sub) => {
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sub, role: "reviewer" }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new StackUnreachableError(
        `the local stack at ${baseUrl} is not answering (${causeText(error)}): start it with 'npm start'`,
      );
    }
    if (!res.ok)
      throw new StackUnreachableError(
        `the local stack at ${baseUrl} refused to sign in ${sub} (POST /dev/token answered ${res.status})`,
      );
    const body = z
      .object({ token: z.string().min(1) })
      .safeParse(await res.json().catch(() => null));
    if (!body.success)
      throw new StackUnreachableError(`POST ${baseUrl}/dev/token did not return a token`);
    return body.data.token;
  };
}

/** Inputs of {@link simulateReviews}. */
export interface SimulationOptions {
  /** The stack's web endpoint, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** Signs each reviewer in. */
  token: TokenSource;
  /** Ground truth of the data the stack was seeded with. */
  manifest: Pick<DemoManifest, "truth">;
  reviewers: readonly SimulatedReviewer[];
  /** Seed of the per-review draws (noise, evidence, duration). */
  seed: number;
  /** Reviewers working at the same time. @default reviewers.length */
  concurrency?: number;
  fetch?: typeof fetch;
  /** How long an idle reviewer waits before asking for work again. @default 250 */
  idlePollMs?: number;
  /** Consecutive failed claims after which a reviewer gives up. @default 5 */
  maxClaimFailures?: number;
  /** Timeout of each request. @default 30000 */
  requestTimeoutMs?: number;
  /**
   * Tells a task's kind, for the per-kind counts. Reviews are blind, so the API never says;
   * the operator's CLI reads it from the table. Without it, only totals are counted.
   */
  kindOf?: (taskId: string) => Promise<TaskKind | undefined>;
}

/** Counts of one reviewer, or of all of them. */
export interface ReviewCounts {
  submitted: number;
  random: number;
  floor: number;
  calibration: number;
  /** Dimensions scored N/A. */
  na: number;
}

/** What one reviewer did. */
export interface ReviewerSummary extends ReviewCounts {
  reviewer: string;
  severity: number;
  /** The reviewer stopped after repeated failed claims, before the queue was empty. */
  gaveUp: boolean;
}

/** The outcome of a simulation run. */
export interface SimulationReport {
  baseUrl: string;
  reviewers: ReviewerSummary[];
  total: ReviewCounts;
  /** Failed requests and skipped tasks, keyed `<step> <status>` (e.g. `score 409`). */
  errors: Record<string, number>;
  /** Every reviewer ended on an empty queue (none gave up). */
  complete: boolean;
  elapsedSeconds: number;
  reviewsPerSecond: number;
}

const ClaimBodySchema = z.object({
  task: z.object({ taskId: z.string(), interactionId: z.string() }),
});
const TaskBodySchema = z.object({
  transcript: z.object({ turns: z.array(z.object({ id: z.string(), role: z.string() })) }),
});

type Step = "claim" | "get" | "score" | "release";
/** A request's status, or `network` when there was no response. */
type Answer = { status: number; body: unknown } | { status: "network"; body: undefined };

/**
 * Simulated reviewers score every task of the stack's review queue through its HTTP API:
 * each signs in, then loops claim → read the task and transcript → submit a
 * {@link simulatedScore} of the interaction's true quality. A reviewer never gets the
 * calibration copy of an interaction they already scored, so one reviewer's 204 does not mean
 * the queue is empty: the run ends once every reviewer's latest claim came back empty with no
 * task claimed or handed back since. A bad response is counted, never fatal.
 */
export async function simulateReviews(options: SimulationOptions): Promise<SimulationReport> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const idlePollMs = options.idlePollMs ?? 250;
  const maxClaimFailures = options.maxClaimFailures ?? 5;
  const truthById = new Map(options.manifest.truth.map((t) => [t.interactionId, t]));
  const slot = limiter(Math.max(1, options.concurrency ?? options.reviewers.length));

  // Signing everyone in first doubles as the check that the stack answers at all.
  const tokens = await Promise.all(options.reviewers.map((r) => options.token(r.sub)));

  const errors: Record<string, number> = {};
  const fail = (key: string) => {
    errors[key] = (errors[key] ?? 0) + 1;
  };
  const summaries: ReviewerSummary[] = options.reviewers.map((r) => ({
    reviewer: r.sub,
    severity: r.severity,
    submitted: 0,
    random: 0,
    floor: 0,
    calibration: 0,
    na: 0,
    gaveUp: false,
  }));
  /** Tasks claimed or handed back so far: any change means idle reviewers must look again. */
  let progress = 0;
  /** Per reviewer: `progress` at their latest empty claim, or undefined while working. */
  const idleAt: Array<number | undefined> = options.reviewers.map(() => undefined);
  const released = new Set<string>();
  /** Per reviewer: empty claims in a row at the same `progress`. */
  const emptyRuns: number[] = options.reviewers.map(() => 0);
  const lastEmpty: Array<number | undefined> = options.reviewers.map(() => undefined);
  // Two empty claims in a row each, so a task another reviewer's claim was handing on at the
  // moment of one empty answer is met by the next.
  const finished = () =>
    idleAt.every(
      (at, i) => summaries[i]?.gaveUp === true || (at === progress && (emptyRuns[i] ?? 0) >= 2),
    );

  const call = async (
    step: Step,
    token: string,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<Answer> => {
    try {
      const res = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : undefined };
    } catch {
      fail(`${step} network`);
      return { status: "network", body: undefined };
    }
  };

  /** Hands a task back once, so a transient failure gets another try by anyone. */
  const releaseOnce = async (token: string, taskId: string) => {
    if (released.has(taskId)) return;
    released.add(taskId);
    const res = await call("release", token, "POST", `/api/tasks/${taskId}/release`, {
      reason: "technical-problem",
    });
    if (res.status === 204) progress++;
    else if (res.status !== "network") fail(`release ${res.status}`);
  };

  /** One claim → read → score cycle; says whether the claim found work. */
  const cycle = async (index: number): Promise<"worked" | "empty" | "failed"> => {
    const reviewer = options.reviewers[index];
    const summary = summaries[index];
    const token = tokens[index];
    if (!reviewer || !summary || token === undefined) return "empty";

    const claim = await call("claim", token, "POST", "/api/tasks/claim");
    if (claim.status === 204) return "empty";
    if (claim.status === "network") return "failed";
    const claimed = ClaimBodySchema.safeParse(claim.body);
    if (claim.status !== 200 || !claimed.success) {
      fail(claim.status === 200 ? "claim bad-response" : `claim ${claim.status}`);
      return "failed";
    }
    progress++;
    const { taskId, interactionId } = claimed.data.task;

    const truth = truthById.get(interactionId);
    if (!truth) {
      // Not demo data: leave it claimed, so the lease hides it from everyone for this run.
      fail("get unknown-interaction");
      return "worked";
    }
    const shown = await call("get", token, "GET", `/api/tasks/${taskId}`);
    const task = TaskBodySchema.safeParse(shown.body);
    if (shown.status !== 200 || !task.success) {
      if (shown.status !== "network")
        fail(shown.status === 200 ? "get bad-response" : `get ${shown.status}`);
      if (shown.status === "network" || (typeof shown.status === "number" && shown.status >= 500))
        await releaseOnce(token, taskId);
      return "worked";
    }
    const turns = task.data.transcript.turns;
    const agentTurns = turns.filter((t) => t.role === "agent").map((t) => t.id);
    const review = simulatedScore(
      truth,
      reviewer,
      new Rng(options.seed, `review:${reviewer.sub}:${interactionId}`),
      agentTurns.length > 0 ? agentTurns : turns.map((t) => t.id),
    );
    const scored = await call("score", token, "POST", `/api/tasks/${taskId}/score`, review);
    if (scored.status === 201) {
      summary.submitted++;
      const kind = await options.kindOf?.(taskId).catch(() => undefined);
      if (kind) summary[kind]++;
      summary.na += Object.values(review.scores).filter((s) => "na" in s).length;
    } else {
      if (scored.status !== "network") fail(`score ${scored.status}`);
      // 409: already scored or the lease is gone; either way the task is not ours to retry.
      if (scored.status !== 409 && scored.status !== 403) await releaseOnce(token, taskId);
    }
    return "worked";
  };

  const t0 = performance.now();
  await Promise.all(
    options.reviewers.map(async (_, index) => {
      const summary = summaries[index];
      if (!summary) return;
      let failures = 0;
      for (;;) {
        // Busy from before the claim is sent: a claim in flight may yet take a task.
        idleAt[index] = undefined;
        const outcome = await slot(() => cycle(index));
        if (outcome === "worked") {
          failures = 0;
          continue;
        }
        if (outcome === "failed") {
          failures++;
          if (failures >= maxClaimFailures) {
            summary.gaveUp = true;
            return;
          }
          await sleep(idlePollMs * failures);
          continue;
        }
        failures = 0;
        emptyRuns[index] = lastEmpty[index] === progress ? (emptyRuns[index] ?? 0) + 1 : 1;
        lastEmpty[index] = progress;
        idleAt[index] = progress;
        if (finished()) return;
        await sleep(idlePollMs);
        if (finished()) return;
      }
    }),
  );
  const elapsedSeconds = (performance.now() - t0) / 1000;

  const total: ReviewCounts = { submitted: 0, random: 0, floor: 0, calibration: 0, na: 0 };
  for (const s of summaries) {
    total.submitted += s.submitted;
    total.random += s.random;
    total.floor += s.floor;
    total.calibration += s.calibration;
    total.na += s.na;
  }
  return {
    baseUrl: options.baseUrl,
    reviewers: summaries,
    total,
    errors,
    complete: summaries.every((s) => !s.gaveUp),
    elapsedSeconds: Math.round(elapsedSeconds * 100) / 100,
    reviewsPerSecond:
      elapsedSeconds > 0 ? Math.round((total.submitted / elapsedSeconds) * 100) / 100 : 0,
  };
}

/** Runs at most `n` calls at once; a finishing call hands its slot straight to the next. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active < n) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The innermost cause of a failed fetch (`fetch failed` alone says nothing). */
function causeText(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  if (current instanceof Error) {
    const code = (current as NodeJS.ErrnoException).code;
    return code ? `${code}` : current.message;
  }
  return String(current);
}

/** A {@link SimulationOptions.kindOf} that reads each task's kind from the stack's table. */
export function kindsFromTable(
  doc: DynamoDBDocumentClient,
  table: string,
): (taskId: string) => Promise<TaskKind | undefined> {
  return async (taskId) => {
    const found = await doc.send(new GetCommand({ TableName: table, Key: taskKey(taskId) }));
    return found.Item ? taskFromItem(found.Item)?.kind : undefined;
  };
}
