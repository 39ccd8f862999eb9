import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { normalize } from "../../shared/importers";
import { rollupIncrements } from "../../shared/rollup";
import { CURRENT_RUBRIC } from "../../shared/rubric";
import type { ScoreSubmission } from "../../shared/score";
import {
  agentWeekKey,
  calibrationKey,
  type ItemKey,
  KEYS,
  ledgerKey,
  PERIOD,
  reviewerKey,
  scoreKey,
  stratumDayKey,
  taskKey,
} from "../../shared/table-keys";
import { type Task, TaskMessageSchema } from "../../shared/task";
import type { Transcript } from "../../shared/transcript";
import { taskFromItem, withoutKeys } from "../lib/items";
import { rollupAdd } from "../lib/rollup-update";
import {
  AlreadyScoredError,
  ForbiddenError,
  InvalidRequestError,
  LeaseLostError,
  NotFoundError,
} from "./errors";

/** Who is calling, from a verified token. */
export interface Identity {
  sub: string;
  role: "reviewer" | "manager" | "admin";
  /** Set for people affiliated with a vendor: they never review that vendor's work. */
  vendor?: string;
}

/** What the review queue needs. */
export interface ReviewDeps {
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  queueUrl: string;
  leaseSeconds: number;
  now(): Date;
  /** Messages a claim may look at before answering "nothing for you". @default 10 */
  maxClaimAttempts?: number;
}

/** A task as a reviewer sees it: no vendor (reviews are vendor-blind). */
export type ReviewerTask = Omit<Task, "vendor"> & { leaseExpiresAt: string };

/** The pointer to the task's queue message, kept on the task item and never returned. */
const RECEIPT = "receiptHandle";

function reviewerView(task: Task): ReviewerTask {
  const { vendor: _vendor, ...rest } = task;
  return { ...rest, leaseExpiresAt: task.leaseExpiresAt ?? "" };
}

async function loadTask(
  deps: ReviewDeps,
  taskId: string,
): Promise<(Task & { receiptHandle?: string }) | undefined> {
  const found = await deps.db.send(new GetCommand({ TableName: deps.table, Key: taskKey(taskId) }));
  if (!found.Item) return undefined;
  const task = taskFromItem(found.Item);
  if (!task) throw new Error(`task item ${taskId} does not match the task schema`);
  const receiptHandle = found.Item[RECEIPT];
  return typeof receiptHandle === "string" ? { ...task, receiptHandle } : task;
}

/**
 * Claims the next task the caller may review. ReceiveMessage with the lease as visibility
 * timeout, then a conditional update of the task item (queued, or claimed under an expired
 * lease) — so two reviewers never hold one task at once. Scored tasks are deleted from the
 * queue and skipped; tasks of the caller's own vendor, or interactions the caller already
 * scored (calibration copies), are requeued at once for someone else.
 */
