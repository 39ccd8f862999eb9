import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

/** One object to upload, with the S3 user metadata (`vendor`, `agent-id`) to attach. */
export interface UploadItem {
  key: string;
  body: string | Uint8Array;
  metadata?: Record<string, string>;
}

/**
 * Bodies above this go up as multipart uploads in parts of this size. A single PutObject
 * can be up to 5 GiB in S3, but the local emulator takes at most 11 MiB per request; S3's
 * smallest part is 5 MiB, and the AWS CLI uses 8 MiB as well.
 */
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

/**
 * Puts every item into `bucket` with at most `concurrency` requests in flight, reporting
 * progress after each one. Stops at the first failure and rethrows it.
 */
export async function uploadAll(
  s3: S3Client,
  bucket: string,
  items: readonly UploadItem[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<number> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const item = items[index];
      if (item === undefined) return;
      const params = {
        Bucket: bucket,
        Key: item.key,
        Body: item.body,
        ContentType: "application/json",
        ...(item.metadata ? { Metadata: item.metadata } : {}),
      };
      if (Buffer.byteLength(item.body) > MULTIPART_PART_BYTES) {
        await new Upload({ client: s3, params, partSize: MULTIPART_PART_BYTES }).done();
      } else {
        await s3.send(new PutObjectCommand(params));
      }
      done += 1;
      options.onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return done;
}
