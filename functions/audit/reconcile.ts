import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PERIOD } from "../../shared/table-keys";
import { utcDay } from "../../shared/time";
import { queryPeriodPartition } from "../lib/query-partition";
import { daysBetween } from "./days";

export interface ReconcileResult {
  from: string;
  to: string;
  objects: number;
  /** Objects by where they ended up. */
  outcomes: Record<string, number>;
  /** S3 keys in neither the ledger (incl. duplicates) nor quarantine. */
  missing: string[];
  /** Ledger entries whose object is no longer in the bucket. */
  orphaned: string[];
}

/**
 * Checks that every object that arrived in the bucket between `from` and `to` (UTC days of
 * LastModified) was recorded exactly once, and that every ledger entry of those days still
 * has its object. Objects still in flight show as missing until the sampler reaches them.
 */
export async function reconcile(
  deps: { s3: S3Client; db: DynamoDBDocumentClient; table: string; bucket: string },
  from: string,
  to: string,
): Promise<ReconcileResult> {
  const days = daysBetween(from, to);
  const inRange = new Set(days);
  const allKeys = new Set<string>();
  const keysInRange: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.send(
      new ListObjectsV2Command({ Bucket: deps.bucket, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      const name = `${deps.bucket}/${object.Key}`;
      allKeys.add(name);
      if (object.LastModified && inRange.has(utcDay(object.LastModified))) keysInRange.push(name);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const recorded = new Map<string, string>();
  const ledgerObjects: string[] = [];
  for (const day of days) {
    const [markers, ledger] = await Promise.all([
      queryPeriodPartition(deps.db, deps.table, PERIOD.objectDay(day)),
      queryPeriodPartition(deps.db, deps.table, PERIOD.ledgerDay(day)),
    ]);
    for (const marker of markers) recorded.set(String(marker.object), String(marker.outcome));
    for (const item of ledger) ledgerObjects.push(String(item.object));
  }
  const outcomes: Record<string, number> = {};
  const missing: string[] = [];
  for (const name of keysInRange) {
    const outcome = recorded.get(name);
    if (outcome === undefined) missing.push(name);
    else outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return {
    from,
    to,
    objects: keysInRange.length,
    outcomes,
    missing: missing.sort(),
    orphaned: ledgerObjects.filter((name) => !allKeys.has(name)).sort(),
  };
}
