import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createReviewApp } from "../../core/review-api/app";
import { openApiDocument } from "../../core/review-api/openapi";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { reviewAppOn, startSampledStack } from "../sampler/helpers";

let stack: LocalStack;
let app: ReturnType<typeof createReviewApp>;
let home: string;
let tokens: Record<string, string>;

/** What a reviewer may see of a task and of their own score; nothing of the sampling design. */
const REVIEWER_TASK_FIELDS = [
  "agent",
  "channel",
  "claimedAt",
  "claimedBy",
  "day",
  "interactionId",
  "leaseExpiresAt",
  "leaseLimitAt",
  "status",
  "taskId",
];
const REVIEWER_SCORE_FIELDS = [
  "comment",
  "durationMs",
  "interactionId",
  "rubricVersion",
  "scores",
  "submittedAt",
  "taskId",
];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-api-"));
  const policy = await loadPolicy();
  stack = await startSampledStack(generateDemo({ days: 7, seed: 41, perDay: 30 }).files, {
    policy,
    key: randomBytes(32),
  });
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  app = reviewAppOn(stack, devVerifier(dev));
  tokens = {
    ana: await issueDevToken(dev, { sub: "ana", role: "reviewer" }),
    ben: await issueDevToken(dev, { sub: "ben", role: "reviewer" }),
    cy: await issueDevToken(dev, { sub: "cy", role: "reviewer" }),
    dee: await issueDevToken(dev, { sub: "dee", role: "reviewer" }),
    eve: await issueDevToken(dev, { sub: "eve", role: "reviewer" }),
    max: await issueDevToken(dev, { sub: "max", role: "manager", vendor: "northwind-bpo" }),
  };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

const call = (method: string, path: string, who?: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });

