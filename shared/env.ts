import { z } from "zod";
import { ConfigError, describeIssues } from "./errors";

/**
 * Environment of each function. The stack binds them with
 * `environment: {...} satisfies EnvBinding<SamplerEnv>`, so a stack that forgets a variable
 * does not compile, and the function reads them once at cold start.
 */

/**
 * The variables a deployment sets for a function whose parsed environment is `T`: every
 * variable the function requires, as a string, and any of its optional ones. It is
 * `Record<keyof T, string>` except that optional variables may be left out: `AWS_ENDPOINT_URL`
 * must never be set in AWS, and the parser would refuse an empty one.
 */
export type EnvBinding<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]-?: string;
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: string;
};

const Common = {
  TABLE_NAME: z.string().min(1),
  /** Set only locally, to point the SDK at an emulator. */
  AWS_ENDPOINT_URL: z.url().optional(),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default("spotcheck"),
};

export const SamplerEnvSchema = z.object({
  ...Common,
  TRANSCRIPTS_BUCKET: z.string().min(1),
  REVIEW_QUEUE_URL: z.url(),
  /** Secrets Manager secret (ARN or name) holding the keyed-hash sampling key. */
  SAMPLING_KEY_SECRET_ID: z.string().min(1),
  /** JSON sampling policy; validated at cold start. */
  SAMPLING_POLICY: z.string().min(2),
  /** Optional key-path template such as `{vendor}/{agent}/{any}`. */
  KEY_TEMPLATE: z.string().optional(),
});
export type SamplerEnv = z.infer<typeof SamplerEnvSchema>;

export const PeriodCloseEnvSchema = z.object({
  ...Common,
  REVIEW_QUEUE_URL: z.url(),
  SAMPLING_POLICY: z.string().min(2),
});
export type PeriodCloseEnv = z.infer<typeof PeriodCloseEnvSchema>;

export const ReviewApiEnvSchema = z.object({
  ...Common,
  REVIEW_QUEUE_URL: z.url(),
  TRANSCRIPTS_BUCKET: z.string().min(1),
  /** OIDC issuer whose JWKS signs reviewer tokens (Cognito user pool, or the local issuer). */
  JWT_ISSUER: z.url(),
  JWT_AUDIENCE: z.string().min(1),
  LEASE_SECONDS: z.coerce.number().int().min(60).max(43_200).default(1_800),
  /** The policy's `review.maxClaimsPerReviewer`: tasks one reviewer may hold at once. */
  REVIEW_MAX_CLAIMS: z.coerce.number().int().min(1).max(20).default(3),
  /** The policy's `review.maxLeaseMinutes`, in seconds: the longest one claim may last. */
  REVIEW_MAX_LEASE_SECONDS: z.coerce.number().int().min(300).max(43_200).default(7_200),
  /**
   * Base URL of the Cognito managed-login domain (`https://<prefix>.auth.<region>.amazoncognito.com`).
   * With `COGNITO_CLIENT_ID`, the API serves `/sign-in` and `/auth/callback`; locally neither is set.
   */
  COGNITO_DOMAIN_URL: z.url().optional(),
  /** The user pool app client the pages sign in with (authorization code + PKCE, no secret). */
  COGNITO_CLIENT_ID: z.string().min(1).optional(),
});
export type ReviewApiEnv = z.infer<typeof ReviewApiEnvSchema>;

export const DriftEnvSchema = z.object({
  ...Common,
  EVENT_BUS_NAME: z.string().min(1),
});
export type DriftEnv = z.infer<typeof DriftEnvSchema>;

/** Parses an environment once; the error lists every missing or bad variable. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(`bad environment: ${describeIssues(result.error)}`);
  return result.data;
}
