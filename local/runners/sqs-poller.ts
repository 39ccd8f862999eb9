import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

/** Counters of a poller since it started. */
export interface PollerStats {
  batches: number;
  records: number;
  failures: number;
  errors: number;
}

/** A running stand-in for a Lambda SQS event source mapping. */
export interface SqsPoller {
  readonly stats: PollerStats;
  /** Resolves once the queue has been seen empty and nothing is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Drives `handler` from `queueUrl` the way Lambda's SQS event source mapping does: long-poll
 * batches of up to `batchSize`, invoke, delete the records that succeeded and leave the
 * `batchItemFailures` (or the whole batch, if the handler throws) to reappear after the
 * visibility timeout — and, past `maxReceiveCount`, go to the DLQ by the queue's redrive
 * policy. `retryDelaySeconds` shortens that wait locally so retries happen in seconds.
 */
export function startSqsPoller(options: {
  sqs: SQSClient;
  queueUrl: string;
  queueArn?: string;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  batchSize?: number;
  concurrency?: number;
  retryDelaySeconds?: number;
  onError?: (error: unknown) => void;
}): SqsPoller {
  const stats: PollerStats = { batches: 0, records: 0, failures: 0, errors: 0 };
  const batchSize = options.batchSize ?? 10;
  let running = true;
  let busy = 0;
  let emptyPolls = 0;
  const idleWaiters: Array<() => void> = [];
  // Idle means nothing visible, nothing in flight (a failed record waiting out its
  // visibility timeout is in flight) and no batch being handled.
  const wake = async () => {
    if (busy > 0 || emptyPolls === 0 || idleWaiters.length === 0) return;
    const { Attributes = {} } = await options.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: options.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    const pending =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (pending === 0 && busy === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const loop = async () => {
    while (running) {
      let messages: Message[] = [];
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ["All"],
          }),
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (!running) return;
        stats.errors += 1;
        options.onError?.(error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) {
        emptyPolls += 1;
        await wake().catch(() => undefined);
        continue;
      }
      emptyPolls = 0;
      busy += 1;
      let settle: Promise<void> = Promise.resolve();
      try {
        settle = (await invoke(messages)).acknowledged;
      } finally {
        // Deletes and retry delays finish while the next batch is received, as Lambda's
        // pollers overlap them; the batch counts as busy until they are done.
        const finish = settle
          .catch((error: unknown) => {
            stats.errors += 1;
            options.onError?.(error);
          })
          .finally(() => {
            busy -= 1;
            finishing.delete(finish);
          });
        finishing.add(finish);
      }
    }
  };
  const finishing = new Set<Promise<void>>();

  const invoke = async (messages: Message[]) => {
    const records = messages.map((m) => toRecord(m, options.queueArn ?? options.queueUrl));
    stats.batches += 1;
    stats.records += records.length;
    let failedIds: Set<string>;
    try {
      const response = await options.handler({ Records: records });
      failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch (error) {
      stats.errors += 1;
      options.onError?.(error);
      failedIds = new Set(records.map((r) => r.messageId));
    }
    stats.failures += failedIds.size;
    // Wrapped so that awaiting invoke() does not also wait for the acknowledgement.
    return { acknowledged: acknowledge(records, failedIds) };
  };

  const acknowledge = async (records: SQSRecord[], failedIds: Set<string>) => {
    const done = records.filter((r) => !failedIds.has(r.messageId));
    if (done.length > 0) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    const failed = records.filter((r) => failedIds.has(r.messageId));
    if (failed.length > 0 && options.retryDelaySeconds !== undefined) {
      await options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: failed.map((r, i) => ({
            Id: String(i),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: options.retryDelaySeconds,
          })),
        }),
      );
    }
  };

  const loops = Array.from({ length: options.concurrency ?? 2 }, () => loop());
  return {
    stats,
    idle: () =>
      new Promise<void>((resolve) => {
        emptyPolls = 0;
        idleWaiters.push(resolve);
      }),
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all([...finishing]);
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}

/** The SQS record shape Lambda passes to handlers. */
function toRecord(message: Message, source: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp:
        attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: source,
    awsRegion: "us-east-1",
  };
}
