import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type KeyAttribute, QUEUES, type QueueDefinition, TABLE } from "../shared/resources";

/** The names a local stack gives the resources that CloudFormation names in AWS. */
export interface LocalNames {
  table: string;
  bucket: string;
  queue(definition: QueueDefinition): string;
  dlq(definition: QueueDefinition): string;
}

/** A namespace fits every name it prefixes: S3 bucket names are the strictest. */
const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;

/**
 * The resource names of a local stack. A `namespace` prefixes every one of them, so stacks
 * that share emulators (the integration tests) never see each other's table, bucket or queues.
 */
export function localNames(namespace?: string): LocalNames {
  if (namespace !== undefined && !NAMESPACE.test(namespace)) {
    throw new Error(
      `namespace '${namespace}' must be 1-30 lowercase letters, digits or inner hyphens`,
    );
  }
  const prefix = namespace === undefined ? "spotcheck" : `${namespace}-spotcheck`;
  return {
    table: prefix,
    bucket: `${prefix}-transcripts`,
    queue: (definition) => `${prefix}-${definition.id.toLowerCase()}`,
    dlq: (definition) => `${prefix}-${definition.id.toLowerCase()}-dlq`,
  };
}

/** The names `npm start` uses: no namespace. */
export const LOCAL_NAMES: LocalNames = localNames();

/** The table's CreateTable input, derived from the shared definition. */
export function createTableInput(tableName: string) {
  const keyAttributes: KeyAttribute[] = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributeTypes = new Map(keyAttributes.map((a) => [a.name, a.type]));
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST" as const,
    AttributeDefinitions: [...attributeTypes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey.name, KeyType: "HASH" as const },
      { AttributeName: TABLE.sortKey.name, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: "HASH" as const },
        { AttributeName: index.sortKey.name, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    })),
  };
}

/**
 * Creates the table, with its GSIs and TTL, and waits until it is active. A table kept from
 * an earlier run (DynamoDB Local with a data folder) is used as it is.
 */
export async function provisionTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: tableName });
  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  // Enabling TTL again is refused, so only a new table gets it.
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus === "ENABLED") return;
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
    }),
  );
}

/** Creates a queue and its DLQ with the redrive policy of the definition. */
export async function provisionQueue(
  sqs: SQSClient,
  definition: QueueDefinition,
  names: LocalNames = LOCAL_NAMES,
): Promise<{ url: string; dlqUrl: string }> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.dlq(definition),
      Attributes: { MessageRetentionPeriod: String(definition.dlqRetentionSeconds) },
    }),
  );
  const dlqUrl = required(dlq.QueueUrl, "CreateQueue returned no QueueUrl");
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const dlqArn = required(attributes.Attributes?.QueueArn, "the DLQ has no QueueArn");
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.queue(definition),
      Attributes: {
        VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(definition.retentionSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: definition.maxReceiveCount,
        }),
      },
    }),
  );
  return { url: required(queue.QueueUrl, "CreateQueue returned no QueueUrl"), dlqUrl };
}

/** What provisioning created. */
export interface Provisioned {
  table: string;
  bucket: string;
  queues: { ingest: string; ingestDlq: string; review: string; reviewDlq: string };
}

/** Creates every data-plane resource of the shared definitions in the emulators. */
export async function provisionDataPlane(
  clients: {
    dynamodb: DynamoDBClient;
    sqs: SQSClient;
    s3: S3Client;
  },
  names: LocalNames = LOCAL_NAMES,
): Promise<Provisioned> {
  const [, ingest, review] = await Promise.all([
    provisionTable(clients.dynamodb, names.table),
    provisionQueue(clients.sqs, QUEUES.ingest, names),
    provisionQueue(clients.sqs, QUEUES.review, names),
    // Versioning is not emulated by fauxqs; the sampler falls back to the ETag for dedup.
    clients.s3.send(new CreateBucketCommand({ Bucket: names.bucket })),
  ]);
  return {
    table: names.table,
    bucket: names.bucket,
    queues: {
      ingest: ingest.url,
      ingestDlq: ingest.dlqUrl,
      review: review.url,
      reviewDlq: review.dlqUrl,
    },
  };
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}
