import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { NormalizeError, normalize, type RosterEntry } from "../../shared/importers";
import {
  agentWeekArrival,
  dayCountersUpdate,
  type ItemKey,
  ledgerFromItem,
  ledgerKey,
  ledgerToItem,
  type ObjectMarker,
  objectMarkerFromItem,
  objectMarkerKey,
  objectMarkerToItem,
  objectName,
  quarantineToItem,
  stratumDayArrival,
  taskFromItem,
  taskKey,
  taskToItem,
} from "../../shared/items";
import type { SamplingPolicy } from "../../shared/policy";
import { type Decision, decide, plannedTasks } from "../../shared/sampling";
import type { Task } from "../../shared/task";
import { isoWeek, utcDay } from "../../shared/time";
import { MAX_TRANSCRIPT_BYTES, type Transcript } from "../../shared/transcript";
import { newTaskId } from "../db/task-id";
import {
  classifyCancellation,
  type RetryOptions,
  retryTransient,
  transactUpdate,
} from "../db/transactions";
import type { ObjectRef } from "./object-event";

/**
 * How often one transaction is sent again when DynamoDB cancels it for a conflict with a
 * concurrent transaction or a throttle. Many objects of one vendor, channel and day update
 * the same rollup items, so conflicts are expected under a bulk upload; once these tries are
 * spent the error is thrown and SQS redelivers the record.
 */
export const TRANSACTION_RETRY: RetryOptions = { attempts: 5, baseMs: 50 };

/**
 * S3 refused to read a transcript (403). It is a configuration fault, not a bad object: the
 * record is retried and, once its receives are spent, dead-lettered, to be redriven after
 * the grant is fixed.
 */
export class TranscriptAccessDeniedError extends Error {
  override name = "TranscriptAccessDeniedError";
  /** The bucket and key S3 refused. */
  readonly object: { bucket: string; key: string };

  constructor(object: { bucket: string; key: string }, cause: S3ServiceException) {
    super(
      `S3 denied GetObject on s3://${object.bucket}/${object.key} (${cause.$metadata.httpStatusCode ?? 403} ${cause.name}): ` +
        "a configuration fault, not a bad object. The sampler's role needs s3:GetObject and s3:GetObjectVersion on the " +
        "objects and s3:ListBucket on the bucket (without ListBucket, S3 answers a missing key with 403, not 404), and no " +
        "bucket policy, KMS key policy or SCP may deny them. The record is retried, then dead-lettered: redrive it once fixed.",
      { cause },
    );
    this.object = object;
  }
}

/** What the sampler core needs; built once per cold start (Lambda) or per runner (local). */
export interface SamplerDeps {
  s3: S3Client;
  db: DynamoDBDocumentClient;
  table: string;
  key: Uint8Array;
  policy: SamplingPolicy;
  keyTemplate?: string;
  roster: { get(): Promise<ReadonlyMap<string, RosterEntry>>; refresh(): Promise<void> };
  now(): Date;
}

/** Where one object ended up. Every object ends in exactly one of these. */
export type IngestOutcome =
  | { outcome: "ledger"; interactionId: string; sampled: boolean; tasks: Task[] }
  | { outcome: "duplicate"; interactionId: string; duplicateOf: string }
  | { outcome: "quarantined"; reason: string; detail: string }
  /** Already processed (a replayed event); `tasks` are re-sent in case the first send was lost. */
  | { outcome: "replay"; tasks: Task[] }
  /** Deleted before it could be read: there is nothing to count. */
  | { outcome: "gone" };

/** Reasons a transcript is quarantined, beyond the importers' own. */
export type QuarantineReason = NormalizeError["reason"];

/**
 * Ingests one S3 object: one GET, normalise, decide, then one transaction that writes the
 * object marker (replay guard), the ledger item (interaction dedup), the population
 * counters and any review tasks — so a replayed event is neither lost nor counted twice.
 * Invalid or unattributed objects become quarantine records instead. Transient failures
 * throw, so the message is retried and, in the end, dead-lettered.
 */
export async function ingestObject(deps: SamplerDeps, ref: ObjectRef): Promise<IngestOutcome> {
  const object = await getObject(deps.s3, ref);
  if (object === undefined) return { outcome: "gone" };
  const { key, response } = object;
  const versionId =
    response.VersionId && response.VersionId !== "null" ? response.VersionId : undefined;
  const etag = response.ETag ?? ref.etag;
  const version = versionId ?? (etag ?? "unversioned").replaceAll('"', "");
  const arrived = response.LastModified ?? deps.now();
  const day = utcDay(arrived);
  const name = objectName(ref.bucket, key);
  const marker = objectMarkerKey(ref.bucket, key, version);

  let transcript: Transcript;
  try {
    transcript = await normalizeObject(deps, key, response, arrived);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return await quarantine(deps, { name, bucket: ref.bucket, key, version, day, marker, error });
  }

  const decision = decide(deps.policy, deps.key, transcript);
  const createdAt = deps.now().toISOString();
  const tasks = decision.sampled
    ? plannedTasks(deps.policy, transcript, decision, "random", createdAt, newTaskId)
    : [];
  const ledger = ledgerTransaction(deps.table, {
    transcript,
    decision,
    tasks,
    name,
    day,
    version,
    ...(versionId ? { versionId } : {}),
    ...(etag ? { etag } : {}),
    marker,
    createdAt,
  });
  try {
    await transact(deps, ledger);
  } catch (error) {
    const failed = failedConditions(error);
    // Item 0 is the object marker, item 1 the ledger item (see ledgerTransaction).
    if (failed?.includes(0)) return { outcome: "replay", tasks: await queuedTasks(deps, marker) };
    if (failed?.includes(1))
      return await duplicate(deps, { transcript, name, day, marker, createdAt });
    throw error;
  }
  return {
    outcome: "ledger",
    interactionId: transcript.interactionId,
    sampled: decision.sampled,
    tasks,
  };
}

