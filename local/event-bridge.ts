import { randomUUID } from "node:crypto";
import { HeadObjectCommand, NotFound, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type CreatedObject, eventBody, objectCreatedEvent } from "../shared/events";

/** Counts of a local event bridge since start. */
export interface BridgeStats {
  /** Events on the ingest queue. */
  delivered: number;
  /** Delivery attempts that failed and were tried again. */
  retried: number;
  /** Events put on the ingest DLQ after their last attempt failed, as EventBridge does. */
  deadLettered: number;
  /** Events that reached neither queue; `reconcile --repair` re-sends their objects. */
  failed: number;
}

/** The local stand-in for the EventBridge rule from the bucket to the ingest queue. */
export interface LocalEventBridge {
  /** Called for every object write the S3 emulator saw. */
  objectCreated(object: CreatedObject): void;
  /** Resolves when every event seen so far has been delivered, dead-lettered or given up. */
  drain(): Promise<void>;
  readonly stats: BridgeStats;
}

/** How a failed delivery is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 6 */
  attempts: number;
  /** Wait before the second attempt; it doubles with each further one. @default 200 */
  baseDelayMs: number;
}

/** SQS takes at most ten messages per SendMessageBatch. */
const BATCH = 10;
/** Batches in flight at once: enough to keep up with uploads, few enough for the SDK's sockets. */
const CONCURRENT_BATCHES = 4;

interface Pending {
  object: CreatedObject;
  attempts: number;
  /** Built once, so every attempt carries the same event id, as EventBridge retries do. */
  body?: string;
  lastError?: string;
}

/**
 * Delivers the "Object Created" event S3 sends to EventBridge to the ingest queue, with the
 * object's size and ETag as S3 includes them (read back from the store when the write did
 * not tell them). Only writes to `bucket` match, as the CDK rule's pattern does.
 *
 * Events go out in batches of ten. Like EventBridge, a delivery that fails is tried again
 * with exponential back-off, and an event that still cannot be delivered goes to the ingest
 * DLQ (`ingestDlqUrl`) with the reason in its `ERROR_CODE` and `ERROR_MESSAGE` attributes,
 * where `queue redrive --queue ingest` sends it on. Nothing is dropped without a trace: an
 * event that reaches neither queue is counted in `failed` and reported to `onError`.
 */
export function createLocalEventBridge(deps: {
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  ingestQueueUrl: string;
  ingestDlqUrl?: string;
  region: string;
  account?: string;
  retry?: Partial<RetryPolicy>;
  onError?: (error: unknown, object: CreatedObject) => void;
}): LocalEventBridge {
  const retry: RetryPolicy = { attempts: 6, baseDelayMs: 200, ...deps.retry };
  const stats: BridgeStats = { delivered: 0, retried: 0, deadLettered: 0, failed: 0 };
  const waiting: Pending[] = [];
  let inFlight = 0;
  let outstanding = 0;
  let drained: Array<() => void> = [];
  let sequence = 0;

  const settle = () => {
    outstanding -= 1;
    if (outstanding === 0) for (const resolve of drained.splice(0)) resolve();
  };

  const describe = async (object: CreatedObject): Promise<CreatedObject> => {
    if (object.size !== undefined && object.etag !== undefined) return object;
    try {
      const head = await deps.s3.send(
        new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }),
      );
      return {
        ...object,
        ...(head.ContentLength === undefined ? {} : { size: head.ContentLength }),
        ...(head.ETag === undefined ? {} : { etag: head.ETag }),
        ...(head.VersionId === undefined ? {} : { versionId: head.VersionId }),
      };
    } catch (error) {
      // Deleted already: S3 still announces the write; the sampler finds nothing to read.
      if (error instanceof NotFound || (error as Error).name === "NotFound") return object;
      throw error;
    }
  };

  const bodyOf = async (entry: Pending): Promise<string> => {
    if (entry.body === undefined) {
      sequence += 1;
      entry.body = eventBody(
        objectCreatedEvent(await describe(entry.object), {
          id: randomUUID(),
          time: new Date(),
          account: deps.account ?? "000000000000",
          region: deps.region,
          sequencer: sequence.toString(16).toUpperCase().padStart(18, "0"),
        }),
      );
    }
    return entry.body;
  };

  const failed = (entry: Pending, error: unknown, permanent: boolean) => {
    entry.attempts += 1;
    entry.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (!permanent && entry.attempts < retry.attempts) {
      stats.retried += 1;
      const delay = retry.baseDelayMs * 2 ** (entry.attempts - 1);
      setTimeout(() => {
        waiting.push(entry);
        pump();
      }, delay);
      return;
    }
    void deadLetter(entry, error).finally(settle);
  };

  const deadLetter = async (entry: Pending, error: unknown) => {
    const code = error instanceof Error ? error.name : "Error";
    try {
      if (deps.ingestDlqUrl === undefined) throw error;
      await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: deps.ingestDlqUrl,
          MessageBody:
            entry.body ??
            eventBody(
              objectCreatedEvent(entry.object, {
                id: randomUUID(),
                time: new Date(),
                account: deps.account ?? "000000000000",
                region: deps.region,
                sequencer: "0",
              }),
            ),
          // The attributes EventBridge sets on an event it dead-letters.
          MessageAttributes: {
            ERROR_CODE: { DataType: "String", StringValue: code },
            ERROR_MESSAGE: {
              DataType: "String",
              StringValue: (entry.lastError ?? code).slice(0, 1_000),
            },
          },
        }),
      );
      stats.deadLettered += 1;
      deps.onError?.(
        new Error(
          `event for ${entry.object.key} moved to the ingest DLQ after ${entry.attempts} attempts: ${entry.lastError}`,
        ),
        entry.object,
      );
    } catch (dlqError) {
      stats.failed += 1;
      deps.onError?.(dlqError, entry.object);
    }
  };

  const send = async (batch: Pending[]) => {
    const ready: Array<{ entry: Pending; body: string }> = [];
    for (const entry of batch) {
      try {
        ready.push({ entry, body: await bodyOf(entry) });
      } catch (error) {
        failed(entry, error, false);
      }
    }
    if (ready.length === 0) return;
    try {
      const result = await deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.ingestQueueUrl,
          Entries: ready.map(({ body }, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
      for (const ok of result.Successful ?? []) {
        if (ready[Number(ok.Id)] === undefined) continue;
        stats.delivered += 1;
        settle();
      }
      for (const refused of result.Failed ?? []) {
        const item = ready[Number(refused.Id)];
        if (!item) continue;
        const error = new Error(refused.Message ?? "refused");
        error.name = refused.Code ?? "Refused";
        // A sender fault (a body SQS will never accept) does not get better by retrying.
        failed(item.entry, error, refused.SenderFault === true);
      }
    } catch (error) {
      for (const { entry } of ready) failed(entry, error, false);
    }
  };

  const pump = () => {
    while (inFlight < CONCURRENT_BATCHES && waiting.length > 0) {
      const batch = waiting.splice(0, BATCH);
      inFlight += 1;
      void send(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return {
    stats,
    objectCreated(object) {
      if (object.bucket !== deps.bucket) return;
      outstanding += 1;
      waiting.push({ object, attempts: 0 });
      // Let a burst of writes fill a batch before the first one goes out.
      queueMicrotask(pump);
    },
    drain() {
      if (outstanding === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = [...drained, resolve];
      });
    },
  };
}
