import { connect } from "node:net";
import { Readable } from "node:stream";
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalEventBridge } from "../../local/event-bridge";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { ObjectCreatedEventSchema } from "../../shared/events";
import { QUEUES, TABLE } from "../../shared/resources";
import { isLoopback, listeningAddresses } from "./listeners";

// A stack of its own, not the shared DynamoDB Local of test/integration: this file checks
// what `npm start` binds, DynamoDB Local's port included.
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ ports: { web: 0, aws: 0, dynamodb: 0 } });
});

afterAll(async () => {
  await stack?.stop();
});

/** Receives and deletes every Object Created event on the ingest queue, waiting for `count`. */
async function takeEvents(count: number, waitMs = 30_000) {
  const events = [];
  const deadline = Date.now() + waitMs;
  while (events.length < count && Date.now() < deadline) {
    const { Messages = [] } = await stack.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.endpoints.queues.ingest,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of Messages) {
      events.push(ObjectCreatedEventSchema.parse(JSON.parse(message.Body ?? "")));
      await stack.clients.sqs.send(
        new DeleteMessageCommand({
          QueueUrl: stack.endpoints.queues.ingest,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
    }
  }
  return events;
}

describe("local stack provisioning", () => {
  it("creates the table with the keys, GSIs and TTL of the shared definition", async () => {
    const { Table } = await stack.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: stack.endpoints.table }),
    );
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey.name, KeyType: "HASH" },
      { AttributeName: TABLE.sortKey.name, KeyType: "RANGE" },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName,
      keys: i.KeySchema?.map((k) => k.AttributeName),
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
      TABLE.globalSecondaryIndexes
        .map((i) => ({ name: i.indexName, keys: [i.partitionKey.name, i.sortKey.name] }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    const ttl = await stack.clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: stack.endpoints.table }),
    );
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(TABLE.timeToLiveAttribute);
  });

  it("creates both work queues with a redrive policy to their DLQ", async () => {
    for (const [name, definition] of [
      ["ingest", QUEUES.ingest],
      ["review", QUEUES.review],
    ] as const) {
      const url = stack.endpoints.queues[name];
      const dlqUrl = stack.endpoints.queues[`${name}Dlq`];
      const { Attributes = {} } = await stack.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
      );
      const dlq = await stack.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      );
      expect(Number(Attributes.VisibilityTimeout)).toBe(definition.visibilityTimeoutSeconds);
      const redrive = JSON.parse(Attributes.RedrivePolicy ?? "{}");
      expect(redrive.deadLetterTargetArn).toBe(dlq.Attributes?.QueueArn);
      expect(Number(redrive.maxReceiveCount)).toBe(definition.maxReceiveCount);
    }
  });
});

describe("network exposure", () => {
  it("listens on 127.0.0.1 only, DynamoDB Local included", async () => {
    const ports = [stack.endpoints.web, stack.endpoints.s3, stack.endpoints.dynamodb].map((url) =>
      Number(new URL(url).port),
    );
    for (const port of ports) {
      const addresses = await listeningAddresses(port);
      expect(addresses.length, `something listens on port ${port}`).toBeGreaterThan(0);
      expect(
        addresses.filter((a) => !isLoopback(a)),
        `port ${port}`,
      ).toEqual([]);
    }
  });
});

describe("local S3 → EventBridge → ingest queue", () => {
  it("delivers the event of an object whose key holds an emoji", async () => {
    const key = "in/🎉 launch/ünïcode-𝒳.json";
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: key, Body: "{}" }),
    );
    await stack.bridge.drain();
    const events = await takeEvents(1);
    expect(events.map((e) => e.detail.object.key)).toEqual([key]);
    expect(stack.bridge.stats.failed).toBe(0);
  });

  it("refuses an object over the emulator's request limit with an S3 error that says why", async () => {
    const error = await stack.clients.s3
      .send(
        new PutObjectCommand({
          Bucket: stack.endpoints.bucket,
          Key: "in/huge.json",
          Body: Buffer.alloc(12 * 1024 * 1024, 0x20),
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("EntityTooLarge");
    expect((error as Error).message).toMatch(/at most 11 MiB per request.*multipart/);
  });

  it("delivers an Object Created event for a PutObject with the object's size and ETag", async () => {
    const body = JSON.stringify({ hello: "world" });
    const put = await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: "in/a b/put.json", Body: body }),
    );
    const [event, ...rest] = await takeEvents(1);
    expect(rest).toHaveLength(0);
    expect(event?.source).toBe("aws.s3");
    expect(event?.["detail-type"]).toBe("Object Created");
    expect(event?.detail.bucket.name).toBe(stack.endpoints.bucket);
    expect(event?.detail.object.key).toBe("in/a b/put.json");
    expect(event?.detail.object.size).toBe(Buffer.byteLength(body));
    expect(event?.detail.object.etag).toBe(put.ETag?.replaceAll('"', ""));
    expect(event?.detail.reason).toBe("PutObject");
  });

  it("delivers events for multipart uploads and copies, and none for other buckets", async () => {
    const bucket = stack.endpoints.bucket;
    const { UploadId } = await stack.clients.s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "in/multi.json" }),
    );
    const part = await stack.clients.s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: "in/multi.json",
        UploadId,
        PartNumber: 1,
        Body: "{}",
      }),
    );
    await stack.clients.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "in/multi.json",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    await stack.clients.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "in/copy.json",
        CopySource: `${bucket}/in/multi.json`,
      }),
    );
    await stack.clients.s3.send(new CreateBucketCommand({ Bucket: "someone-else" }));
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: "someone-else", Key: "x.json", Body: "{}" }),
    );

    const events = await takeEvents(2);
    await stack.bridge.drain();
    expect(events.map((e) => [e.detail.object.key, e.detail.reason]).sort()).toEqual([
      ["in/copy.json", "CopyObject"],
      ["in/multi.json", "CompleteMultipartUpload"],
    ]);
    expect(await takeEvents(1, 1_500)).toHaveLength(0);
  });

  it("delivers an event with the decoded size for a streamed upload with a trailing checksum, as the AWS CLI sends it", async () => {
    // `aws s3 cp` and the SDK stream a file as aws-chunked with a trailing CRC: the bytes on
    // the wire are not the object's size. A client of its own, as another tool would have.
    const body = JSON.stringify({ from: "a streaming client", padding: "x".repeat(5_000) });
    const client = new S3Client({
      region: "us-east-1",
      endpoint: stack.endpoints.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestChecksumCalculation: "WHEN_SUPPORTED",
    });
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) sent.push({ ...request.headers });
        return next(args);
      },
      { step: "finalizeRequest", name: "recordHeaders" },
    );
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: stack.endpoints.bucket,
          Key: "in/streamed.json",
          Body: Readable.from([Buffer.from(body)]),
          ContentLength: Buffer.byteLength(body),
        }),
      );
    } finally {
      client.destroy();
    }
    expect(sent[0]?.["content-encoding"]).toMatch(/aws-chunked/);
    expect(sent[0]?.["x-amz-decoded-content-length"]).toBe(String(Buffer.byteLength(body)));
    const events = await takeEvents(1);
    expect(events.map((e) => [e.detail.object.key, e.detail.object.size])).toEqual([
      ["in/streamed.json", Buffer.byteLength(body)],
    ]);
    const stored = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: "in/streamed.json" }),
    );
    expect(await stored.Body?.transformToString()).toBe(body);
  });
});