/**
 * Sends one transaction, again while DynamoDB cancels it for a conflict or a throttle (see
 * {@link TRANSACTION_RETRY}). A failed condition, or anything else, is thrown at once.
 */
async function transact(deps: SamplerDeps, input: TransactWriteCommandInput): Promise<void> {
  await retryTransient(() => deps.db.send(new TransactWriteCommand(input)), TRANSACTION_RETRY);
}

/** The indexes of the items whose condition failed, or undefined if `error` is not that. */
function failedConditions(error: unknown): number[] | undefined {
  const cancellation = classifyCancellation(error);
  return cancellation?.kind === "condition-failed" ? cancellation.items : undefined;
}

async function getObject(
  s3: S3Client,
  ref: ObjectRef,
): Promise<{ key: string; response: GetObjectCommandOutput } | undefined> {
  for (const key of ref.decodedKey ? [ref.key, ref.decodedKey] : [ref.key]) {
    try {
      const response = await s3.send(
        new GetObjectCommand({
          Bucket: ref.bucket,
          Key: key,
          ...(ref.versionId ? { VersionId: ref.versionId } : {}),
        }),
      );
      return { key, response };
    } catch (error) {
      if (isAccessDenied(error))
        throw new TranscriptAccessDeniedError({ bucket: ref.bucket, key }, error);
      if (!(error instanceof NoSuchKey)) throw error;
    }
  }
  return undefined;
}

function isAccessDenied(error: unknown): error is S3ServiceException {
  return (
    error instanceof S3ServiceException &&
    (error.name === "AccessDenied" || error.$metadata.httpStatusCode === 403)
  );
}

/** Refusals that a roster import made since the roster was cached can cure. */
const ROSTER_REASONS: ReadonlySet<QuarantineReason> = new Set(["unattributed", "vendor-mismatch"]);

