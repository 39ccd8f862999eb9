import { randomUUID } from "node:crypto";
import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type CreatedObject, objectCreatedEvent } from "../shared/events";

/** The local stand-in for the EventBridge rule from the bucket to the ingest queue. */
export interface LocalEventBridge {
  /** Called for every object write the S3 emulator saw. */
  objectCreated(object: CreatedObject): void;
  /** Resolves when every event seen so far has reached the queue. */
  drain(): Promise<void>;
  /** Events delivered and events that failed, since start. */
  readonly stats: { delivered: number; failed: number };
}

/**
 * Delivers the "Object Created" event S3 sends to EventBridge to the ingest queue, with the
 * object's size and ETag as S3 includes them (read back from the store when the write did not
 * tell them). Only writes to
 * `bucket` match, as the CDK rule's pattern does.
 */
export function createLocalEventBridge(deps: {
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  ingestQueueUrl: string;
  region: string;
  account?: string;
  onError?: (error: unknown, object: CreatedObject) => void;
}): LocalEventBridge {
  const pending = new Set<Promise<void>>();
  const stats = { delivered: 0, failed: 0 };
  let sequence = 0;

  const describe = async (object: CreatedObject): Promise<CreatedObject> => {
    const head = await deps.s3.send(
      new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }),
    );
    return {
      ...object,
      ...(head.ContentLength === undefined ? {} : { size: head.ContentLength }),
      ...(head.ETag === undefined ? {} : { etag: head.ETag }),
      ...(head.VersionId === undefined ? {} : { versionId: head.VersionId }),
    };
  };

  const deliver = async (object: CreatedObject) => {
    const described =
      object.size !== undefined && object.etag !== undefined ? object : await describe(object);
    sequence += 1;
    const event = objectCreatedEvent(described, {
      id: randomUUID(),
      time: new Date(),
      account: deps.account ?? "000000000000",
      region: deps.region,
      sequencer: sequence.toString(16).toUpperCase().padStart(18, "0"),
    });
    await deps.sqs.send(
      new SendMessageCommand({ QueueUrl: deps.ingestQueueUrl, MessageBody: JSON.stringify(event) }),
    );
  };

  return {
    stats,
    objectCreated(object) {
      if (object.bucket !== deps.bucket) return;
      const task = deliver(object).then(
        () => {
          stats.delivered += 1;
        },
        (error: unknown) => {
          stats.failed += 1;
          deps.onError?.(error, object);
        },
      );
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