describe("review API", () => {
  it("answers 401 with a message and no stack trace when there is no token", async () => {
    const res = await call("POST", "/api/tasks/claim");
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/sign in/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
  });

  it("answers 403 when a manager tries to claim a task", async () => {
    const res = await call("POST", "/api/tasks/claim", "max");
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/managers cannot claim/);
  });

  it("claims, shows, scores once and lists a review; others get 403, unknown ids 404", async () => {
    const claim = await call("POST", "/api/tasks/claim", "ana");
    expect(claim.status).toBe(200);
    const { task } = (await claim.json()) as { task: { taskId: string; vendor?: string } };
    expect(task.vendor).toBeUndefined();

    const shown = await call("GET", `/api/tasks/${task.taskId}`, "ana");
    expect(shown.status).toBe(200);
    const { transcript } = (await shown.json()) as {
      transcript: { turns: Array<{ id: string }>; vendor?: string };
    };
    expect(transcript.vendor).toBeUndefined();
    expect(transcript.turns.length).toBeGreaterThan(0);

    expect((await call("GET", `/api/tasks/${task.taskId}`, "ben")).status).toBe(403);
    expect((await call("GET", "/api/tasks/tk-000000000000000000000000", "ana")).status).toBe(404);
    expect((await call("GET", "/api/tasks/not-a-task", "ana")).status).toBe(400);

    const evidence = transcript.turns[0]?.id ?? "t1";
    const body = {
      scores: {
        consistency: { value: 2, evidence: [evidence] },
        scriptReliance: { value: 4 },
        empathy: { na: "no emotion expressed" },
      },
      comment: "wrong refund window",
      durationMs: 61_000,
    };
    const first = await call("POST", `/api/tasks/${task.taskId}/score`, "ana", body);
    expect(first.status).toBe(201);
    const second = await call("POST", `/api/tasks/${task.taskId}/score`, "ana", body);
    expect(second.status).toBe(409);
    const conflict = (await second.json()) as { score: Record<string, unknown> };
    expect(conflict.score).toMatchObject({ durationMs: 61_000, comment: "wrong refund window" });
    expect(Object.keys(conflict.score).sort()).toEqual(REVIEWER_SCORE_FIELDS);

    // Someone else learns nothing about the stored score: authorisation comes first.
    const other = await call("POST", `/api/tasks/${task.taskId}/score`, "ben", body);
    expect(other.status).toBe(403);
    const refused = (await other.json()) as Record<string, unknown>;
    expect(refused).toEqual({ error: `task ${task.taskId} is not claimed by you` });

    const mine = (await (await call("GET", "/api/me/reviews", "ana")).json()) as {
      reviews: Array<Record<string, unknown>>;
    };
    expect(mine.reviews.map((r) => r.taskId)).toContain(task.taskId);
    for (const review of mine.reviews)
      expect(Object.keys(review).sort()).toEqual(REVIEWER_SCORE_FIELDS);
  });

  it("keeps design data server-side: claim, task and extend show no kind, u, π, weight, policy or receipt", async () => {
    const claim = await call("POST", "/api/tasks/claim", "cy");
    expect(claim.status).toBe(200);
    const { task } = (await claim.json()) as { task: Record<string, unknown> };
    expect(Object.keys(task).sort()).toEqual(REVIEWER_TASK_FIELDS);
    const shown = (await (await call("GET", `/api/tasks/${task.taskId}`, "cy")).json()) as {
      task: Record<string, unknown>;
      transcript: Record<string, unknown>;
    };
    expect(Object.keys(shown.task).sort()).toEqual(REVIEWER_TASK_FIELDS);
    expect(Object.keys(shown).sort()).toEqual(["task", "transcript"]);
    const extended = (await (
      await call("POST", `/api/tasks/${task.taskId}/extend`, "cy")
    ).json()) as {
      task: Record<string, unknown>;
    };
    expect(Object.keys(extended.task).sort()).toEqual(REVIEWER_TASK_FIELDS);
    const page = await (await call("GET", "/review")).text();
    expect(page).not.toMatch(/task\.kind|"task: "/);
    await call("POST", `/api/tasks/${task.taskId}/release`, "cy", { reason: "other" });
  });

  it("answers 429 once a reviewer holds as many tasks as the policy allows", async () => {
    const held: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call("POST", "/api/tasks/claim", "dee");
      expect(res.status).toBe(200);
      held.push(((await res.json()) as { task: { taskId: string } }).task.taskId);
    }
    const fourth = await call("POST", "/api/tasks/claim", "dee");
    expect(fourth.status).toBe(429);
    expect(((await fourth.json()) as { error: string }).error).toMatch(/already hold 3 tasks/);
    await call("POST", `/api/tasks/${held[0]}/release`, "dee", { reason: "other" });
    expect((await call("POST", "/api/tasks/claim", "dee")).status).toBe(200);
  });

  it("answers a concurrent second release of one task with 409, not 500", async () => {
    const { task } = (await (await call("POST", "/api/tasks/claim", "eve")).json()) as {
      task: { taskId: string };
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call("POST", `/api/tasks/${task.taskId}/release`, "eve", { reason: "other" }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 204).every((s) => s === 409 || s === 403)).toBe(true);
    for (const answer of answers.filter((a) => a.status !== 204))
      expect(((await answer.json()) as { error: string }).error).toMatch(
        /no longer claimed by you|not claimed by you/,
      );
  });

  it("answers unknown API paths with JSON 404", async () => {
    const res = await call("GET", "/api/nope", "ana");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: "no route for GET /api/nope" });
  });

  it("asks for a token on every documented API path but the rubric and the OpenAPI document", async () => {
    const paths = Object.entries(openApiDocument().paths as Record<string, object>);
    expect(paths.length).toBeGreaterThan(10);
    let checked = 0;
    for (const [template, operations] of paths) {
      const path = template.replace(/\{[^}]+\}/g, "tk-000000000000000000000000");
      for (const method of Object.keys(operations)) {
        const res = await call(method.toUpperCase(), path);
        const expected = path === "/api/rubric" || path === "/api/openapi.json" ? 200 : 401;
        expect([template, method, res.status]).toEqual([template, method, expected]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("answers a reviewer's unknown path under a guarded prefix with 404, not the readers' 403", async () => {
    for (const path of [
      "/api/tasks/tk-000000000000000000000000/nope",
      "/api/me/nope",
      "/api/nope",
    ]) {
      const res = await call("GET", path, "ana");
      expect([path, res.status]).toEqual([path, 404]);
    }
    // A known read route still refuses a reviewer.
    expect((await call("GET", "/api/vendors", "ana")).status).toBe(403);
  });

  it("answers 400 listing every bad field of a malformed score", async () => {
    const claim = await call("POST", "/api/tasks/claim", "ben");
    const { task } = (await claim.json()) as { task: { taskId: string } };
    const res = await call("POST", `/api/tasks/${task.taskId}/score`, "ben", {
      scores: { consistency: { value: 7 }, scriptReliance: { value: 1 }, empathy: {} },
    });
    const body = (await res.json()) as { fields: Array<{ path: string }> };
    expect(res.status).toBe(400);
    const paths = body.fields.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["scores.consistency.value", "scores.scriptReliance.evidence"]),
    );
    const notJson = await call("POST", `/api/tasks/${task.taskId}/score`, "ben", "{not json");
    expect(notJson.status).toBe(400);
    const release = await call("POST", `/api/tasks/${task.taskId}/release`, "ben", {
      reason: "language",
    });
    expect(release.status).toBe(204);
  });

  it("serves the rubric and an OpenAPI document", async () => {
    const rubric = (await (await call("GET", "/api/rubric")).json()) as {
      version: string;
      dimensions: unknown[];
    };
    expect(rubric.version).toBe("v1");
    expect(rubric.dimensions).toHaveLength(3);
    const doc = (await (await call("GET", "/api/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/tasks/claim",
        "/api/tasks/{id}/score",
        "/api/trends",
        "/api/drift/{id}/acknowledge",
        "/api/calibration",
      ]),
    );
  });
});
