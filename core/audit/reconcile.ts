import { randomUUID } from "node:crypto";
import {
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SpotcheckError } from "../../shared/errors";
import { eventBody, objectCreatedEvent } from "../../shared/events";
import {
  type LedgerEntry,
  ledgerFromItem,
  objectMarkerFromItem,
  objectName,
  PERIOD,
} from "../../shared/items";
import { utcDay } from "../../shared/time";
import { queryPeriodPartition } from "../db/query-partition";
import { daysBetween } from "./days";

/** The current version of one object in the bucket. */
export interface StoredObject {
  key: string;
  /** `<bucket>/<key>`, as the table names objects. */
  name: string;
  lastModified?: Date;
  size?: number;
  /** Without quotes. */
  etag?: string;
  /** Absent when the bucket has no versioning. */
  versionId?: string;
}

/** A ledger entry whose object has been overwritten since it was sampled. */
export interface ChangedObject {
  object: string;
  interactionId: string;
  /** The version (S3 VersionId, or the ETag in a bucket without versions) that was sampled. */
  recorded: string;
  /** The object's version now. */
  current: string;
}

export interface ReconcileResult {
  from: string;
  to: string;
  objects: number;
  /** Objects by where they ended up. */
  outcomes: Record<string, number>;
  /** S3 keys whose current version is in neither the ledger (incl. duplicates) nor quarantine. */
  missing: string[];
  /** Ledger entries whose object is no longer in the bucket. */
  orphaned: string[];
  /** Ledger entries whose object is still there but is no longer the version that was sampled. */
  changed: ChangedObject[];
}

/**
 * The version the sampler records for an object: its VersionId in a versioned bucket, else
 * its ETag (S3 reports `null` as the VersionId of an object written before versioning).
 */
export function objectVersion(object: { versionId?: string; etag?: string }): string | undefined {
  if (object.versionId && object.versionId !== "null") return object.versionId;
  return object.etag?.replaceAll('"', "");
}

/**
 * Checks that every object that arrived in the bucket between `from` and `to` (UTC days of
 * LastModified) was recorded exactly once in its current version, and that every ledger
 * entry of those days still has its object, unchanged. Objects still in flight show as
 * missing until the sampler reaches them. `missingObjects` are the missing objects in full,
 * for {@link resendObjects}.
 */
export async function reconcile(
  deps: { s3: S3Client; db: DynamoDBDocumentClient; table: string; bucket: string },
  from: string,
  to: string,
): Promise<ReconcileResult & { missingObjects: StoredObject[] }> {
  const days = daysBetween(from, to);
  const inRange = new Set(days);
  const listed = await listBucket(deps.s3, deps.bucket);
  const current = new Map(listed.map((object) => [object.name, object]));
  const arrived = listed.filter(
    (object) => object.lastModified && inRange.has(utcDay(object.lastModified)),
  );

  // Markers are keyed by object version, so an object overwritten after it was recorded
  // counts as missing until its new version is recorded too.
  const recorded = new Map<string, string>();
  const ledger: LedgerEntry[] = [];
  for (const day of days) {
    const [markers, entries] = await Promise.all([
      queryPeriodPartition(deps.db, deps.table, PERIOD.objectDay(day)),
      queryPeriodPartition(deps.db, deps.table, PERIOD.ledgerDay(day)),
    ]);
    for (const item of markers) {
      const marker = objectMarkerFromItem(item);
      recorded.set(versionKey(marker.object, marker.markedVersion), marker.outcome);
    }
    ledger.push(...entries.map(ledgerFromItem));
  }
  const outcomes: Record<string, number> = {};
  const missingObjects: StoredObject[] = [];
  for (const object of arrived) {
    const outcome = recorded.get(versionKey(object.name, objectVersion(object) ?? ""));
    if (outcome === undefined) missingObjects.push(object);
    else outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  const orphaned: string[] = [];
  const changed: ChangedObject[] = [];
  for (const entry of ledger) {
    const name = entry.object;
    const object = current.get(name);
    if (object === undefined) {
      orphaned.push(name);
      continue;
    }
    const now = objectVersion(object);
    if (now !== undefined && now !== entry.version) {
      changed.push({
        object: name,
        interactionId: entry.interactionId,
        recorded: entry.version,
        current: now,
      });
    }
  }
  missingObjects.sort((a, b) => a.name.localeCompare(b.name));
  return {
    from,
    to,
    objects: arrived.length,
    outcomes,
    missing: missingObjects.map((object) => object.name),
    orphaned: orphaned.sort(),
    changed: changed.sort((a, b) => a.object.localeCompare(b.object)),
    missingObjects,
  };
}

/**
 * The current version of every object in `bucket`. A versioned bucket is listed with its
 * versions, so each object's VersionId is known without a HeadObject per key.
 */
export async function listBucket(s3: S3Client, bucket: string): Promise<StoredObject[]> {
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  const objects: StoredObject[] = [];
  const describe = (o: {
    Key?: string;
    LastModified?: Date;
    Size?: number;
    ETag?: string;
    VersionId?: string;
  }): StoredObject | undefined =>
    o.Key === undefined
      ? undefined
      : {
          key: o.Key,
          name: objectName(bucket, o.Key),
          ...(o.LastModified ? { lastModified: o.LastModified } : {}),
          ...(o.Size === undefined ? {} : { size: o.Size }),
          ...(o.ETag ? { etag: o.ETag.replaceAll('"', "") } : {}),
          ...(o.VersionId ? { versionId: o.VersionId } : {}),
        };
  if (versioning.Status === "Enabled" || versioning.Status === "Suspended") {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      // A key whose latest version is a delete marker is gone; it lists no latest version.
      for (const version of page.Versions ?? []) {
        const object = version.IsLatest ? describe(version) : undefined;
        if (object) objects.push(object);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return objects;
  }
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const entry of page.Contents ?? []) {
      const object = describe(entry);
      if (object) objects.push(object);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** SQS refused some of the events {@link resendObjects} sent. */
export class ResendError extends SpotcheckError {
  override name = "ResendError";
}

/**
 * Sends each object through ingestion again: the "Object Created" event EventBridge would
 * have delivered, with the object's version, ETag and size, goes to the ingest queue the
 * sampler reads (in AWS as locally). Safe to repeat: the sampler recognises an object version
 * it has already recorded and counts nothing twice. Returns how many events were sent.
 */
export async function resendObjects(
  deps: {
    sqs: SQSClient;
    ingestQueueUrl: string;
    bucket: string;
    region: string;
    account?: string;
    now(): Date;
  },
  objects: readonly StoredObject[],
): Promise<number> {
  const bodies = objects.map((object) =>
    eventBody(
      objectCreatedEvent(
        {
          bucket: deps.bucket,
          key: object.key,
          reason: "PutObject",
          ...(object.size === undefined ? {} : { size: object.size }),
          ...(object.etag === undefined ? {} : { etag: object.etag }),
          ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
        },
        {
          id: randomUUID(),
          time: deps.now(),
          account: deps.account ?? "000000000000",
          region: deps.region,
          sequencer: "0",
        },
      ),
    ),
  );
  let refused = 0;
  let detail = "";
  for (let i = 0; i < bodies.length; i += 10) {
    const { Failed = [] } = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.ingestQueueUrl,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
    refused += Failed.length;
    detail ||= Failed[0]?.Message ?? "";
  }
  if (refused > 0) {
    throw new ResendError(
      `the ingest queue refused ${refused} of ${bodies.length} events (${detail || "no reason given"})`,
    );
  }
  return bodies.length;
}

const versionKey = (name: string, version: string) => `${name}\u0000${version}`;
