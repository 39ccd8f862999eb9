import { RemovalPolicy } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";

/** Deployment stages the app can synthesize, selected with `-c stage=<stage>`. */
export const STAGES = ["dev", "prod"] as const;

/** A deployment stage. */
export type Stage = (typeof STAGES)[number];

/**
 * Settings that differ between stages. Every optional setting defaults to the safe
 * (production) value, so a stage has to opt out of protection explicitly.
 */
export interface StageConfig {
  /** Stage name; the stack is called `Spotcheck-<stage>`. */
  readonly stage: Stage;
  /**
   * What CloudFormation does with the stateful resources (transcripts bucket, table) when the
   * stack is deleted or they are replaced. `DESTROY` deletes the bucket only if it is empty: no
   * auto-delete custom resource is deployed.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection on the table.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
  /**
   * Retention of the functions' CloudWatch log groups.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/** A stage config with every default applied. */
export type ResolvedStageConfig = Required<StageConfig>;

/** The config of each stage. */
export const STAGE_CONFIGS = {
  dev: {
    stage: "dev",
    removalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
  },
  prod: {
    stage: "prod",
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
  },
} as const satisfies Record<Stage, StageConfig>;

/** Applies the documented defaults to a stage config. */
export function resolveStageConfig(config: StageConfig): ResolvedStageConfig {
  return {
    stage: config.stage,
    removalPolicy: config.removalPolicy ?? RemovalPolicy.RETAIN,
    tableDeletionProtection: config.tableDeletionProtection ?? true,
    logRetention: config.logRetention ?? RetentionDays.ONE_YEAR,
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