export async function claimNext(
  deps: ReviewDeps,
  who: Identity,
): Promise<ReviewerTask | undefined> {
  const attempts = deps.maxClaimAttempts ?? 10;
  // Messages passed over stay hidden until this claim ends, so each attempt sees a new one.
  const passed: Array<{ message: Message; delaySeconds: number }> = [];
  try {
    for (let i = 0; i < attempts; i++) {
      const received = await deps.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deps.queueUrl,
          MaxNumberOfMessages: 1,
          VisibilityTimeout: deps.leaseSeconds,
        }),
      );
      const message = received.Messages?.[0];
      if (!message?.ReceiptHandle) return undefined;
      const receipt = message.ReceiptHandle;
      const pointer = TaskMessageSchema.safeParse(safeJson(message.Body));
      const task = pointer.success ? await loadTask(deps, pointer.data.taskId) : undefined;
      if (!task || task.status === "scored") {
        await deps.sqs.send(
          new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: receipt }),
        );
        continue;
      }
      if (
        (who.vendor !== undefined && who.vendor === task.vendor) ||
        (await hasScored(deps, task.interactionId, who.sub))
      ) {
        passed.push({ message, delaySeconds: 0 });
        continue;
      }
      const now = deps.now();
      const lease = new Date(now.getTime() + deps.leaseSeconds * 1000).toISOString();
      try {
        await deps.db.send(
          new UpdateCommand({
            TableName: deps.table,
            Key: taskKey(task.taskId),
            UpdateExpression:
              "SET #status = :claimed, #by = :me, #lease = :lease, #receipt = :receipt, #claimedAt = :now",
            ConditionExpression: "#status = :queued OR (#status = :claimed AND #lease < :now)",
            ExpressionAttributeNames: {
              "#status": "status",
              "#by": "claimedBy",
              "#lease": "leaseExpiresAt",
              "#receipt": RECEIPT,
              "#claimedAt": "claimedAt",
            },
            ExpressionAttributeValues: {
              ":claimed": "claimed",
              ":queued": "queued",
              ":me": who.sub,
              ":lease": lease,
              ":receipt": receipt,
              ":now": now.toISOString(),
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
        // A duplicate message of a task someone holds: hide it until their lease ends.
        const holder = task.leaseExpiresAt
          ? Math.ceil((Date.parse(task.leaseExpiresAt) - now.getTime()) / 1000)
          : 0;
        passed.push({
          message,
          delaySeconds: Math.max(0, Math.min(holder, MAX_DELAY_SECONDS)),
        });
        continue;
      }
      return reviewerView({
        ...task,
        status: "claimed",
        claimedBy: who.sub,
        leaseExpiresAt: lease,
      });
    }
    return undefined;
  } finally {
    for (const { message, delaySeconds } of passed) await requeue(deps, message, delaySeconds);
  }
}

/** SQS's longest message delay. */
const MAX_DELAY_SECONDS = 900;

/**
 * Hands a message on to other reviewers without counting this receive against it: a fresh
 * copy goes out and the received one is deleted. Putting it back with visibility 0 would
 * raise its receive count, and a healthy task that many affiliated reviewers pass over
 * would end in the DLQ. Send before delete: a failure in between leaves a duplicate, which
 * claims already handle.
 */
async function requeue(deps: ReviewDeps, message: Message, delaySeconds: number): Promise<void> {
  await deps.sqs.send(
    new SendMessageCommand({
      QueueUrl: deps.queueUrl,
      MessageBody: message.Body ?? "",
      DelaySeconds: delaySeconds,
    }),
  );
  await deps.sqs.send(
    new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
}

async function putBack(deps: ReviewDeps, receipt: string, seconds: number): Promise<void> {
  await deps.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: deps.queueUrl,
      ReceiptHandle: receipt,
      VisibilityTimeout: seconds,
    }),
  );
}

async function hasScored(
  deps: ReviewDeps,
  interactionId: string,
  reviewer: string,
): Promise<boolean> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :score)",
      FilterExpression: "#reviewer = :me",
      ExpressionAttributeNames: { "#pk": KEYS.pk, "#sk": KEYS.sk, "#reviewer": "reviewer" },
      ExpressionAttributeValues: {
        ":pk": ledgerKey(interactionId).pk,
        ":score": "SCORE#",
        ":me": reviewer,
      },
    }),
  );
  return (found.Items ?? []).length > 0;
}

/** The caller's claimed task, or the errors that say why not. */
async function ownTask(deps: ReviewDeps, who: Identity, taskId: string) {
  const task = await loadTask(deps, taskId);
  if (!task) throw new NotFoundError(`no task ${taskId}`);
  if (task.claimedBy !== who.sub) throw new ForbiddenError(`task ${taskId} is not claimed by you`);
  return task;
}

function assertLease(task: Task, now: Date): void {
  if (task.status === "scored")
    throw new AlreadyScoredError(`task ${task.taskId} is already scored`, undefined);
  if (
    task.status !== "claimed" ||
    !task.leaseExpiresAt ||
    Date.parse(task.leaseExpiresAt) <= now.getTime()
  ) {
    throw new LeaseLostError(`your lease on task ${task.taskId} has expired: claim the next task`);
  }
}

/** Reads the task's transcript from S3 and normalises it (vendor removed: reviews are blind). */
export async function transcriptOf(
  deps: ReviewDeps,
  task: Task,
): Promise<Omit<Transcript, "vendor">> {
  const ledger = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: ledgerKey(task.interactionId) }),
  );
  const object = String(ledger.Item?.object ?? "");
  const slash = object.indexOf("/");
  const response = await deps.s3.send(
    new GetObjectCommand({ Bucket: object.slice(0, slash), Key: object.slice(slash + 1) }),
  );
  const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
  const transcript = normalize(bytes, {
    source: object.slice(slash + 1),
    metadata: response.Metadata ?? {},
    objectTime: (response.LastModified ?? new Date()).toISOString(),
    overrides: {
      vendor: String(ledger.Item?.vendor ?? task.vendor),
      agent: String(ledger.Item?.agent ?? task.agent),
    },
  });
  const { vendor: _vendor, ...blind } = transcript;
  return blind;
}

/** The caller's claimed task with its transcript. */
export async function getClaimed(deps: ReviewDeps, who: Identity, taskId: string) {
  const task = await ownTask(deps, who, taskId);
  return { task: reviewerView(task), transcript: await transcriptOf(deps, task) };
}

