import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSRecord } from "aws-lambda";
import type { LocalStack } from "../../local/stack";
import { objectCreatedEvent } from "../../shared/events";

/**
 * Wire-level faults for the emulators. A middleware placed inside the SDK's deserializer
 * answers a request with the HTTP response AWS would send, so the SDK's own error parsing,
 * its retry policy and the sampler's handling all run as they do against AWS. Everything not
 * faulted goes to the emulator.
 */
interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}
interface WireArgs {
  request: { method?: string; path?: string; headers: Record<string, string>; body?: unknown };
}
type Next = (args: WireArgs) => Promise<{ response: unknown; output?: unknown }>;
type Faulted = (args: WireArgs) => Promise<RawResponse | undefined> | RawResponse | undefined;

function injectInto(
  stack: { add(middleware: unknown, options: Record<string, unknown>): void },
  fault: Faulted,
  name: string,
) {
  stack.add(
    (next: Next) => async (args: WireArgs) => {
      const response = await fault(args);
      return response ? { response } : next(args);
    },
    // Inside the deserializer (step "deserialize", lower priority): the faked response is parsed.
    { step: "deserialize", priority: "low", name },
  );
}

/**
 * A document client on the stack's DynamoDB Local that answers TransactWriteItems with a
 * `TransactionCanceledException` whenever `cancel` returns per-item codes for its items.
 * DynamoDB Local serialises transactions, so a real conflict cannot be provoked there.
 */
export function cancellingDb(
  stack: LocalStack,
  cancel: (items: Array<Record<string, unknown>>) => string[] | undefined,
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: stack.endpoints.region,
    endpoint: stack.endpoints.dynamodb,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  injectInto(
    client.middlewareStack as never,
    ({ request }) => {
      if (request.headers["x-amz-target"] !== "DynamoDB_20120810.TransactWriteItems") return;
      const body =
        request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body)
          : String(request.body);
      const items = (JSON.parse(body) as { TransactItems: [] }).TransactItems;
      const codes = cancel(items);
      if (!codes) return;
      return {
        statusCode: 400,
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amzn-requestid": "injected-cancellation",
        },
        body: Buffer.from(
          JSON.stringify({
            __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
            CancellationReasons: codes.map((Code) =>
              Code === "None" ? { Code } : { Code, Message: `injected ${Code}` },
            ),
          }),
        ),
      };
    },
    "injectCancellation",
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** S3's answer to a GetObject it refuses. */
const ACCESS_DENIED: RawResponse = {
  statusCode: 403,
  headers: { "content-type": "application/xml", "x-amz-request-id": "injected-denial" },
  body: Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>injected-denial</RequestId></Error>',
  ),
};

/**
 * An S3 client on the stack's emulator whose GetObject is refused (403 AccessDenied) for the
 * keys `denied` names and, like a role without s3:ListBucket, for every key that does not
 * exist. Without ListBucket, S3 answers a missing key with 403 instead of 404
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
 */
export function denyingS3(
  stack: LocalStack,
  options: { denied?: (key: string) => boolean; listBucket: boolean },
): S3Client {
  const client = new S3Client({
    region: stack.endpoints.region,
    endpoint: stack.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  injectInto(
    client.middlewareStack as never,
    async (args) => {
      const { request } = args;
      if (request.method !== "GET" || !request.path) return;
      const key = decodeURIComponent(request.path.split("/").slice(2).join("/"));
      if (options.denied?.(key)) return ACCESS_DENIED;
      return undefined;
    },
    "injectDenial",
  );
  if (!options.listBucket) {
    // Outside the denial, so a real 404 from the emulator is turned into S3's 403.
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const response = result.response as RawResponse & { body?: { destroy?: () => void } };
        if (response.statusCode !== 404) return result;
        response.body?.destroy?.();
        return { ...result, response: { ...ACCESS_DENIED } };
      },
      { step: "deserialize", priority: "low", name: "missingIsDenied" },
    );
  }
  return client;
}

/** The ingest-queue record of an Object Created event, as the event source delivers it. */
export function ingestRecord(
  stack: LocalStack,
  key: string,
  options: { messageId: string; receiveCount?: number },
): SQSRecord {
  const body = JSON.stringify(
    objectCreatedEvent(
      { bucket: stack.endpoints.bucket, key, reason: "PutObject" },
      {
        id: options.messageId,
        time: new Date(),
        account: "000000000000",
        region: stack.endpoints.region,
        sequencer: "1",
      },
    ),
  );
  return {
    messageId: options.messageId,
    receiptHandle: `receipt-${options.messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: "local",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:Ingest",
    awsRegion: stack.endpoints.region,
  };
}
