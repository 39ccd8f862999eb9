import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildAppOptions } from "fauxqs";
import { z } from "zod";

/** The stores fauxqs keeps its S3 objects and SQS messages in. */
export type FauxqsStores = NonNullable<BuildAppOptions["stores"]>;
type S3Store = FauxqsStores["s3Store"];
type SqsStore = FauxqsStores["sqsStore"];
type S3Object = ReturnType<S3Store["putObject"]>;
type Inspection = NonNullable<ReturnType<SqsStore["inspectQueue"]>>;
type SqsMessage = Inspection["messages"]["ready"][number];

/**
 * Loads fauxqs's store classes. fauxqs 1.9.2 exports only `buildApp`, which accepts stores
 * but does not export their classes, so they are imported from the files `buildApp` itself
 * imports. fauxqs is pinned to that exact version; if a later one moves them, this fails at
 * start with a message saying so, not later.
 */
export async function loadStoreClasses(): Promise<{
  S3Store: new () => S3Store;
  SqsStore: new () => SqsStore;
  SnsStore: new () => FauxqsStores["snsStore"];
}> {
  const dist = dirname(fileURLToPath(import.meta.resolve("fauxqs")));
  const load = async (file: string, name: string) => {
    const module: unknown = await import(pathToFileURL(join(dist, file)).href);
    const value = isRecord(module) ? module[name] : undefined;
    if (typeof value !== "function") {
      throw new Error(`fauxqs has no ${name} in dist/${file}: the local stack needs fauxqs 1.9.2`);
    }
    return value;
  };
  const [s3, sqs, sns] = await Promise.all([
    load("s3/s3Store.js", "S3Store"),
    load("sqs/sqsStore.js", "SqsStore"),
    load("sns/snsStore.js", "SnsStore"),
  ]);
  return {
    S3Store: s3 as new () => S3Store,
    SqsStore: sqs as new () => SqsStore,
    SnsStore: sns as new () => FauxqsStores["snsStore"],
  };
}

/** What is stored ahead of an object's bytes in its file. */
const ObjectHeaderSchema = z.object({
  key: z.string(),
  contentType: z.string(),
  etag: z.string(),
  lastModified: z.iso.datetime(),
  metadata: z.record(z.string(), z.string()),
});

/** An S3 store that also keeps every bucket and object on disk, and can load them back. */
export type PersistentS3Store = S3Store & {
  /** Loads the buckets and objects kept in the folder; returns how many objects. */
  restore(): number;
};

/**
 * Extends fauxqs's S3 store so that every object write and delete reaches `dir` before the
 * request is answered: a client that got a 200 has its object on disk, and a crash at any
 * moment leaves each object file either whole and old or whole and new (write to a scratch
 * file, then rename). Layout: `dir/<bucket>/<sha256 of key>.obj`, a JSON header line (key,
 * content type, ETag, LastModified, metadata) followed by the bytes.
 */
