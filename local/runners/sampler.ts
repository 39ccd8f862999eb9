import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { processIngestBatch } from "../../core/sampler/process-batch";
import { ingestDeps } from "../../functions/sampler/compose";
import type { SamplingPolicy } from "../../shared/policy";
import type { LocalClients } from "../clients";
import type { Provisioned } from "../provision";
import { type SqsPoller, startSqsPoller } from "./sqs-poller";

/** How the local stack runs the sampler. */
export interface LocalSamplerOptions {
  policy: SamplingPolicy;
  key: Uint8Array;
  keyTemplate?: string;
  /** Seconds before a failed record is retried (Lambda waits the visibility timeout). */
  retryDelaySeconds?: number;
  concurrency?: number;
  onError?: (error: unknown) => void;
  /** Wraps each invocation (fault injection in tests); `next` is the real handler. */
  intercept?: (
    event: SQSEvent,
    next: (event: SQSEvent) => Promise<SQSBatchResponse>,
  ) => Promise<SQSBatchResponse>;
}

/** Runs the sampler's real batch handler against the local ingest queue. */
export function startLocalSampler(
  options: LocalSamplerOptions & { clients: LocalClients; provisioned: Provisioned },
): SqsPoller {
  const { clients, provisioned } = options;
  const deps = ingestDeps(
    clients,
    {
      table: provisioned.table,
      reviewQueueUrl: provisioned.queues.review,
      key: options.key,
      policy: options.policy,
      ...(options.keyTemplate ? { keyTemplate: options.keyTemplate } : {}),
      rosterMinIntervalMs: 1_000,
    },
    options.onError ? { onRecordError: options.onError } : {},
  );
  const poller = startSqsPoller({
    sqs: clients.sqs,
    queueUrl: provisioned.queues.ingest,
    concurrency: options.concurrency ?? 2,
    retryDelaySeconds: options.retryDelaySeconds ?? 2,
    ...(options.onError ? { onError: options.onError } : {}),
    handler: (event) => (options.intercept ? options.intercept(event, invoke) : invoke(event)),
  });

  function invoke(event: SQSEvent): Promise<SQSBatchResponse> {
    return processIngestBatch(deps, event);
  }
  return poller;
}
