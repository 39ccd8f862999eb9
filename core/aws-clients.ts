import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** The SDK clients the functions use: built once per process (a Lambda cold start, a local stack). */
export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  /** The document client over `dynamodb`: undefined attributes are left out, never an error. */
  doc: DynamoDBDocumentClient;
}

/** Where the clients go: AWS from the Lambda environment by default, or emulator endpoints. */
export interface AwsClientsConfig {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  endpoints?: { s3: string; sqs: string; dynamodb: string };
}

/**
 * Builds the clients. With `endpoints` (the local emulators) S3 is addressed path-style, since
 * an emulator reached by IP has no bucket sub-domain, and SQS calls go to the endpoint rather
 * than the host name in the queue URL, which an emulator fills with its own name.
 */
export function awsClients(config: AwsClientsConfig = {}): AwsClients {
  const base = {
    ...(config.region ? { region: config.region } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  const at = config.endpoints;
  const dynamodb = new DynamoDBClient({ ...base, ...(at ? { endpoint: at.dynamodb } : {}) });
  return {
    s3: new S3Client({ ...base, ...(at ? { endpoint: at.s3, forcePathStyle: true } : {}) }),
    sqs: new SQSClient({
      ...base,
      ...(at ? { endpoint: at.sqs, useQueueUrlAsEndpoint: false } : {}),
    }),
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
}
