import { buildApp } from "fauxqs";
import type { CreatedObject } from "../../shared/events";

/** A running fauxqs server (S3 and SQS on one endpoint). */
export interface S3SqsEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs in this process on 127.0.0.1:`port`. fauxqs emits no S3 event
 * notifications, so every successful object write — by any client — is reported to
 * `onObjectCreated`, which plays the part of S3's EventBridge integration.
 */
export async function startS3Sqs(
  port: number,
  region: string,
  onObjectCreated: (object: CreatedObject) => void,
): Promise<S3SqsEmulator> {
  const app = buildApp({ logger: false, defaultRegion: region });
  app.addHook("onResponse", async (request: S3Exchange, reply: S3Reply) => {
    const created = objectWrite(request, reply);
    if (created) onObjectCreated(created);
  });
  await app.listen({ port, host: "127.0.0.1" });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
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
