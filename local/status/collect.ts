import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { LocalClients } from "../clients";
import type { Endpoints } from "../endpoints";

/** Depth of one queue, as SQS reports it. */
export interface QueueDepth {
  name: string;
  url: string;
  visible: number;
  inFlight: number;
}

/** A snapshot of the local stack for the status page and `/api/status`. */
export interface StackStatus {
  ready: boolean;
  seed: {
    state: "off" | "seeding" | "done" | "failed";
    uploaded: number;
    total: number;
    detail?: string;
  };
  objects: number;
  tableItems: number;
  queues: QueueDepth[];
  events: { delivered: number; failed: number };
  endpoints: Endpoints;
  uptimeSeconds: number;
}

/** Counts objects, table items and queue depths with real SDK calls to the emulators. */
export async function collectCounts(
  clients: LocalClients,
  endpoints: Endpoints,
): Promise<Pick<StackStatus, "objects" | "tableItems" | "queues">> {
  const queueEntries = Object.entries(endpoints.queues);
  const [objects, tableItems, ...queues] = await Promise.all([
    countObjects(clients, endpoints.bucket),
    countItems(clients, endpoints.table),
    ...queueEntries.map(([name, url]) => queueDepth(clients, name, url)),
  ]);
  return { objects, tableItems, queues };
}

async function countObjects(clients: LocalClients, bucket: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    count += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

async function countItems(clients: LocalClients, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
  do {
    const page = await clients.dynamodb.send(
      new ScanCommand({ TableName: table, Select: "COUNT", ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

async function queueDepth(clients: LocalClients, name: string, url: string): Promise<QueueDepth> {
  const { Attributes = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    name,
    url,
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}
