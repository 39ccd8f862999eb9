import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";

/** Deployment stages the app can synthesize, selected with `-c stage=<stage>`. */
export const STAGES = ["dev", "prod"] as const;

/** A deployment stage. */
export type Stage = (typeof STAGES)[number];

/** Steady-state and burst request rates of the HTTP API's stage. */
export interface ApiThrottle {
  /** Requests per second, averaged over time. */
  readonly rateLimit: number;
  /** Requests allowed in a burst of one to a few seconds. */
  readonly burstLimit: number;
}

/**
 * Settings that differ between stages. Every optional setting defaults to the safe
 * (production) value, so a stage has to opt out of protection explicitly.
 */
export interface StageConfig {
  /** Stage name; the stack is called `Spotcheck-<stage>`. */
  readonly stage: Stage;
  /**
   * What CloudFormation does with the stateful resources (transcripts bucket, table, user
   * pool, sampling-key secret, log groups) when the stack is deleted or they are replaced.
   * `DESTROY` deletes the bucket only if it is empty: no auto-delete custom resource is
   * deployed.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Deletion protection on the table and the user pool.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
  /**
   * Retention of the functions' and the API's CloudWatch log groups.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * The review-queue alarm fires when the oldest waiting task is older than this.
   * @default Duration.days(4) — a task left over a long weekend
   */
  readonly reviewBacklogAlarmAge?: Duration;
  /**
   * Request rates of the HTTP API's stage: every route without a rate of its own (pages,
   * assets, sign-in, `/api/me/...`, alert actions). API Gateway applies them per route, across
   * all callers together.
   * @default 50 requests/s, bursts of 100
   */
  readonly apiThrottle?: ApiThrottle;
  /**
   * Request rates of the reviewers' routes, `/api/tasks/...` (claim, read, extend, release,
   * score), per route across all callers.
   * @default 50 requests/s, bursts of 100
   */
  readonly reviewApiThrottle?: ApiThrottle;
  /**
   * Request rates of each read route of the dashboard (`/api/trends`, `/api/channels`,
   * `/api/agents`, `/api/calibration`, `/api/drift`, `/api/vendors`), per route across all
   * callers. Lower than the reviewers': each read queries many rollup items.
   * @default 10 requests/s, bursts of 20
   */
  readonly readApiThrottle?: ApiThrottle;
  /**
   * How many sampler invocations the ingest queue's event source may run at once (2–1000).
   * Caps the read and write rate a bulk export can push at the table.
   * @default 10
   */
  readonly samplerMaxConcurrency?: number;
  /**
   * Ingest messages per sampler invocation (1–10 000; above 10 needs a batching window).
   * @default 10
   */
  readonly samplerBatchSize?: number;
  /**
   * How long the event source gathers messages before it invokes the sampler with a batch
   * smaller than {@link StageConfig.samplerBatchSize} (0–300 s).
   * @default Duration.seconds(0) — invoke as soon as messages arrive
   */
  readonly samplerBatchWindow?: Duration;
  /**
   * The sampler's memory in MB (128–10 240); Lambda's CPU share grows with it.
   * @default 512
   */
  readonly samplerMemorySize?: number;
  /**
   * Prefix of the Cognito managed-login domain, `https://<prefix>.auth.<region>.amazoncognito.com`.
   * Prefixes are unique per region across all AWS accounts.
   * @default `spotcheck-<stage>-<account id>`
   */
  readonly authDomainPrefix?: string;
  /**
   * Key-path template the sampler attributes objects with, such as `{vendor}/{agent}/{any}`,
   * for exports that carry neither vendor nor agent (Contact Lens analysis files).
   * @default - none: attribution from the document, S3 metadata and the roster only
   */
  readonly keyTemplate?: string;
}

/** A stage config with every default applied. */
export type ResolvedStageConfig = Required<Omit<StageConfig, "authDomainPrefix" | "keyTemplate">> &
  Pick<StageConfig, "authDomainPrefix" | "keyTemplate">;

/** How the sampler takes its batches, the same in every stage. */
const SAMPLER_SHAPE = {
  samplerBatchSize: 10,
  samplerBatchWindow: Duration.seconds(0),
  samplerMemorySize: 512,
} as const;

/** The config of each stage. */
export const STAGE_CONFIGS = {
  dev: {
    stage: "dev",
    removalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    reviewBacklogAlarmAge: Duration.days(7),
    apiThrottle: { rateLimit: 10, burstLimit: 20 },
    reviewApiThrottle: { rateLimit: 10, burstLimit: 20 },
    readApiThrottle: { rateLimit: 5, burstLimit: 10 },
    samplerMaxConcurrency: 2,
    ...SAMPLER_SHAPE,
  },
  prod: {
    stage: "prod",
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    reviewBacklogAlarmAge: Duration.days(4),
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    reviewApiThrottle: { rateLimit: 50, burstLimit: 100 },
    readApiThrottle: { rateLimit: 10, burstLimit: 20 },
    samplerMaxConcurrency: 10,
    ...SAMPLER_SHAPE,
  },
} as const satisfies Record<Stage, StageConfig>;

/** Applies the documented defaults to a stage config. */
export function resolveStageConfig(config: StageConfig): ResolvedStageConfig {
  return {
    stage: config.stage,
    removalPolicy: config.removalPolicy ?? RemovalPolicy.RETAIN,
    tableDeletionProtection: config.tableDeletionProtection ?? true,
    logRetention: config.logRetention ?? RetentionDays.ONE_YEAR,
    reviewBacklogAlarmAge: config.reviewBacklogAlarmAge ?? Duration.days(4),
    apiThrottle: config.apiThrottle ?? { rateLimit: 50, burstLimit: 100 },
    reviewApiThrottle: config.reviewApiThrottle ?? { rateLimit: 50, burstLimit: 100 },
    readApiThrottle: config.readApiThrottle ?? { rateLimit: 10, burstLimit: 20 },
    samplerMaxConcurrency: config.samplerMaxConcurrency ?? 10,
    samplerBatchSize: config.samplerBatchSize ?? 10,
    samplerBatchWindow: config.samplerBatchWindow ?? Duration.seconds(0),
    samplerMemorySize: config.samplerMemorySize ?? 512,
    ...(config.authDomainPrefix ? { authDomainPrefix: config.authDomainPrefix } : {}),
    ...(config.keyTemplate ? { keyTemplate: config.keyTemplate } : {}),
  };
}

const isStage = (value: string): value is Stage => (STAGES as readonly string[]).includes(value);

/** The config of a stage given by name (e.g. from CDK context); throws on an unknown stage. */
export function stageConfigFor(name: string): StageConfig {
  if (!isStage(name)) {
    throw new Error(`unknown stage "${name}": expected one of ${STAGES.join(", ")}`);
  }
  return STAGE_CONFIGS[name];
}