/** Extends the caller's lease by the lease length (SQS visibility and the task item together). */
export async function extendLease(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
): Promise<ReviewerTask> {
  const task = await ownTask(deps, who, taskId);
  const now = deps.now();
  assertLease(task, now);
  const lease = new Date(now.getTime() + deps.leaseSeconds * 1000).toISOString();
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: taskKey(taskId),
        UpdateExpression: "SET #lease = :lease",
        ConditionExpression: "#by = :me AND #lease > :now AND #status = :claimed",
        ExpressionAttributeNames: {
          "#lease": "leaseExpiresAt",
          "#by": "claimedBy",
          "#status": "status",
        },
        ExpressionAttributeValues: {
          ":lease": lease,
          ":me": who.sub,
          ":now": now.toISOString(),
          ":claimed": "claimed",
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException")
      throw new LeaseLostError(`your lease on task ${taskId} has expired`);
    throw error;
  }
  if (task.receiptHandle) await putBack(deps, task.receiptHandle, deps.leaseSeconds);
  return reviewerView({ ...task, leaseExpiresAt: lease });
}

/** Reasons a reviewer may give for handing a task back (skip rates are a gaming signal). */
export const RELEASE_REASONS = [
  "conflict-of-interest",
  "not-enough-context",
  "language",
  "technical-problem",
  "other",
] as const;

/** Hands the task back to the queue at once, recording the reason against the reviewer. */
export async function releaseTask(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
  reason: (typeof RELEASE_REASONS)[number],
): Promise<void> {
  const task = await ownTask(deps, who, taskId);
  assertLease(task, deps.now());
  await deps.db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: deps.table,
            Key: taskKey(taskId),
            UpdateExpression: "SET #status = :queued REMOVE #by, #lease, #receipt",
            ConditionExpression: "#by = :me AND #status = :claimed",
            ExpressionAttributeNames: {
              "#status": "status",
              "#by": "claimedBy",
              "#lease": "leaseExpiresAt",
              "#receipt": RECEIPT,
            },
            ExpressionAttributeValues: {
              ":queued": "queued",
              ":claimed": "claimed",
              ":me": who.sub,
            },
          },
        },
        {
          Update: {
            TableName: deps.table,
            Key: reviewerKey(who.sub),
            UpdateExpression:
              "ADD #skips :one, #reason :one SET #sub = :sub, #gpk = :gpk, #gsk = :sub",
            ExpressionAttributeNames: {
              "#skips": "skips",
              "#reason": `skips_${reason}`,
              "#sub": "reviewer",
              "#gpk": KEYS.byPeriod.pk,
              "#gsk": KEYS.byPeriod.sk,
            },
            ExpressionAttributeValues: { ":one": 1, ":sub": who.sub, ":gpk": PERIOD.reviewers },
          },
        },
      ],
    }),
  );
  if (task.receiptHandle) await putBack(deps, task.receiptHandle, 0);
}

/**
 * Submits the caller's score, exactly once: one transaction puts the score (only if none
 * exists), marks the task scored (only under the caller's unexpired lease) and, for
 * primary tasks, adds the weighted sums to the stratum-day and agent-week rollups. The
 * queue message is deleted afterwards; if that fails, the next claim finds the task scored
 * and deletes it then.
 */
export async function submitScore(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
  submission: ScoreSubmission,
  durationMs: number,
): Promise<Record<string, unknown>> {
  const task = await loadTask(deps, taskId);
  if (!task) throw new NotFoundError(`no task ${taskId}`);
  if (task.status === "scored")
    throw new AlreadyScoredError(`task ${taskId} is already scored`, await storedScore(deps, task));
  if (task.claimedBy !== who.sub) throw new ForbiddenError(`task ${taskId} is not claimed by you`);
  const now = deps.now();
  assertLease(task, now);

  const cited = Object.entries(submission.scores).flatMap(([dimension, score]) =>
    "evidence" in score ? (score.evidence ?? []).map((id) => ({ dimension, id })) : [],
  );
  // Reading and normalising the transcript costs a GET; only evidence needs it checked.
  if (cited.length > 0) {
    const turnIds = new Set((await transcriptOf(deps, task)).turns.map((t) => t.id));
    const badEvidence = cited
      .filter((c) => !turnIds.has(c.id))
      .map((c) => ({
        path: `scores.${c.dimension}.evidence`,
        message: `no turn ${c.id} in this transcript`,
      }));
    if (badEvidence.length > 0) {
      throw new InvalidRequestError("evidence cites turns that do not exist", badEvidence);
    }
  }

  let current = task;
  let score = await commitScore(deps, who, current, submission, durationMs, now);
  // Period close may have fixed the task's weight between our read and our transaction.
  for (let retry = 0; !score && retry < 2; retry++) {
    const fresh = await loadTask(deps, taskId);
    if (!fresh) throw new NotFoundError(`no task ${taskId}`);
    if (fresh.status === "scored")
      throw new AlreadyScoredError(
        `task ${taskId} is already scored`,
        await storedScore(deps, fresh),
      );
    if (fresh.claimedBy !== who.sub || designWeight(fresh) === designWeight(current))
      throw new LeaseLostError(`your lease on task ${taskId} has expired: the score was not saved`);
    current = fresh;
    score = await commitScore(deps, who, current, submission, durationMs, now);
  }
  if (!score)
    throw new LeaseLostError(`your lease on task ${taskId} has expired: the score was not saved`);
  if (task.receiptHandle) {
    try {
      await deps.sqs.send(
        new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: task.receiptHandle }),
      );
    } catch {
      // The message returns after the lease; the next claim sees the task scored and deletes it.
    }
  }
  return withoutKeys(score);
}