export function persistentS3Store(Base: new () => S3Store, dir: string): PersistentS3Store {
  const bucketDir = (bucket: string) => join(dir, encodeURIComponent(bucket));
  const objectFile = (bucket: string, key: string) =>
    join(bucketDir(bucket), `${createHash("sha256").update(key).digest("hex")}.obj`);
  const write = (bucket: string, object: S3Object) => {
    const header = JSON.stringify({
      key: object.key,
      contentType: object.contentType,
      etag: object.etag,
      lastModified: object.lastModified.toISOString(),
      metadata: object.metadata,
    } satisfies z.infer<typeof ObjectHeaderSchema>);
    const file = objectFile(bucket, object.key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, Buffer.concat([Buffer.from(`${header}\n`), object.body]));
    renameSync(`${file}.tmp`, file);
  };

  class Persistent extends Base {
    /** Buckets of multipart uploads in progress: completion names only the upload. */
    private readonly uploadBuckets = new Map<string, string>();

    override createBucket(name: string): void {
      super.createBucket(name);
      mkdirSync(bucketDir(name), { recursive: true });
    }

    override deleteBucket(name: string): void {
      super.deleteBucket(name);
      rmSync(bucketDir(name), { recursive: true, force: true });
    }

    override putObject(...args: Parameters<S3Store["putObject"]>): S3Object {
      const object = super.putObject(...args);
      write(args[0], object);
      return object;
    }

    override createMultipartUpload(...args: Parameters<S3Store["createMultipartUpload"]>): string {
      const uploadId = super.createMultipartUpload(...args);
      this.uploadBuckets.set(uploadId, args[0]);
      return uploadId;
    }

    override completeMultipartUpload(
      ...args: Parameters<S3Store["completeMultipartUpload"]>
    ): S3Object {
      const object = super.completeMultipartUpload(...args);
      const bucket = this.uploadBuckets.get(args[0]);
      this.uploadBuckets.delete(args[0]);
      if (bucket !== undefined) write(bucket, object);
      return object;
    }

    override abortMultipartUpload(uploadId: string): void {
      super.abortMultipartUpload(uploadId);
      this.uploadBuckets.delete(uploadId);
    }

    override deleteObject(bucket: string, key: string): void {
      super.deleteObject(bucket, key);
      rmSync(objectFile(bucket, key), { force: true });
    }

    override emptyBucket(name: string): void {
      super.emptyBucket(name);
      if (this.hasBucket(name)) {
        rmSync(bucketDir(name), { recursive: true, force: true });
        mkdirSync(bucketDir(name), { recursive: true });
      }
    }

    override clearObjects(): void {
      super.clearObjects();
      for (const bucket of this.listBuckets()) this.emptyBucket(bucket.name);
    }

    override purgeAll(): void {
      super.purgeAll();
      rmSync(dir, { recursive: true, force: true });
    }

    restore(): number {
      mkdirSync(dir, { recursive: true });
      let objects = 0;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const bucket = decodeURIComponent(entry.name);
        super.createBucket(bucket);
        for (const file of readdirSync(join(dir, entry.name))) {
          const path = join(dir, entry.name, file);
          // A scratch file is a write that was never acknowledged: the crash came first.
          if (file.endsWith(".tmp")) {
            unlinkSync(path);
            continue;
          }
          if (!file.endsWith(".obj")) continue;
          const bytes = readFileSync(path);
          const newline = bytes.indexOf(0x0a);
          const header = ObjectHeaderSchema.parse(
            JSON.parse(bytes.subarray(0, newline).toString("utf8")),
          );
          // super: restoring is not a write, so it is neither persisted again nor an event.
          const object = super.putObject(
            bucket,
            header.key,
            bytes.subarray(newline + 1),
            header.contentType,
            header.metadata,
          );
          // The store sets these at write time; the restored object keeps its own.
          object.etag = header.etag;
          object.lastModified = new Date(header.lastModified);
          objects += 1;
        }
      }
      return objects;
    }
  }
  return new Persistent();
}

/** An SQS message as fauxqs holds it, as saved in a snapshot. */
const SavedMessageSchema = z
  .object({
    messageId: z.string(),
    body: z.string(),
    md5OfBody: z.string(),
    messageAttributes: z.record(
      z.string(),
      z.object({
        DataType: z.string(),
        StringValue: z.string().optional(),
        BinaryValue: z.string().optional(),
      }),
    ),
    md5OfMessageAttributes: z.string(),
    sentTimestamp: z.number(),
    approximateReceiveCount: z.number(),
    approximateFirstReceiveTimestamp: z.number().optional(),
    delayUntil: z.number().optional(),
    messageGroupId: z.string().optional(),
    messageDeduplicationId: z.string().optional(),
    sequenceNumber: z.string().optional(),
  })
  .strict();

const SnapshotSchema = z.object({
  savedAt: z.iso.datetime(),
  queues: z.record(z.string(), z.array(SavedMessageSchema)),
});

/** Saves and restores the messages of every queue of a fauxqs SQS store. */
export interface QueueSnapshots {
  /** Puts back the messages of the last snapshot into the queues that exist now. */
  restore(): { messages: number; savedAt?: string };
  /** Writes the messages of every queue now (ready, delayed and in flight). */
  save(): void;
}

/**
 * Snapshots of a fauxqs SQS store in `file`. Messages in flight are saved as they are and
 * come back visible, with their receive counts: a restart ends every SQS lease, as a
 * visibility timeout would.
 */
export function queueSnapshots(store: SqsStore, file: string): QueueSnapshots {
  return {
    restore() {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { messages: 0 };
        throw error;
      }
      const snapshot = SnapshotSchema.parse(JSON.parse(text));
      let messages = 0;
      for (const [name, saved] of Object.entries(snapshot.queues)) {
        const queue = store.getQueueByName(name);
        if (!queue) continue;
        for (const message of saved) {
          queue.enqueue(message satisfies SqsMessage);
          messages += 1;
        }
      }
      return { messages, savedAt: snapshot.savedAt };
    },
    save() {
      const queues: Record<string, SqsMessage[]> = {};
      for (const queue of store.listQueues()) {
        const { ready, delayed, inflight } = queue.inspectMessages();
        queues[queue.name] = [...inflight.map((entry) => entry.message), ...ready, ...delayed];
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(
        `${file}.tmp`,
        JSON.stringify({ savedAt: new Date().toISOString(), queues } satisfies z.infer<
          typeof SnapshotSchema
        >),
      );
      renameSync(`${file}.tmp`, file);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
