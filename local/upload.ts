import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** One object to upload, with the S3 user metadata (`vendor`, `agent-id`) to attach. */
export interface UploadItem {
  key: string;
  body: string | Uint8Array;
  metadata?: Record<string, string>;
}

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
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: item.key,
          Body: item.body,
          ContentType: "application/json",
          ...(item.metadata ? { Metadata: item.metadata } : {}),
        }),
      );
      done += 1;
      options.onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return done;
}
