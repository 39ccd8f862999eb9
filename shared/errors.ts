import type { z } from "zod";

/** Base of every error Spotcheck throws on purpose; edges map these, anything else is a bug. */
export class SpotcheckError extends Error {
  override name = "SpotcheckError";
}

/** Configuration (env, policy, endpoints file) is missing or malformed. */
export class ConfigError extends SpotcheckError {
  override name = "ConfigError";
}

/** Renders zod issues as `path: message; path: message`, the path in dotted form. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      return `${path || "(root)"}: ${issue.message}`;
    })
    .join("; ");
}

/** The dotted path of the first failing field, or `(document)` when the root failed. */
export function firstIssuePath(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first || first.path.length === 0) return "(document)";
  return first.path.map(String).join(".");
}

// Request and review-queue errors: thrown by the cores, mapped to HTTP statuses only at the
// review API's edge (core/review-api/app.ts errorResponse).

/** The caller is not signed in, or the token is not valid. → 401 */
export class UnauthenticatedError extends SpotcheckError {
  override name = "UnauthenticatedError";
}

/** The caller may not do this (role, vendor or someone else's task). → 403 */
export class ForbiddenError extends SpotcheckError {
  override name = "ForbiddenError";
}

/** No such task (or not one the caller can see). → 404 */
export class NotFoundError extends SpotcheckError {
  override name = "NotFoundError";
}

/** The caller's claim on the task has expired or moved to someone else. → 409 */
export class LeaseLostError extends SpotcheckError {
  override name = "LeaseLostError";
}

/** The task was already scored; `stored` is the score on record. → 409 */
export class AlreadyScoredError extends SpotcheckError {
  override name = "AlreadyScoredError";
  constructor(
    message: string,
    readonly stored: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

/** The request body or parameters are invalid; `fields` lists what and why. → 400 */
export class InvalidRequestError extends SpotcheckError {
  override name = "InvalidRequestError";
  constructor(
    message: string,
    readonly fields: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

/** The caller already holds as many tasks as the policy allows at once. → 429 */
export class TooManyClaimsError extends SpotcheckError {
  override name = "TooManyClaimsError";
}

/** The claim has reached the policy's longest total lease and cannot be extended. → 409 */
export class LeaseLimitError extends SpotcheckError {
  override name = "LeaseLimitError";
}

/**
 * A claim looked through the queue for its whole time budget and found only tasks the caller
 * may not take, while more are queued: asking again is the answer. → 503 with Retry-After
 */
export class QueueBusyError extends SpotcheckError {
  override name = "QueueBusyError";
}

/** What the task points at no longer exists as it was sampled (deleted or replaced). → 410 */
export class GoneError extends SpotcheckError {
  override name = "GoneError";
}
