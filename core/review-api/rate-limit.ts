import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Identity } from "./review-queue";

/** How much reading one user may do. */
export interface ReadLimits {
  /** Points each user may spend per window. */
  points: number;
  windowSeconds: number;
  /** Points one request costs, by its path. */
  cost(path: string): number;
  /** Requests of one user in flight at once, and of those how many may cost more than 1. */
  maxInFlight: number;
  maxHeavyInFlight: number;
}

/** Paths whose work grows with the range: one Query per ISO week, or more. */
const HEAVY_PATHS = ["/api/agents", "/api/calibration"] as const;

/**
 * The read side's limits per user. A dashboard load or change of filter sends seven
 * requests (alerts, three trends, channels, agents, calibration), two of them heavy, which
 * cost 15 points: 240 points a minute allow a change of filter every four seconds, and a
 * script looping over heavy reads 48 of them a minute, two at a time.
 */
export const READ_LIMITS: ReadLimits = {
  points: 240,
  windowSeconds: 60,
  cost: (path) => (HEAVY_PATHS.some((p) => path === p || path.startsWith(`${p}/`)) ? 5 : 1),
  maxInFlight: 10,
  maxHeavyInFlight: 2,
};

/** A 429 with Retry-After, as JSON like every other error. */
function tooMany(c: Context, retryAfterSeconds: number, why: string): Response {
  c.header("Retry-After", String(retryAfterSeconds));
  return c.json(
    { error: `too many requests: ${why}; try again in ${retryAfterSeconds} s`, retryAfterSeconds },
    429,
  );
}

/**
 * Limits each signed-in user's reads: a points budget per window (a fixed window, weighted
 * by {@link ReadLimits.cost}) and a cap on requests in flight, so that one manager's
 * expensive reports cannot crowd the table that reviewers claim and submit through.
 * Refusals are 429 JSON with Retry-After.
 *
 * The counts live in this process's memory. Locally one process serves everyone, so they
 * are exact; in AWS each Lambda instance keeps its own, and an instance serves one request
 * at a time, so there the cap on requests in flight never bites and the budget applies per
 * instance. What bounds a user in AWS is the HTTP API's route throttles.
 *
 * Mount it after authentication: it keys on `who.sub`.
 */
export function readLimiter(limits: ReadLimits = READ_LIMITS): MiddlewareHandler<{
  Variables: { who: Identity };
}> {
  const budget = new RateLimiterMemory({
    keyPrefix: "reads",
    points: limits.points,
    duration: limits.windowSeconds,
  });
  const inFlight = new Map<string, { all: number; heavy: number }>();
  return async (c, next) => {
    const sub = c.get("who")?.sub ?? "";
    const cost = limits.cost(c.req.path);
    const heavy = cost > 1;
    let mine = inFlight.get(sub);
    if (!mine) {
      mine = { all: 0, heavy: 0 };
      inFlight.set(sub, mine);
    }
    if (mine.all >= limits.maxInFlight)
      return tooMany(c, 1, `at most ${limits.maxInFlight} of your requests at once`);
    if (heavy && mine.heavy >= limits.maxHeavyInFlight)
      return tooMany(
        c,
        1,
        `at most ${limits.maxHeavyInFlight} agent tables or calibration reports of yours at once`,
      );
    // Counted before the await, so that requests arriving meanwhile see this one.
    const held = mine;
    held.all += 1;
    if (heavy) held.heavy += 1;
    try {
      try {
        await budget.consume(sub, cost);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        return tooMany(
          c,
          Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
          `your reads may cost ${limits.points} points per ${limits.windowSeconds} s, and this one costs ${cost}`,
        );
      }
      await next();
    } finally {
      held.all -= 1;
      if (heavy) held.heavy -= 1;
      if (held.all === 0) inFlight.delete(sub);
    }
  };
}