async function normalizeObject(
  deps: SamplerDeps,
  key: string,
  response: GetObjectCommandOutput,
  arrived: Date,
): Promise<Transcript> {
  const size = response.ContentLength ?? 0;
  if (size > MAX_TRANSCRIPT_BYTES) {
    // Refuse an oversized object from its headers: reading it would only waste memory.
    (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new NormalizeError({
      source: key,
      format: "unknown",
      field: "(document)",
      reason: "too-large",
      detail: `${size} bytes is over the ${MAX_TRANSCRIPT_BYTES}-byte limit`,
    });
  }
  const bytes = await readBody(response);
  const context = {
    source: key,
    metadata: response.Metadata ?? {},
    objectTime: arrived.toISOString(),
    ...(deps.keyTemplate ? { keyTemplate: deps.keyTemplate } : {}),
  };
  try {
    return normalize(bytes, { ...context, roster: await deps.roster.get() });
  } catch (error) {
    // A roster import may have just added or moved this agent: look once more with a fresh roster.
    if (!(error instanceof NormalizeError) || !ROSTER_REASONS.has(error.reason)) throw error;
    await deps.roster.refresh();
    return normalize(bytes, { ...context, roster: await deps.roster.get() });
  }
}

async function readBody(response: GetObjectCommandOutput): Promise<Uint8Array> {
  return response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
}

interface LedgerWrite {
  transcript: Transcript;
  decision: Decision;
  tasks: Task[];
  name: string;
  day: string;
  version: string;
  /** The S3 version read, when the bucket keeps versions: reviewers are shown exactly it. */
  versionId?: string;
  /** The ETag read, so a reviewer's read of an unversioned store can tell a replaced object. */
  etag?: string;
  marker: { pk: string; sk: string };
  createdAt: string;
}

/**
 * The conditional put of an object marker: it fails when this object version was already
 * processed, which is how a replayed event is recognised.
 */
function markerPut(table: string, key: ItemKey, marker: ObjectMarker) {
  return {
    Put: {
      TableName: table,
      Item: objectMarkerToItem(key, marker),
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** The one transaction that records an interaction; its item order matters to the caller. */
export function ledgerTransaction(table: string, w: LedgerWrite): TransactWriteCommandInput {
  const t = w.transcript;
  const d = w.decision;
  const tDay = utcDay(t.startedAt);
  const week = isoWeek(t.startedAt);
  const turnsByRole = { agent: 0, customer: 0, bot: 0, system: 0 };
  for (const turn of t.turns) turnsByRole[turn.role] += 1;
  return {
    TransactItems: [
      markerPut(table, w.marker, {
        outcome: "ledger",
        interactionId: t.interactionId,
        version: w.version,
        object: w.name,
        day: w.day,
        processedAt: w.createdAt,
      }),
      {
        Put: {
          TableName: table,
          Item: ledgerToItem({
            interactionId: t.interactionId,
            vendor: t.vendor,
            agent: t.agent,
            channel: t.channel,
            language: t.language,
            ...(t.queue ? { queue: t.queue } : {}),
            ...(t.intent ? { intent: t.intent } : {}),
            startedAt: t.startedAt,
            day: tDay,
            week,
            objectDay: w.day,
            object: w.name,
            version: w.version,
            ...(w.versionId ? { versionId: w.versionId } : {}),
            ...(w.etag ? { etag: w.etag } : {}),
            format: t.source.format,
            turns: turnsByRole,
            policyVersion: d.policyVersion,
            keyId: d.keyId,
            u: d.u,
            rate: d.rate,
            pi: d.pi,
            eligible: d.eligible,
            ...(d.ineligibleReason ? { ineligibleReason: d.ineligibleReason } : {}),
            sampled: d.sampled,
            sampleKind: d.sampled ? "random" : "none",
            calibration: d.calibration,
            taskIds: w.tasks.map((task) => task.taskId),
            recordedAt: w.createdAt,
          }),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      transactUpdate(
        table,
        stratumDayArrival({ vendor: t.vendor, channel: t.channel, day: tDay }, d),
      ),
      transactUpdate(table, agentWeekArrival({ vendor: t.vendor, agent: t.agent, week }, d)),
      ...w.tasks.map((task) => ({
        Put: {
          TableName: table,
          Item: taskToItem(task),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      })),
    ],
  };
}

async function quarantine(
  deps: SamplerDeps,
  q: {
    name: string;
    bucket: string;
    key: string;
    version: string;
    day: string;
    marker: { pk: string; sk: string };
    error: NormalizeError;
  },
): Promise<IngestOutcome> {
  const at = deps.now().toISOString();
  const { reason, detail, format, field } = q.error;
  try {
    await transact(deps, {
      TransactItems: [
        markerPut(deps.table, q.marker, {
          outcome: "quarantined",
          reason,
          version: q.version,
          object: q.name,
          day: q.day,
          processedAt: at,
        }),
        {
          Put: {
            TableName: deps.table,
            Item: quarantineToItem({
              bucket: q.bucket,
              key: q.key,
              version: q.version,
              reason,
              detail,
              format,
              field,
              message: q.error.message,
              day: q.day,
              quarantinedAt: at,
            }),
          },
        },
        transactUpdate(
          deps.table,
          dayCountersUpdate(q.day, { kind: "quarantined", reason, by: 1 }),
        ),
      ],
    });
  } catch (error) {
    if (failedConditions(error)?.includes(0)) return { outcome: "replay", tasks: [] };
    throw error;
  }
  return { outcome: "quarantined", reason, detail };
}

async function duplicate(
  deps: SamplerDeps,
  d: {
    transcript: Transcript;
    name: string;
    day: string;
    marker: { pk: string; sk: string };
    createdAt: string;
  },
): Promise<IngestOutcome> {
  const existing = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: ledgerKey(d.transcript.interactionId) }),
  );
  const duplicateOf = existing.Item ? ledgerFromItem(existing.Item).object : "unknown";
  try {
    await transact(deps, {
      TransactItems: [
        markerPut(deps.table, d.marker, {
          outcome: "duplicate",
          interactionId: d.transcript.interactionId,
          duplicateOf,
          object: d.name,
          day: d.day,
          processedAt: d.createdAt,
        }),
        transactUpdate(deps.table, dayCountersUpdate(d.day, { kind: "duplicate" })),
      ],
    });
  } catch (error) {
    if (failedConditions(error)?.includes(0)) return { outcome: "replay", tasks: [] };
    throw error;
  }
  return { outcome: "duplicate", interactionId: d.transcript.interactionId, duplicateOf };
}

/** The still-queued tasks of an object already recorded, so a replay can re-send them. */
async function queuedTasks(deps: SamplerDeps, marker: { pk: string; sk: string }): Promise<Task[]> {
  const found = await deps.db.send(new GetCommand({ TableName: deps.table, Key: marker }));
  const recorded = found.Item ? objectMarkerFromItem(found.Item) : undefined;
  if (recorded?.outcome !== "ledger") return [];
  const ledger = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: ledgerKey(recorded.interactionId) }),
  );
  const ids = ledger.Item ? ledgerFromItem(ledger.Item).taskIds : [];
  if (ids.length === 0) return [];
  const batch = await deps.db.send(
    new BatchGetCommand({ RequestItems: { [deps.table]: { Keys: ids.map(taskKey) } } }),
  );
  return (batch.Responses?.[deps.table] ?? [])
    .map(taskFromItem)
    .filter((task) => task.status === "queued");
}
