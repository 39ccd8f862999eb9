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
