import { z } from "zod";
import { ObjectCreatedEventSchema } from "../../shared/events";

/** One S3 object to ingest, as named by an event. */
export interface ObjectRef {
  bucket: string;
  key: string;
  /** Alternative spelling of the key to try if `key` is not found (percent-decoded). */
  decodedKey?: string;
  versionId?: string;
  etag?: string;
}

/** The classic S3 event notification (`Records[]`), as S3 or SNS deliver it to SQS. */
const S3NotificationSchema = z.object({
  Records: z.array(
    z.object({
      eventSource: z.literal("aws:s3"),
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({
          key: z.string().min(1),
          eTag: z.string().optional(),
          versionId: z.string().optional(),
        }),
      }),
    }),
  ),
});

/** What an ingest-queue message asks for: objects to ingest, or nothing (a test event). */
export type ParsedMessage =
  | { kind: "objects"; objects: ObjectRef[] }
  | { kind: "skip"; reason: string };

/** The message body is not any event the sampler understands. */
export class UnknownEventError extends Error {
  override name = "UnknownEventError";
}

/**
 * Reads an ingest-queue message body: an EventBridge "Object Created" event (the deployed
 * path), or a classic S3 notification, whose keys are form-encoded ("red flower.jpg" arrives
 * as "red+flower.jpg", per the S3 notification message structure docs). `s3:TestEvent`,
 * which S3 sends when a notification is configured, is skipped.
 */
export function parseIngestMessage(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnknownEventError("message body is not JSON");
  }
  if (isRecord(json) && json.Event === "s3:TestEvent")
    return { kind: "skip", reason: "s3:TestEvent" };

  const bridged = ObjectCreatedEventSchema.safeParse(json);
  if (bridged.success) {
    const { bucket, object } = bridged.data.detail;
    return {
      kind: "objects",
      objects: [
        withDecoded({
          bucket: bucket.name,
          key: object.key,
          ...(object["version-id"] ? { versionId: object["version-id"] } : {}),
          ...(object.etag ? { etag: object.etag } : {}),
        }),
      ],
    };
  }
  const notification = S3NotificationSchema.safeParse(json);
  if (notification.success) {
    const objects = notification.data.Records.filter((r) =>
      r.eventName.startsWith("ObjectCreated"),
    ).map((r) => ({
      bucket: r.s3.bucket.name,
      key: formDecode(r.s3.object.key),
      ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
      ...(r.s3.object.eTag ? { etag: r.s3.object.eTag } : {}),
    }));
    return objects.length > 0
      ? { kind: "objects", objects }
      : { kind: "skip", reason: "no ObjectCreated records" };
  }
  throw new UnknownEventError(
    "message is neither an EventBridge Object Created event nor an S3 notification",
  );
}

/** EventBridge keys are used as given; a percent-decoded spelling is kept as a fallback. */
function withDecoded(ref: ObjectRef): ObjectRef {
  if (!/[%+]/.test(ref.key)) return ref;
  const decoded = formDecode(ref.key);
  return decoded === ref.key ? ref : { ...ref, decodedKey: decoded };
}

function formDecode(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll("+", " "));
  } catch {
    return key;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
