import type { AwsClients } from "../../core/aws-clients";
import type { IngestBatchDeps } from "../../core/sampler/process-batch";
import { createRosterCache } from "../../core/sampler/roster";
import type { SamplingPolicy } from "../../shared/policy";

/** What the sampler is configured with, whoever runs it. */
export interface SamplerConfig {
  table: string;
  reviewQueueUrl: string;
  key: Uint8Array;
  policy: SamplingPolicy;
  keyTemplate?: string;
  /** Least time between two roster reloads on an unknown agent. @default 5000 */
  rosterMinIntervalMs?: number;
}

/**
 * The sampler's batch dependencies from the process's clients and configuration: the one
 * place they are put together, for the Lambda handler and the local runner. The roster is
 * cached per process, so build this once (a cold start) and reuse it for every batch.
 */
export function ingestDeps(
  clients: Pick<AwsClients, "s3" | "doc" | "sqs">,
  config: SamplerConfig,
  hooks: Pick<IngestBatchDeps, "onOutcome" | "onRecordError"> = {},
  now: () => Date = () => new Date(),
): IngestBatchDeps {
  return {
    s3: clients.s3,
    db: clients.doc,
    sqs: clients.sqs,
    table: config.table,
    reviewQueueUrl: config.reviewQueueUrl,
    key: config.key,
    policy: config.policy,
    ...(config.keyTemplate ? { keyTemplate: config.keyTemplate } : {}),
    roster: createRosterCache(
      clients.doc,
      config.table,
      config.rosterMinIntervalMs === undefined ? {} : { minIntervalMs: config.rosterMinIntervalMs },
    ),
    now,
    ...hooks,
  };
}