/** The design weight a score of this task carries: fixed at period close, else 1/π. */
export const designWeight = (task: Task): number => task.weight ?? 1 / task.pi;

/** One try at the submit transaction; undefined when a condition failed. */
async function commitScore(
  deps: ReviewDeps,
  who: Identity,
  task: Task,
  submission: ScoreSubmission,
  durationMs: number,
  now: Date,
): Promise<Record<string, unknown> | undefined> {
  const taskId = task.taskId;
  const weight = designWeight(task);
  const score = {
    ...scoreKey(task.interactionId, taskId),
    type: "score",
    taskId,
    interactionId: task.interactionId,
    reviewer: who.sub,
    rubricVersion: CURRENT_RUBRIC.version,
    kind: task.kind,
    weight,
    ...submission,
    durationMs,
    submittedAt: now.toISOString(),
    [KEYS.byPeriod.pk]: `REVIEWS#${who.sub}`,
    [KEYS.byPeriod.sk]: now.toISOString(),
  };
  const increments = rollupIncrements(submission.scores, weight);
  const rollup = (key: ItemKey) => rollupAdd(deps.table, key, increments);
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.table,
              Item: score,
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Update: {
              TableName: deps.table,
              Key: taskKey(taskId),
              UpdateExpression: "SET #status = :scored, #scoredAt = :now",
              ConditionExpression: `#by = :me AND #status = :claimed AND #lease > :now AND ${
                task.weight === undefined ? "attribute_not_exists(#weight)" : "#weight = :weight"
              }`,
              ExpressionAttributeNames: {
                "#status": "status",
                "#scoredAt": "scoredAt",
                "#by": "claimedBy",
                "#lease": "leaseExpiresAt",
                "#weight": "weight",
              },
              ExpressionAttributeValues: {
                ":scored": "scored",
                ":claimed": "claimed",
                ":me": who.sub,
                ":now": now.toISOString(),
                ...(task.weight === undefined ? {} : { ":weight": task.weight }),
              },
            },
          },
          {
            Update: {
              TableName: deps.table,
              Key: reviewerKey(who.sub),
              UpdateExpression: "ADD #reviews :one SET #sub = :sub, #gpk = :gpk, #gsk = :sub",
              ExpressionAttributeNames: {
                "#reviews": "reviews",
                "#sub": "reviewer",
                "#gpk": KEYS.byPeriod.pk,
                "#gsk": KEYS.byPeriod.sk,
              },
              ExpressionAttributeValues: { ":one": 1, ":sub": who.sub, ":gpk": PERIOD.reviewers },
            },
          },
          // Only the primary review of an interaction enters trend estimates; the others
          // are indexed for agreement statistics.
          ...(task.kind === "calibration"
            ? [
                {
                  Put: {
                    TableName: deps.table,
                    Item: {
                      ...calibrationKey(task.week, task.interactionId, task.taskId),
                      type: "calibration",
                      interactionId: task.interactionId,
                      vendor: task.vendor,
                    },
                  },
                },
              ]
            : [
                rollup(stratumDayKey(task.vendor, task.channel, task.day)),
                rollup(agentWeekKey(task.vendor, task.agent, task.week)),
              ]),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return undefined;
  }
  return score;
}

async function storedScore(
  deps: ReviewDeps,
  task: Task,
): Promise<Record<string, unknown> | undefined> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: scoreKey(task.interactionId, task.taskId) }),
  );
  if (!found.Item) return undefined;
  return withoutKeys(found.Item);
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

/** The caller's most recent scores, newest first (at most 100). */
export async function listMyReviews(
  deps: ReviewDeps,
  who: Identity,
): Promise<Record<string, unknown>[]> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      IndexName: KEYS.byPeriod.indexName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": KEYS.byPeriod.pk },
      ExpressionAttributeValues: { ":pk": `REVIEWS#${who.sub}` },
      ScanIndexForward: false,
      Limit: 100,
    }),
  );
  return (found.Items ?? []).map(withoutKeys);
}
