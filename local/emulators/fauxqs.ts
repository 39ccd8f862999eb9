import { join } from "node:path";
import { buildApp } from "fauxqs";
import type { CreatedObject } from "../../shared/events";
import {
  type FauxqsStores,
  loadStoreClasses,
  persistentS3Store,
  type QueueSnapshots,
  queueSnapshots,
} from "./fauxqs-persistence";

/** How often queue contents are saved while they change: the most a crash can lose. */
export const QUEUE_SNAPSHOT_INTERVAL_MS = 2_000;

/** fauxqs's request body limit (its `buildApp` sets it; S3 multipart parts fit under it). */
export const MAX_REQUEST_BYTES = 11 * 1_048_576;

/** A running fauxqs server (S3 and SQS on one endpoint). */
export interface S3SqsEmulator {
  endpoint: string;
  /** Objects loaded back from the data folder at start (0 when in memory). */
  restoredObjects: number;
  /**
   * Once the queues exist: puts back the messages saved by the last run, then keeps saving
   * them every {@link QUEUE_SNAPSHOT_INTERVAL_MS} while they change, and at stop.
   */
  restoreQueues(): { messages: number; savedAt?: string };
  /** Bodies of the messages a queue holds now (visible, delayed and in flight). */
  queueBodies(queueName: string): string[];
  /** Saves the queues one last time (when persistent), then closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts fauxqs in this process on 127.0.0.1:`port` (0: a free port, bound at once). fauxqs emits no S3 event
 * notifications, so every successful object write — by any client — is reported to
 * `onObjectCreated`, which plays the part of S3's EventBridge integration.
 *
 * fauxqs keeps everything in memory. With `dataDir`, every object write and delete is also
 * made to `dataDir/s3` before it is answered and restored at the next start (without
 * events: those objects were announced when they were written), and queue contents are
 * saved to `dataDir/sqs.json`.
 */
export async function startS3Sqs(options: {
  port: number;
  region: string;
  onObjectCreated: (object: CreatedObject) => void;
  dataDir?: string;
}): Promise<S3SqsEmulator> {
  const classes = await loadStoreClasses();
  const persistent = options.dataDir
    ? persistentS3Store(classes.S3Store, join(options.dataDir, "s3"))
    : undefined;
  const stores: FauxqsStores = {
    s3Store: persistent ?? new classes.S3Store(),
    sqsStore: new classes.SqsStore(),
    snsStore: new classes.SnsStore(),
  };
  const restoredObjects = persistent?.restore() ?? 0;
  const snapshots: QueueSnapshots | undefined = options.dataDir
    ? queueSnapshots(stores.sqsStore, join(options.dataDir, "sqs.json"))
    : undefined;

  const app = buildApp({ logger: false, defaultRegion: options.region, stores });
  let dirty = false;
  app.addHook("onResponse", async (request: S3Exchange & { url: string }, reply: S3Reply) => {
    // SQS calls are POSTs to `/`; every other route is S3.
    if (request.method === "POST" && request.url === "/") {
      dirty = true;
      return;
    }
    const created = objectWrite(request, reply);
    if (created) options.onObjectCreated(created);
  });
  app.addHook("onSend", async (_request: unknown, reply: ErrorReply, payload: unknown) => {
    // Fastify refuses a body over its limit with a JSON 413, which S3 clients fail to parse
    // ("XML parse error"). Say it the way S3 says errors, with what to do instead.
    if (reply.statusCode !== 413) return payload;
    reply.header("content-type", "application/xml");
    return s3ErrorXml(
      "EntityTooLarge",
      `the local S3 emulator takes at most ${MAX_REQUEST_BYTES / 1_048_576} MiB per request: upload larger objects in parts (multipart upload; 'spotcheck upload' and 'aws s3 cp' do)`,
    );
  });
  await app.listen({ port: options.port, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  let timer: NodeJS.Timeout | undefined;
  let restored = false;
  const save = () => {
    if (!snapshots || !restored) return;
    dirty = false;
    snapshots.save();
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    restoredObjects,
    restoreQueues() {
      const result = snapshots?.restore() ?? { messages: 0 };
      restored = true;
      if (snapshots) {
        timer = setInterval(() => {
          if (dirty) save();
        }, QUEUE_SNAPSHOT_INTERVAL_MS);
        timer.unref();
      }
      return result;
    },
    queueBodies(queueName) {
      const inspection = stores.sqsStore.inspectQueue(queueName);
      if (!inspection) return [];
      const { ready, delayed, inflight } = inspection.messages;
      return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((m) => m.body);
    },
    async stop() {
      clearInterval(timer);
      save();
      await app.close();
    },
  };
}

/** The parts of a reply the error rewrite needs. */
interface ErrorReply {
  statusCode: number;
  header(name: string, value: string): unknown;
}

function s3ErrorXml(code: string, message: string): string {
  const escaped = message.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escaped}</Message></Error>`;
}

/** The parts of an HTTP exchange with the S3 emulator that tell whether it wrote an object. */
export interface S3Exchange {
  method: string;
  params: unknown;
  query: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** The parts of the emulator's reply that matter here. */
export interface S3Reply {
  statusCode: number;
  getHeader(name: string): unknown;
}

/** Recognises the S3 calls that create an object, as S3 would report them to EventBridge. */
export function objectWrite(request: S3Exchange, reply: S3Reply): CreatedObject | undefined {
  if (reply.statusCode !== 200) return undefined;
  const params = request.params as { bucket?: string; "*"?: string } | undefined;
  const bucket = params?.bucket;
  const key = params?.["*"];
  if (!bucket || !key) return undefined;
  const query = (request.query ?? {}) as Record<string, string | undefined>;
  if (request.method === "PUT" && query.uploadId === undefined && query.partNumber === undefined) {
    if (request.headers["x-amz-copy-source"] !== undefined) {
      return { bucket, key, reason: "CopyObject" };
    }
    // A plain PutObject tells its size and ETag in the exchange, saving a HeadObject later;
    // with aws-chunked bodies the decoded length has a header of its own.
    const length = Number(
      request.headers["x-amz-decoded-content-length"] ?? request.headers["content-length"],
    );
    const etag = reply.getHeader("etag");
    return {
      bucket,
      key,
      reason: "PutObject",
      ...(Number.isInteger(length) ? { size: length } : {}),
      ...(typeof etag === "string" ? { etag } : {}),
    };
  }
  if (request.method === "POST" && query.uploadId !== undefined) {
    return { bucket, key, reason: "CompleteMultipartUpload" };
  }
  return undefined;
}
