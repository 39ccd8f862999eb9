import { GetQueueAttributesCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createReviewApp } from "../../core/review-api/app";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { objectCreatedEvent } from "../../shared/events";
import { startTestStack } from "../integration/stack";

/** Waits until every uploaded object's event was delivered and the sampler has drained them. */
export async function settle(stack: LocalStack): Promise<void> {
  await stack.bridge.drain();
  await stack.sampler?.idle();
}

/**
 * Starts a test stack whose sampler runs `policy` with `key`, uploads `files` and waits until
 * they are sampled; a stack that fails on the way is stopped before the error is rethrown.
 */
export async function startSampledStack(
  files: Parameters<typeof uploadAll>[2],
  sampler: NonNullable<Parameters<typeof startTestStack>[0]>["sampler"],
): Promise<LocalStack> {
  const stack = await startTestStack({ sampler });
  try {
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, files);
    await settle(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Messages on a queue, visible or in flight. */
export async function queueDepth(stack: LocalStack, url: string): Promise<number> {
  const { Attributes = {} } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

/** Delivers the Object Created event of each key again, as at-least-once delivery may. */
export async function redeliver(stack: LocalStack, keys: readonly string[]): Promise<void> {
  const bodies = keys.map((key, i) =>
    JSON.stringify(
      objectCreatedEvent(
        { bucket: stack.endpoints.bucket, key, reason: "PutObject" },
        {
          id: `redelivery-${i}`,
          time: new Date(),
          account: "000000000000",
          region: "us-east-1",
          sequencer: "1",
        },
      ),
    ),
  );
  for (let i = 0; i < bodies.length; i += 10) {
    await stack.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.endpoints.queues.ingest,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
}

/** Every item of the stack's table (all scan pages), for end-of-test accounting. */
export async function scanTable(stack: LocalStack): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.clients.doc.send(
      new ScanCommand({ TableName: stack.endpoints.table, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The review API over a local stack's clients, with a 10-minute lease and `verify` for tokens. */
export const reviewAppOn = (
  stack: LocalStack,
  verify: Parameters<typeof createReviewApp>[0]["verify"],
): ReturnType<typeof createReviewApp> =>
  createReviewApp({
    review: {
      sqs: stack.clients.sqs,
      db: stack.clients.doc,
      s3: stack.clients.s3,
      table: stack.endpoints.table,
      queueUrl: stack.endpoints.queues.review,
      leaseSeconds: 600,
      now: () => new Date(),
    },
    verify,
  });
