import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Endpoints } from "./endpoints";

/** Emulators accept any credentials; fixed ones keep the SDK from searching the machine. */
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** SDK clients pointed at the local emulators. */
export interface LocalClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Builds real AWS SDK clients for a local stack's endpoints. */
export function localClients(
  endpoints: Pick<Endpoints, "region" | "s3" | "sqs" | "dynamodb">,
): LocalClients {
  const base = { region: endpoints.region, credentials };
  const dynamodb = new DynamoDBClient({ ...base, endpoint: endpoints.dynamodb });
  return {
    // Path-style: the emulator is addressed by IP, so there is no bucket sub-domain to resolve.
    s3: new S3Client({ ...base, endpoint: endpoints.s3, forcePathStyle: true }),
    // fauxqs returns queue URLs with its own host name; send every call to the endpoint instead.
    sqs: new SQSClient({ ...base, endpoint: endpoints.sqs, useQueueUrlAsEndpoint: false }),
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
}

/** Closes the clients' sockets so a process can exit promptly. */
export function destroyClients(clients: LocalClients): void {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.doc.destroy();
  clients.dynamodb.destroy();
}
