import { z } from "zod";

/**
 * The EventBridge event S3 emits for a new object ("Object Created", source `aws.s3`), in
 * the shape documented in the Amazon S3 user guide (EventBridge event message structure).
 */
export const ObjectCreatedEventSchema = z.object({
  version: z.literal("0"),
  id: z.string(),
  "detail-type": z.literal("Object Created"),
  source: z.literal("aws.s3"),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.object({
    version: z.literal("0"),
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      etag: z.string().optional(),
      "version-id": z.string().optional(),
      sequencer: z.string().optional(),
    }),
    "request-id": z.string().optional(),
    requester: z.string().optional(),
    "source-ip-address": z.string().optional(),
    reason: z.enum(["PutObject", "POST Object", "CopyObject", "CompleteMultipartUpload"]),
  }),
});
export type ObjectCreatedEvent = z.infer<typeof ObjectCreatedEventSchema>;

/** What is known about a newly written object. */
export interface CreatedObject {
  bucket: string;
  key: string;
  size?: number;
  etag?: string;
  versionId?: string;
  reason: ObjectCreatedEvent["detail"]["reason"];
}

/** Builds the event AWS would deliver for an object write; the local stack uses it. */
export function objectCreatedEvent(
  object: CreatedObject,
  context: { id: string; time: Date; account: string; region: string; sequencer: string },
): ObjectCreatedEvent {
  return {
    version: "0",
    id: context.id,
    "detail-type": "Object Created",
    source: "aws.s3",
    account: context.account,
    time: context.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: context.region,
    resources: [`arn:aws:s3:::${object.bucket}`],
    detail: {
      version: "0",
      bucket: { name: object.bucket },
      object: {
        key: object.key,
        ...(object.size === undefined ? {} : { size: object.size }),
        ...(object.etag === undefined ? {} : { etag: object.etag.replaceAll('"', "") }),
        ...(object.versionId === undefined ? {} : { "version-id": object.versionId }),
        sequencer: context.sequencer,
      },
      "request-id": context.id.replaceAll("-", "").slice(0, 16).toUpperCase(),
      requester: context.account,
      "source-ip-address": "127.0.0.1",
      reason: object.reason,
    },
  };
}

/**
 * The SQS message body of an event: its JSON, with every character SQS refuses or that lies
 * outside the Basic Multilingual Plane (an emoji in a key, say) written as `\uXXXX` escapes
 * of its UTF-16 code units. The JSON means the same either way. The escapes keep the body
 * inside the characters that every SQS implementation accepts: SQS itself refuses U+FFFE and
 * U+FFFF, and some emulators refuse everything past U+FFFD.
 */
export function eventBody(event: unknown): string {
  return JSON.stringify(event).replace(/[\u{FFFE}-\u{10FFFF}]/gu, (char) =>
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`,
    ).join(""),
  );
}
