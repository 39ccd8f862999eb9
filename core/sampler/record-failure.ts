import type { SQSRecord } from "aws-lambda";
import { QUEUES } from "../../shared/resources";
import { classifyCancellation } from "../db/transactions";
import { TranscriptAccessDeniedError } from "./ingest";
import { parseIngestMessage, UnknownEventError } from "./object-event";

/** The `message` of the log line written for every ingest record that failed. */
export const RECORD_FAILED = "record failed";

/**
 * Why a record failed, for the runbook:
 * - `s3-access-denied`: S3 refused the read (a missing grant, a bucket or key policy);
 * - `transaction-contention`: DynamoDB kept cancelling the write for conflicts or throttles;
 * - `review-queue-send`: the object was recorded but a review task could not be queued;
 * - `unknown-event`: the message is not an event the sampler reads;
 * - `invocation-failed`: the whole invocation failed (e.g. the sampling key could not be read);
 * - `error`: anything else (throttling, timeouts, a bug).
 */
export type FailureReason =
  | "s3-access-denied"
  | "transaction-contention"
  | "review-queue-send"
  | "unknown-event"
  | "invocation-failed"
  | "error";

/** One failed ingest record, as it is logged. */
export interface RecordFailure {
  messageId: string;
  /** The SQS `ApproximateReceiveCount` of this delivery. */
  receiveCount: number;
  /** The ingest queue's redrive threshold. */
  maxReceiveCount: number;
  /** True when this was the last receive: the queue moves the message to the DLQ next. */
  lastAttempt: boolean;
  /** The object keys the message names (empty when its body could not be read). */
  keys: string[];
  reason: FailureReason;
  error: Error;
}

/** The review tasks of a recorded object that SQS did not accept. */
export class TaskSendError extends Error {
  override name = "TaskSendError";
}

/** The invocation failed before any record could be handled. */
export class InvocationError extends Error {
  override name = "InvocationError";
}

/** Describes a failed ingest record; `maxReceiveCount` is the ingest queue's by default. */
export function recordFailure(
  record: SQSRecord,
  error: unknown,
  maxReceiveCount: number = QUEUES.ingest.maxReceiveCount,
): RecordFailure {
  const parsed = Number(record.attributes.ApproximateReceiveCount);
  const receiveCount = Number.isInteger(parsed) && parsed > 0 ? parsed : 1;
  return {
    messageId: record.messageId,
    receiveCount,
    maxReceiveCount,
    lastAttempt: receiveCount >= maxReceiveCount,
    keys: messageKeys(record.body),
    reason: failureReason(error),
    error: error instanceof Error ? error : new Error(String(error)),
  };
}

function messageKeys(body: string): string[] {
  try {
    const message = parseIngestMessage(body);
    return message.kind === "objects" ? message.objects.map((object) => object.key) : [];
  } catch {
    return [];
  }
}

function failureReason(error: unknown): FailureReason {
  if (error instanceof TranscriptAccessDeniedError) return "s3-access-denied";
  if (classifyCancellation(error)?.kind === "transient") return "transaction-contention";
  if (error instanceof TaskSendError) return "review-queue-send";
  if (error instanceof UnknownEventError) return "unknown-event";
  if (error instanceof InvocationError) return "invocation-failed";
  return "error";
}

/**
 * Writes the log line of a failed record: a warning while SQS will deliver it again, an
 * error on its last receive, when it goes to the DLQ. docs/operations.md queries these fields.
 */
export function logRecordFailure(
  logger: {
    warn(message: string, attributes: Record<string, unknown>): void;
    error(message: string, attributes: Record<string, unknown>): void;
  },
  failure: RecordFailure,
): void {
  const { error, ...fields } = failure;
  const attributes = {
    ...fields,
    next: failure.lastAttempt ? "dead-letter queue" : "retry",
    error,
  };
  if (failure.lastAttempt) logger.error(RECORD_FAILED, attributes);
  else logger.warn(RECORD_FAILED, attributes);
}
