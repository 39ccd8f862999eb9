import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** Depth of a work queue and its DLQ. */
export interface QueueStats {
  queue: string;
  visible: number;
  inFlight: number;
  delayed: number;
  dlq: number;
}

async function attributes(sqs: SQSClient, url: string): Promise<Record<string, string>> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return Attributes;
}

/** Visible, in-flight (claimed or being processed) and delayed messages, and the DLQ's depth. */
export async function queueStats(
  sqs: SQSClient,
  name: string,
  url: string,
  dlqUrl: string,
): Promise<QueueStats> {
  const [main, dlq] = await Promise.all([attributes(sqs, url), attributes(sqs, dlqUrl)]);
  return {
    queue: name,
    visible: Number(main.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(main.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(main.ApproximateNumberOfMessagesDelayed ?? 0),
    dlq:
      Number(dlq.ApproximateNumberOfMessages ?? 0) +
      Number(dlq.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/**
 * Moves every message from a DLQ back to its source queue, ten at a time: send first, then
 * delete, so a failure in between duplicates a message rather than losing it (the sampler
 * and the review queue both tolerate duplicates). Stops when the DLQ looks empty or after
 * `limit` messages.
 */
export async function redrive(
  sqs: SQSClient,
  dlqUrl: string,
  targetUrl: string,
  limit = 100_000,
): Promise<number> {
  let moved = 0;
  while (moved < limit) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: targetUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? "" })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    moved += done.length;
    if (done.length < Messages.length)
      throw new Error(
        `${Messages.length - done.length} messages could not be sent back; run redrive again`,
      );
  }
  return moved;
}