describe("local event delivery when the ingest queue is unavailable", () => {
  const object = (key: string) => ({
    bucket: stack.endpoints.bucket,
    key,
    size: 2,
    etag: '"99914b932bd37a50b983c5e7c90ae93b"',
    reason: "PutObject" as const,
  });
  const queueUrl = async (name: string) =>
    (await stack.clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? "";

  it("retries a failed delivery until the queue accepts it", async () => {
    // The queue is there, then gone while the object is written, then back.
    const url = await queueUrl("bridge-late");
    await stack.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const bridge = createLocalEventBridge({
      s3: stack.clients.s3,
      sqs: stack.clients.sqs,
      bucket: stack.endpoints.bucket,
      ingestQueueUrl: url,
      region: "us-east-1",
      retry: { attempts: 10, baseDelayMs: 100 },
    });
    bridge.objectCreated(object("in/late.json"));
    const deadline = Date.now() + 20_000;
    while (bridge.stats.retried === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(bridge.stats.retried).toBeGreaterThan(0);
    expect(await queueUrl("bridge-late")).toBe(url);
    await bridge.drain();
    expect(bridge.stats).toMatchObject({ delivered: 1, deadLettered: 0, failed: 0 });
    const { Messages = [] } = await stack.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? "{}").detail.object.key)).toEqual([
      "in/late.json",
    ]);
  });

  it("puts an event it cannot deliver on the ingest DLQ with the reason, as EventBridge does", async () => {
    const dlq = await queueUrl("bridge-dlq");
    const errors: unknown[] = [];
    const bridge = createLocalEventBridge({
      s3: stack.clients.s3,
      sqs: stack.clients.sqs,
      bucket: stack.endpoints.bucket,
      ingestQueueUrl: stack.endpoints.queues.ingest.replace(/[^/]+$/, "bridge-never"),
      ingestDlqUrl: dlq,
      region: "us-east-1",
      retry: { attempts: 3, baseDelayMs: 20 },
      onError: (error) => errors.push(error),
    });
    bridge.objectCreated(object("in/lost.json"));
    await bridge.drain();
    expect(bridge.stats).toMatchObject({ delivered: 0, retried: 2, deadLettered: 1, failed: 0 });
    expect(errors).toHaveLength(1);
    const { Messages = [] } = await stack.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ["All"],
      }),
    );
    const [message] = Messages;
    expect(ObjectCreatedEventSchema.parse(JSON.parse(message?.Body ?? "")).detail.object.key).toBe(
      "in/lost.json",
    );
    expect(message?.MessageAttributes?.ERROR_CODE?.StringValue).toMatch(/QueueDoesNotExist/);
  });
});

describe("status web app", () => {
  it("answers /healthz with 200 and reports counts on /api/status", async () => {
    const health = await fetch(`${stack.endpoints.web}/healthz`);
    expect(health.status).toBe(200);
    const status = (await (await fetch(`${stack.endpoints.web}/api/status`)).json()) as {
      objects: number;
      queues: Array<{ name: string }>;
    };
    expect(status.objects).toBeGreaterThan(0);
    expect(status.queues.map((q) => q.name).sort()).toEqual([
      "ingest",
      "ingestDlq",
      "review",
      "reviewDlq",
    ]);
    const page = await fetch(stack.endpoints.web);
    expect(page.headers.get("content-type")).toContain("text/html");
  });

  it("answers unknown paths and oversized headers with JSON, not text or an empty body", async () => {
    const unknown = await fetch(`${stack.endpoints.web}/api/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/application\/json/);
    expect(await unknown.json()).toEqual({ error: "no route for GET /api/no-such-route" });

    const url = new URL(stack.endpoints.web);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`GET /api/trends HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(40_000)}\r\n\r\n`);
      });
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toMatch(/content-type: application\/json/);
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))).toEqual({
      error: "the request headers are too large (16 KiB at most)",
    });
  });
});
