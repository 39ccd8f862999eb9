import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DataDirBusyError, openDataDir } from "../../local/data-dir";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import type { SamplingPolicy } from "../../shared/policy";
import { queueDepth } from "../sampler/helpers";

let root: string;
let stack: LocalStack | undefined;
let policy: SamplingPolicy;
const key = randomBytes(32);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "spotcheck-persist-"));
  policy = await loadPolicy();
});
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Stacks of their own, not the shared DynamoDB Local of test/integration: these tests stop,
// kill and restart DynamoDB Local over a data folder to test persistence and crash recovery.
const start = (dataDir: string, options: { reset?: boolean; sampler?: boolean } = {}) =>
  startLocalStack({
    ports: { web: 0, aws: 0, dynamodb: 0 },
    dataDir,
    ...(options.reset ? { reset: true } : {}),
    ...(options.sampler ? { sampler: { policy, key } } : {}),
  });

/** Receives (without deleting) every message on a queue, waiting for at least `count`. */
async function peek(s: LocalStack, url: string, count: number) {
  const bodies: string[] = [];
  const deadline = Date.now() + 30_000;
  while (bodies.length < count && Date.now() < deadline) {
    const { Messages = [] } = await s.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    bodies.push(...Messages.map((m) => m.Body ?? ""));
  }
  return bodies;
}

describe("a local stack with a data folder", () => {
  it("keeps objects, table items and queued messages across a stop and a start, without new events", async () => {
    const dir = join(root, "keep");
    stack = await start(dir);
    const first = stack;
    expect(first.data).toMatchObject({ fresh: true, dir });
    const keys = ["in/a.json", "in/🎉 b.json", "in/c.json"];
    for (const k of keys) {
      await first.clients.s3.send(
        new PutObjectCommand({
          Bucket: first.endpoints.bucket,
          Key: k,
          Body: JSON.stringify({ k }),
          Metadata: { vendor: "acme", "agent-id": "agt-1" },
        }),
      );
    }
    await first.bridge.drain();
    const before = await first.clients.s3.send(
      new HeadObjectCommand({ Bucket: first.endpoints.bucket, Key: keys[1] }),
    );
    await first.clients.doc.send(
      new PutCommand({
        TableName: first.endpoints.table,
        Item: { pk: "ALERT#acme", sk: "chat#empathy#2026-W45", state: "open" },
      }),
    );
    await first.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: first.endpoints.queues.review,
        MessageBody: JSON.stringify({ taskId: "t-1", interactionId: "ix-1" }),
      }),
    );
    const id = first.data.id;
    await first.stop();
    stack = undefined;

    stack = await start(dir);
    expect(stack.data).toMatchObject({ id, fresh: false, restored: { objects: 3, messages: 4 } });
    expect(stack.data.recovered).toBeUndefined();
    const listed = await stack.clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.endpoints.bucket }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([...keys].sort());
    const after = await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: stack.endpoints.bucket, Key: keys[1] }),
    );
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified?.toISOString()).toBe(before.LastModified?.toISOString());
    expect(after.Metadata).toEqual({ vendor: "acme", "agent-id": "agt-1" });
    const alert = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: { pk: "ALERT#acme", sk: "chat#empathy#2026-W45" },
      }),
    );
    expect(alert.Item?.state).toBe("open");
    // The three events queued before the stop, and no new ones for the restored objects.
    const events = await peek(stack, stack.endpoints.queues.ingest, 3);
    expect(events.map((b) => JSON.parse(b).detail.object.key).sort()).toEqual([...keys].sort());
    expect(await peek(stack, stack.endpoints.queues.ingest, 1)).toEqual([]);
    await stack.bridge.drain();
    expect(stack.bridge.stats.delivered).toBe(0);
    expect(await peek(stack, stack.endpoints.queues.review, 1)).toHaveLength(1);
  }, 120_000);

  it("starts over with reset: no objects, no items, no messages, a new data id", async () => {
    const dir = join(root, "reset");
    stack = await start(dir);
    await stack.s3Put("in/x.json", "{}", {});
    await stack.bridge.drain();
    const id = stack.data.id;
    await stack.stop();

    stack = await start(dir, { reset: true });
    expect(stack.data.fresh).toBe(true);
    expect(stack.data.id).not.toBe(id);
    expect(stack.data.restored).toEqual({ objects: 0, messages: 0 });
    const listed = await stack.clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.endpoints.bucket }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
    expect(await queueDepth(stack, stack.endpoints.queues.ingest)).toBe(0);
  }, 120_000);

  it("after an unclean stop, sends objects and tasks whose messages were lost through again", async () => {
    const dir = join(root, "crash");
    stack = await start(dir, { sampler: true });
    const demo = generateDemo({ days: 7, seed: 3, perDay: 20 });
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
    await stack.bridge.drain();
    await stack.sampler?.idle();
    const tasks = await queueDepth(stack, stack.endpoints.queues.review);
    expect(tasks).toBeGreaterThan(0);
    // Two objects arrive last; their events are still queued when the stop comes.
    await stack.sampler?.stop();
    await stack.s3Put("late/one.json", demo.files[0]?.body ?? "", demo.files[0]?.metadata ?? {});
    await stack.s3Put("late/two.json", demo.files[1]?.body ?? "", demo.files[1]?.metadata ?? {});
    await stack.bridge.drain();
    await stack.stop();
    stack = undefined;
    // A crash two seconds later: the queues' last snapshot predates those events and the
    // review tasks, and the stack never marked its stop as clean.
    const snapshotFile = join(dir, "sqs.json");
    const snapshot = JSON.parse(await readFile(snapshotFile, "utf8")) as {
      queues: Record<string, unknown[]>;
    };
    for (const name of Object.keys(snapshot.queues)) snapshot.queues[name] = [];
    await writeFile(snapshotFile, JSON.stringify(snapshot));
    await writeFile(
      join(dir, "running.json"),
      JSON.stringify({ pid: 2 ** 22 + 17, startedAt: new Date().toISOString() }),
    );

    stack = await start(dir, { sampler: true });
    expect(stack.data.recovered).toEqual({ events: 2, tasks });
    await stack.bridge.drain();
    await stack.sampler?.idle();
    const totals = (await stack.status()).sampling?.totals;
    // The two late objects are recorded (as duplicates of interactions already in the ledger).
    expect(totals).toMatchObject({ ledger: demo.files.length, duplicates: 2 });
    expect(await queueDepth(stack, stack.endpoints.queues.review)).toBe(tasks);
  }, 180_000);
});

describe("the data folder", () => {
  it("is refused to a second stack while the first runs, saying how to proceed", async () => {
    const dir = join(root, "busy");
    const first = await openDataDir(dir);
    // The parent of this test process stands in for another running stack.
    await writeFile(
      join(dir, "running.json"),
      JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString() }),
    );
    await expect(openDataDir(dir)).rejects.toThrow(DataDirBusyError);
    await expect(openDataDir(dir, { reset: true })).rejects.toThrow(/in use by the stack with pid/);
    await rm(join(dir, "running.json"));
    await first.close();
  });

  it("is never made of, or wiped from, a folder Spotcheck did not create", async () => {
    const dir = join(root, "foreign");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "notes.txt"), "mine");
    await expect(openDataDir(dir, { reset: true })).rejects.toThrow(/holds no Spotcheck data/);
    expect(await readFile(join(dir, "notes.txt"), "utf8")).toBe("mine");
  });
});
