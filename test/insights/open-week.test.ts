import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createReviewApp } from "../../core/review-api/app";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import type { LocalStack } from "../../local/stack";
import { isoWeek, isoWeekStart } from "../../shared/time";
import { reviewAppOn, startSampledStack } from "../sampler/helpers";

// Reviews of the week in progress, before its period close: the vendor trend must count them.
let stack: LocalStack;
let app: ReturnType<typeof createReviewApp>;
let home: string;
let tokens: Record<string, string>;
const week = isoWeek(new Date().toISOString());
const monday = isoWeekStart(week).toISOString().slice(0, 10);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-open-week-"));
  stack = await startSampledStack(
    generateDemo({ days: 1, seed: 7, perDay: 400, start: monday }).files,
    { policy: await loadPolicy(), key: randomBytes(32) },
  );
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  app = reviewAppOn(stack, devVerifier(dev));
  tokens = {
    ana: await issueDevToken(dev, { sub: "ana", role: "reviewer" }),
    ben: await issueDevToken(dev, { sub: "ben", role: "reviewer" }),
    root: await issueDevToken(dev, { sub: "root", role: "admin" }),
  };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Claims and scores (4 on every dimension) until the reviewer's claim finds nothing. */
async function scoreAll(who: string): Promise<number> {
  let scored = 0;
  for (;;) {
    const claim = await call("POST", "/api/tasks/claim", who);
    if (claim.status === 204) return scored;
    expect(claim.status).toBe(200);
    const { task } = (await claim.json()) as { task: { taskId: string } };
    const body = {
      scores: { consistency: { value: 4 }, scriptReliance: { value: 4 }, empathy: { value: 4 } },
      durationMs: 30_000,
    };
    const submitted = await call("POST", `/api/tasks/${task.taskId}/score`, who, body);
    expect(submitted.status).toBe(201);
    scored++;
  }
}

describe("the week in progress", () => {
  it("counts every primary review of an unclosed week in the vendor trend", async () => {
    const scored = (await scoreAll("ana")) + (await scoreAll("ben"));
    expect(scored).toBeGreaterThan(0);

    const tasks = await stack.clients.doc.send(
      new ScanCommand({
        TableName: stack.endpoints.table,
        FilterExpression: "#type = :task AND #status = :scored",
        ExpressionAttributeNames: { "#type": "type", "#status": "status" },
        ExpressionAttributeValues: { ":task": "task", ":scored": "scored" },
      }),
    );
    const primaries = new Map<string, number>();
    for (const task of tasks.Items ?? []) {
      expect(task.week).toBe(week);
      if (task.kind === "calibration") continue;
      primaries.set(String(task.vendor), (primaries.get(String(task.vendor)) ?? 0) + 1);
    }
    expect([...primaries.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    for (const [vendor, reviews] of primaries) {
      const query = new URLSearchParams({
        vendor,
        dimension: "empathy",
        from: monday,
        to: monday,
        granularity: "week",
      });
      const trend = await call("GET", `/api/trends?${query}`, "root");
      expect(trend.status).toBe(200);
      const { points } = (await trend.json()) as {
        points: Array<{ period: string; reviewed: number; estimate?: number }>;
      };
      expect(points.map((p) => p.period)).toEqual([week]);
      expect(points[0]?.reviewed).toBe(reviews);
      if (reviews >= 5) expect(points[0]?.estimate).toBeCloseTo(4, 9);
    }
  });
});
