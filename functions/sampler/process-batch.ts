import { BatchProcessor, EventType } from "@aws-lambda-powertools/batch";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Task } from "../../shared/task";
import { type IngestOutcome, ingestObject, type SamplerDeps } from "./ingest";
import { parseIngestMessage } from "./object-event";
import { sendTasks } from "./send-tasks";

/** The sampler's dependencies plus the review queue its tasks go to. */
export interface IngestBatchDeps extends SamplerDeps {
  sqs: SQSClient;
  reviewQueueUrl: string;
  /** Called once per object with where it ended up (logging, metrics, tests). */
  onOutcome?: (outcome: IngestOutcome, record: SQSRecord) => void;
  /** Called for each record that failed and will be retried. */
  onRecordError?: (error: Error, record: SQSRecord) => void;
}

/**
 * Handles one SQS batch of ingest messages as Lambda's event source mapping delivers it.
 * Records are ingested concurrently (Powertools BatchProcessor); then every new task of the
 * batch is sent with SendMessageBatch. A record fails — and is retried alone — when its
 * ingest threw or one of its tasks could not be sent.
 */
export async function processIngestBatch(
  deps: IngestBatchDeps,
  event: SQSEvent,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  processor.register(event.Records, (record: SQSRecord) => ingestRecord(deps, record), {
    throwOnFullBatchFailure: false,
  });
  const results = await processor.process();

  const tasksOf = new Map<string, Task[]>();
  for (const [status, result, record] of results) {
    if (!("messageId" in record)) continue;
    if (status !== "success") {
      deps.onRecordError?.(new Error(String(result)), record);
      continue;
    }
    const outcomes = result as IngestOutcome[];
    for (const outcome of outcomes) deps.onOutcome?.(outcome, record);
    const tasks = outcomes.flatMap((o) => ("tasks" in o ? o.tasks : []));
    if (tasks.length > 0) tasksOf.set(record.messageId, tasks);
  }
  const unsent = await sendTasks(deps.sqs, deps.reviewQueueUrl, [...tasksOf.values()].flat());

  const failed = new Set(processor.response().batchItemFailures.map((f) => f.itemIdentifier));
  for (const [messageId, tasks] of tasksOf) {
    if (tasks.some((task) => unsent.has(task.taskId))) failed.add(messageId);
  }
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

async function ingestRecord(deps: SamplerDeps, record: SQSRecord): Promise<IngestOutcome[]> {
  const message = parseIngestMessage(record.body);
  if (message.kind === "skip") return [];
  const outcomes: IngestOutcome[] = [];
  for (const object of message.objects) outcomes.push(await ingestObject(deps, object));
  return outcomes;
}
