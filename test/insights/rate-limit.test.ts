import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { READ_LIMITS, type ReadLimits, readLimiter } from "../../core/review-api/rate-limit";
import type { Identity } from "../../core/review-api/review-queue";

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; release(): void } {
  let release = () => {};
  const promise = new Promise<void>((done) => {
    release = done;
  });
  return { promise, release };
}

/** An app whose caller is `?sub=`, with the limiter in front of a light and a heavy route. */
function appWith(limits: Partial<ReadLimits>, heavyWork: () => Promise<void> = async () => {}) {
  const app = new Hono<{ Variables: { who: Identity } }>();
  app.use("*", async (c, next) => {
    c.set("who", { sub: c.req.query("sub") ?? "anon", role: "manager" });
    await next();
  });
  app.use("*", readLimiter({ ...READ_LIMITS, ...limits }));
  app.get("/api/trends", (c) => c.json({ ok: true }));
  app.get("/api/agents", async (c) => {
    await heavyWork();
    return c.json({ ok: true });
  });
  app.get("/api/calibration", () => {
    throw new Error("boom");
  });
  app.onError((_, c) => c.json({ error: "internal error" }, 500));
  return app;
}

describe("the read limiter", () => {
  it("answers 429 JSON with Retry-After once a user's points are spent, and only for that user", async () => {
    const app = appWith({ points: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) expect((await app.request("/api/trends?sub=ana")).status).toBe(200);
    const refused = await app.request("/api/trends?sub=ana");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: string; retryAfterSeconds: number };
    expect(body.retryAfterSeconds).toBe(retryAfter);
    expect(body.error).toMatch(/^too many requests: .*3 points per 60 s.*try again in \d+ s$/);
    expect((await app.request("/api/trends?sub=ben")).status).toBe(200);
  });

  it("charges the agent table and calibration report more than a trend", async () => {
    expect(READ_LIMITS.cost("/api/agents")).toBe(5);
    expect(READ_LIMITS.cost("/api/calibration")).toBe(5);
    expect(READ_LIMITS.cost("/api/trends")).toBe(1);
    expect(READ_LIMITS.cost("/api/agents-x")).toBe(1);
    const app = appWith({ points: 10 });
    expect((await app.request("/api/agents?sub=ana")).status).toBe(200);
    expect((await app.request("/api/agents?sub=ana")).status).toBe(200);
    expect((await app.request("/api/agents?sub=ana")).status).toBe(429);
  });

  it("lets a user run only so many heavy reads at once, and frees the slot when one ends", async () => {
    const gate = deferred();
    let started = 0;
    const app = appWith({ maxHeavyInFlight: 2 }, async () => {
      started += 1;
      await gate.promise;
    });
    const first = app.request("/api/agents?sub=ana");
    const second = app.request("/api/agents?sub=ana");
    await expect.poll(() => started).toBe(2);
    const third = await app.request("/api/agents?sub=ana");
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(((await third.json()) as { error: string }).error).toMatch(/at most 2 .* at once/);
    // Light reads and other users are not held up.
    expect((await app.request("/api/trends?sub=ana")).status).toBe(200);
    const other = app.request("/api/agents?sub=ben");
    await expect.poll(() => started).toBe(3);
    gate.release();
    expect((await Promise.all([first, second, other])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    expect((await app.request("/api/agents?sub=ana")).status).toBe(200);
  });

  it("frees the slot of a request that failed", async () => {
    const app = appWith({ maxInFlight: 1 });
    expect((await app.request("/api/calibration?sub=ana")).status).toBe(500);
    expect((await app.request("/api/trends?sub=ana")).status).toBe(200);
  });
});
