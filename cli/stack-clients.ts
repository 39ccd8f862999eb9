import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { destroyClients, type LocalClients, localClients } from "../local/clients";
import { type Endpoints, readEndpoints } from "../local/endpoints";
import { CliError } from "./output";

/** Runs `fn` with SDK clients for the running local stack, closing them afterwards. */
export async function withStack<T>(
  fn: (endpoints: Endpoints, clients: LocalClients) => Promise<T>,
): Promise<T> {
  const endpoints = await readEndpoints();
  const clients = localClients(endpoints);
  try {
    return await fn(endpoints, clients);
  } finally {
    destroyClients(clients);
  }
}

/** The resources an audit command reads and writes, wherever the stack runs. */
export interface AuditTarget {
  bucket: string;
  table: string;
  ingestQueueUrl: string;
  region: string;
}

/**
 * The deployment's variables, as `docs/operations.md` ("After the first deploy") exports
 * them from the stack outputs.
 */
const AWS_VARIABLES = {
  bucket: "TRANSCRIPTS_BUCKET_NAME",
  table: "TABLE_NAME",
  ingestQueueUrl: "INGEST_QUEUE_URL",
} as const;

/**
 * Runs `fn` against the running local stack or, with `aws`, against the AWS deployment named
 * by `$TRANSCRIPTS_BUCKET_NAME`, `$TABLE_NAME` and `$INGEST_QUEUE_URL`, with the SDK's usual
 * credentials and region (`AWS_PROFILE`, `AWS_REGION`, …).
 */
export async function withAuditTarget<T>(
  aws: boolean,
  fn: (target: AuditTarget, clients: LocalClients) => Promise<T>,
  env: Record<string, string | undefined> = process.env,
): Promise<T> {
  if (!aws) {
    return await withStack((endpoints, clients) =>
      fn(
        {
          bucket: endpoints.bucket,
          table: endpoints.table,
          ingestQueueUrl: endpoints.queues.ingest,
          region: endpoints.region,
        },
        clients,
      ),
    );
  }
  const unset = Object.values(AWS_VARIABLES).filter((name) => !env[name]);
  if (unset.length > 0) {
    throw new CliError(
      `--aws needs ${unset.map((name) => `$${name}`).join(", ")}: load the stack outputs as docs/operations.md ("After the first deploy") shows`,
    );
  }
  const dynamodb = new DynamoDBClient({});
  const clients: LocalClients = {
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
  try {
    const region = await clients.s3.config.region();
    return await fn(
      {
        bucket: env[AWS_VARIABLES.bucket] ?? "",
        table: env[AWS_VARIABLES.table] ?? "",
        ingestQueueUrl: env[AWS_VARIABLES.ingestQueueUrl] ?? "",
        region,
      },
      clients,
    );
  } finally {
    destroyClients(clients);
  }
}
