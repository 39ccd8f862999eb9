import { BatchProcessor, EventType } from "@aws-lambda-powertools/batch";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Task } from "../../shared/task";
import { type IngestOutcome, ingestObject, type SamplerDeps } from "./ingest";
import { parseIngestMessage } from "./object-event";
import { type RecordFailure, recordFailure, TaskSendError } from "./record-failure";
import { sendTasks } from "./send-tasks";

/** The sampler's dependencies plus the review queue its tasks go to. */
export interface IngestBatchDeps extends SamplerDeps {
  sqs: SQSClient;
  reviewQueueUrl: string;
  /** Called once per object with where it ended up (logging, metrics, tests). */
  onOutcome?: (outcome: IngestOutcome, record: SQSRecord) => void;
  /**
   * Called for each record that failed and will be retried or, on its last receive,
   * dead-lettered: `error` is what it failed with, `failure` says why and what happens next.
   */
  onRecordError?: (error: Error, record: SQSRecord, failure: RecordFailure) => void;
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
  // The processor keeps only an error's message; the error itself is kept here.
  const errorOf = new Map<string, unknown>();
  const processor = new BatchProcessor(EventType.SQS);
  processor.register(
    event.Records,
    async (record: SQSRecord) => {
      try {
        return await ingestRecord(deps, record);
      } catch (error) {
        errorOf.set(record.messageId, error);
        throw error;
      }
    },
    { throwOnFullBatchFailure: false },
  );
  const results = await processor.process();

  const failures: Array<{ record: SQSRecord; error: unknown }> = [];
  const tasksOf = new Map<string, { record: SQSRecord; tasks: Task[] }>();
  for (const [status, result, record] of results) {
    if (!("messageId" in record)) continue;
    if (status !== "success") {
      failures.push({ record, error: errorOf.get(record.messageId) ?? new Error(String(result)) });
      continue;
    }
    const outcomes = result as IngestOutcome[];
    for (const outcome of outcomes) deps.onOutcome?.(outcome, record);
    const tasks = outcomes.flatMap((o) => ("tasks" in o ? o.tasks : []));
    if (tasks.length > 0) tasksOf.set(record.messageId, { record, tasks });
  }
  const unsent = await sendTasks(
    deps.sqs,
    deps.reviewQueueUrl,
    [...tasksOf.values()].flatMap((entry) => entry.tasks),
  );
  for (const { record, tasks } of tasksOf.values()) {
    const refused = tasks.flatMap((task) => {
      const why = unsent.get(task.taskId);
      return why === undefined ? [] : [`${task.taskId}: ${why}`];
    });
    if (refused.length === 0) continue;
    failures.push({
      record,
      error: new TaskSendError(
        `the object was recorded, but ${refused.length} of its ${tasks.length} review tasks could not be queued (${refused.join("; ")}); the retry sends them again`,
      ),
    });
  }

  for (const { record, error } of failures) {
    const failure = recordFailure(record, error);
    deps.onRecordError?.(failure.error, record, failure);
  }
  return {
    batchItemFailures: failures.map(({ record }) => ({ itemIdentifier: record.messageId })),
  };
}

async function ingestRecord(deps: SamplerDeps, record: SQSRecord): Promise<IngestOutcome[]> {
  const message = parseIngestMessage(record.body);
  if (message.kind === "skip") return [];
  const outcomes: IngestOutcome[] = [];
  for (const object of message.objects) outcomes.push(await ingestObject(deps, object));
  return outcomes;
}
