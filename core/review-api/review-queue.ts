import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  AlreadyScoredError,
  ForbiddenError,
  GoneError,
  InvalidRequestError,
  LeaseLimitError,
  LeaseLostError,
  NotFoundError,
  QueueBusyError,
  TooManyClaimsError,
} from "../../shared/errors";
import { NormalizeError, normalize } from "../../shared/importers";
import {
  agentWeekChannelKey,
  agentWeekKey,
  CLAIM_SLOT_PREFIX,
  type Condition,
  calibrationMarkToItem,
  claimSlotFromItem,
  claimSlotKey,
  claimSlotToItem,
  holdKey,
  holdSettled,
  holdToItem,
  type ItemKey,
  KEYS,
  leaseFollows,
  ledgerFromItem,
  ledgerKey,
  PERIOD,
  reviewerCount,
  type StoredTask,
  scoreFromItem,
  scoreKey,
  scoreToItem,
  slotFreedCondition,
  storedTaskFromItem,
  stratumDayKey,
  taskKey,
  taskUpdate,
} from "../../shared/items";
import { rollupIncrements } from "../../shared/rollup";
import { CURRENT_RUBRIC } from "../../shared/rubric";
import type { ScoreSubmission, StoredScore } from "../../shared/score";
import { type ReviewerTask, type Task, TaskMessageSchema } from "../../shared/task";
import type { Transcript } from "../../shared/transcript";
import { rollupAdd } from "../db/rollup-update";
import {
  classifyCancellation,
  type RetryOptions,
  retryTransient,
  transactUpdate,
  transactWrite,
} from "../db/transactions";

export type { ReviewerTask } from "../../shared/task";

/** Who is calling, from a verified token. */
export interface Identity {
  sub: string;
  role: "reviewer" | "manager" | "admin";
  /** Set for people affiliated with a vendor: they never review that vendor's work. */
  vendor?: string;
}

/** Limits on one reviewer's claims (the policy's `review` section). */
export interface ClaimLimits {
  /** Tasks one reviewer may hold at once. */
  maxClaims: number;
  /** The longest one claim may be held, extensions included, in seconds. */
  maxLeaseSeconds: number;
}

/** The policy defaults, for callers that pass no limits. */
export const DEFAULT_CLAIM_LIMITS: ClaimLimits = { maxClaims: 3, maxLeaseSeconds: 7_200 };

/** What the review queue needs. */
export interface ReviewDeps {
  sqs: SQSClient;
  db: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  queueUrl: string;
  leaseSeconds: number;
  now(): Date;
  /** @default DEFAULT_CLAIM_LIMITS */
  limits?: ClaimLimits;
  /**
   * How long one claim may look through the queue for a task the caller may take before it
   * answers "busy, ask again" rather than "nothing for you". @default 10000
   */
  claimBudgetMs?: number;
}

/** A scored review as its reviewer sees it: their scores, without the design weight or kind. */
export interface ReviewerScore {
  taskId: string;
  interactionId: string;
  rubricVersion: unknown;
  scores: unknown;
  comment?: unknown;
  durationMs: unknown;
  submittedAt: unknown;
}

/** SQS's longest message delay. */
const MAX_DELAY_SECONDS = 900;
/** Conflicts and throttles on the claim and submit transactions: a few quick tries. */
const TRANSIENT_RETRY: RetryOptions = { attempts: 4, baseMs: 25 };

const limitsOf = (deps: ReviewDeps): ClaimLimits => deps.limits ?? DEFAULT_CLAIM_LIMITS;

function reviewerView(task: Task, limits: ClaimLimits): ReviewerTask {
  const claimedAt = task.claimedAt ?? task.createdAt;
  return {
    taskId: task.taskId,
    interactionId: task.interactionId,
    agent: task.agent,
    channel: task.channel,
    day: task.day,
    status: task.status,
    ...(task.claimedBy ? { claimedBy: task.claimedBy } : {}),
    ...(task.claimedAt ? { claimedAt: task.claimedAt } : {}),
    leaseExpiresAt: task.leaseExpiresAt ?? "",
    leaseLimitAt: new Date(Date.parse(claimedAt) + limits.maxLeaseSeconds * 1000).toISOString(),
  };
}

/** A stored score as its own reviewer may see it. */
export function reviewerScoreView(score: StoredScore): ReviewerScore {
  return {
    taskId: score.taskId,
    interactionId: score.interactionId,
    rubricVersion: score.rubricVersion,
    scores: score.scores,
    ...(score.comment === undefined ? {} : { comment: score.comment }),
    durationMs: score.durationMs,
    submittedAt: score.submittedAt,
  };
}

async function loadTask(deps: ReviewDeps, taskId: string): Promise<StoredTask | undefined> {
  const found = await deps.db.send(new GetCommand({ TableName: deps.table, Key: taskKey(taskId) }));
  return found.Item ? storedTaskFromItem(found.Item) : undefined;
}

/** What one look at a queue message came to. */
type Look =
  | { kind: "claimed"; task: ReviewerTask }
  /** Scored, unknown or unreadable pointer: the message has no further use. */
  | { kind: "drop" }
  /** Someone else's to take, now (`delaySeconds` 0) or once its holder's lease ends. */
  | { kind: "pass"; delaySeconds: number }
  /** The claim slot chosen was taken meanwhile by another claim of the same reviewer. */
  | { kind: "slot-taken" }
  /** The task item cannot be read: a real failure, left to come back and, in the end, dead-letter. */
  | { kind: "fault" };

/**
 * Claims the next task the caller may review. Each queue message is tried with one
 * transaction that takes the task (queued, or claimed under an expired lease), the caller's
 * hold on the interaction (so nobody holds or scores two copies of one interaction) and one
 * of the caller's claim slots (so nobody holds more than the policy allows). Messages the
 * caller may not take are kept hidden until the claim ends, so every receive shows new
 * ones, and then handed on as fresh copies that never count towards the DLQ. The answer is
 * `undefined` only when the queue has no visible task the caller may take.
 */
export async function claimNext(
  deps: ReviewDeps,
  who: Identity,
): Promise<ReviewerTask | undefined> {
  const limits = limitsOf(deps);
  const budget = deps.claimBudgetMs ?? 10_000;
  const started = performance.now();
  let slot = await freeSlot(deps, who, limits);
  const handOn: Array<{ message: Message; delaySeconds: number }> = [];
  try {
    let batch = 1;
    for (;;) {
      if (performance.now() - started > budget)
        throw new QueueBusyError(
          `looked at ${handOn.length} queued tasks and none is one you may take (your own vendor's, or a copy of an interaction you held): more are queued, so try again`,
        );
      const messages = await receive(deps, batch);
      if (messages.length === 0) return undefined;
      // The first message is usually the one; past it, look at ten per call.
      batch = 10;
      let claimed: ReviewerTask | undefined;
      for (const message of messages) {
        if (claimed) {
          handOn.push({ message, delaySeconds: 0 });
          continue;
        }
        let look = await tryClaim(deps, who, message, slot, limits);
        for (let again = 0; look.kind === "slot-taken" && again < limits.maxClaims; again++) {
          slot = await freeSlot(deps, who, limits).catch((error: unknown) => {
            handOn.push({ message, delaySeconds: 0 });
            throw error;
          });
          look = await tryClaim(deps, who, message, slot, limits);
        }
        if (look.kind === "claimed") claimed = look.task;
        else if (look.kind === "drop") await deleteMessage(deps, message);
        else if (look.kind === "pass") handOn.push({ message, delaySeconds: look.delaySeconds });
        else if (look.kind === "slot-taken") {
          handOn.push({ message, delaySeconds: 0 });
          throw tooMany(limits);
        }
      }
      if (claimed) return claimed;
    }
  } finally {
    await requeue(deps, handOn);
  }
}

/**
 * Receives up to `max` messages with the lease as visibility. A short poll samples only some
 * SQS servers and may come back empty while messages wait, so an empty answer is checked
 * against the queue's visible and in-flight counts, and only then confirmed by a long poll: a
 * truly empty queue answers at once; one whose messages are sampled away, or are being looked
 * through by another claim that will hand them on, within a second.
 */
async function receive(deps: ReviewDeps, max: number): Promise<Message[]> {
  const poll = async (wait: number) => {
    const received = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.queueUrl,
        MaxNumberOfMessages: max,
        VisibilityTimeout: deps.leaseSeconds,
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    return (received.Messages ?? []).filter((m) => m.ReceiptHandle);
  };
  const first = await poll(0);
  if (first.length > 0) return first;
  const { Attributes = {} } = await deps.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: deps.queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  // In flight counts too: another claim may be looking through a message it will hand on.
  const waiting =
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  if (waiting === 0) return [];
  return await poll(1);
}

const tooMany = (limits: ClaimLimits) =>
  new TooManyClaimsError(
    `you already hold ${limits.maxClaims} tasks, the most one reviewer may hold at once: submit or release one first`,
  );

/** A claim slot of the caller's that is free now, or TooManyClaimsError when all are in use. */
async function freeSlot(deps: ReviewDeps, who: Identity, limits: ClaimLimits): Promise<number> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :slot)",
      ExpressionAttributeNames: { "#pk": KEYS.pk, "#sk": KEYS.sk },
      ExpressionAttributeValues: { ":pk": claimSlotKey(who.sub, 0).pk, ":slot": CLAIM_SLOT_PREFIX },
    }),
  );
  const now = deps.now().getTime();
  const busy = new Set(
    (found.Items ?? [])
      .map(claimSlotFromItem)
      .filter((slot) => Date.parse(slot.leaseExpiresAt) > now)
      .map((slot) => slot.slot),
  );
  if (busy.size >= limits.maxClaims) throw tooMany(limits);
  for (let slot = 0; slot < limits.maxClaims; slot++) if (!busy.has(slot)) return slot;
  throw tooMany(limits);
}

async function tryClaim(
  deps: ReviewDeps,
  who: Identity,
  message: Message,
  slot: number,
  limits: ClaimLimits,
): Promise<Look> {
  const pointer = TaskMessageSchema.safeParse(safeJson(message.Body));
  if (!pointer.success) return { kind: "drop" };
  let task: Awaited<ReturnType<typeof loadTask>>;
  try {
    task = await loadTask(deps, pointer.data.taskId);
  } catch {
    return { kind: "fault" };
  }
  if (!task || task.status === "scored") return { kind: "drop" };
  if (who.vendor !== undefined && who.vendor === task.vendor)
    return { kind: "pass", delaySeconds: 0 };

  const now = deps.now();
  const lease = new Date(now.getTime() + deps.leaseSeconds * 1000).toISOString();
  // A message received before (its last claim's lease ran out, or a claim failed) is handed
  // on as a fresh copy below, so expiries never add up to the DLQ's receive count.
  const receivedBefore = Number(message.Attributes?.ApproximateReceiveCount ?? "1") > 1;
  const receipt = message.ReceiptHandle ?? "";
  const at = now.toISOString();
  try {
    await transactWrite(
      deps.db,
      [
        transactUpdate(
          deps.table,
          taskUpdate(
            task.taskId,
            {
              set: {
                status: "claimed",
                claimedBy: who.sub,
                leaseExpiresAt: lease,
                claimedAt: at,
                slot,
                ...(receivedBefore ? {} : { receiptHandle: receipt }),
              },
              ...(receivedBefore ? { remove: ["receiptHandle"] as const } : {}),
            },
            {
              expression: "#status = :queued OR (#status = :claimed AND #lease < :now)",
              names: { "#status": "status", "#lease": "leaseExpiresAt" },
              values: { ":queued": "queued", ":claimed": "claimed", ":now": at },
            },
          ),
        ),
        {
          // Scored and released holds never give way: a reviewer who scored or skipped
          // one copy never meets another. A hold whose lease ran out does.
          Put: {
            TableName: deps.table,
            Item: holdToItem(task.interactionId, who.sub, {
              taskId: task.taskId,
              status: "claimed",
              leaseExpiresAt: lease,
            }),
            ConditionExpression:
              "attribute_not_exists(#pk) OR (#status = :claimed AND #lease < :now)",
            ExpressionAttributeNames: {
              "#pk": KEYS.pk,
              "#status": "status",
              "#lease": "leaseExpiresAt",
            },
            ExpressionAttributeValues: { ":claimed": "claimed", ":now": at },
          },
        },
        {
          Put: {
            TableName: deps.table,
            Item: claimSlotToItem(who.sub, slot, {
              taskId: task.taskId,
              leaseExpiresAt: lease,
            }),
            ConditionExpression: "attribute_not_exists(#pk) OR #lease < :now",
            ExpressionAttributeNames: { "#pk": KEYS.pk, "#lease": "leaseExpiresAt" },
            ExpressionAttributeValues: { ":now": at },
          },
        },
      ],
      TRANSIENT_RETRY,
    );
  } catch (error) {
    const cancelled = classifyCancellation(error);
    if (cancelled?.kind !== "condition-failed") throw error;
    if (cancelled.items.includes(0)) {
      // A duplicate message of a task someone holds: hide it until their lease ends.
      const holder = task.leaseExpiresAt
        ? Math.ceil((Date.parse(task.leaseExpiresAt) - now.getTime()) / 1000)
        : 0;
      return { kind: "pass", delaySeconds: Math.max(0, Math.min(holder, MAX_DELAY_SECONDS)) };
    }
    if (cancelled.items.includes(1)) return { kind: "pass", delaySeconds: 0 };
    return { kind: "slot-taken" };
  }
  if (receivedBefore) {
    await requeue(deps, [
      { message, delaySeconds: Math.min(deps.leaseSeconds, MAX_DELAY_SECONDS) },
    ]);
  }
  return {
    kind: "claimed",
    task: reviewerView(
      {
        ...task,
        status: "claimed",
        claimedBy: who.sub,
        claimedAt: at,
        leaseExpiresAt: lease,
      },
      limits,
    ),
  };
}

async function deleteMessage(deps: ReviewDeps, message: Message): Promise<void> {
  await deps.sqs.send(
    new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
}

/**
 * Hands messages on without counting this receive against them: a fresh copy of each goes
 * out and the received one is deleted. Putting one back with visibility 0 would raise its
 * receive count, and a healthy task that is skipped, passed over or let lapse often enough
 * would end in the DLQ. Send before delete: a failure in between leaves a duplicate, which
 * claims already handle. Ten to a call, the batches concurrently.
 */
async function requeue(
  deps: ReviewDeps,
  items: ReadonlyArray<{ message: Message; delaySeconds: number }>,
): Promise<void> {
  const batches: Array<typeof items> = [];
  for (let i = 0; i < items.length; i += 10) batches.push(items.slice(i, i + 10));
  await Promise.all(
    batches.map(async (batch) => {
      const sent = await deps.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: batch.map(({ message, delaySeconds }, i) => ({
            Id: String(i),
            MessageBody: message.Body ?? "",
            DelaySeconds: delaySeconds,
          })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
      const copied = batch.filter((_, i) => ok.has(String(i)));
      if (copied.length === 0) return;
      await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: copied.map(({ message }, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }),
  );
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

/**
 * Reads exactly the object version that was sampled and normalises it (vendor removed:
 * reviews are blind). In a versioned bucket that is the version id the sampler read; where
 * the store keeps no versions, the read is conditional on the sampled ETag, so a replaced
 * object is reported rather than shown in the sampled one's place.
 */
export async function transcriptOf(
  deps: ReviewDeps,
  task: Task,
): Promise<Omit<Transcript, "vendor">> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: ledgerKey(task.interactionId) }),
  );
  if (!found.Item) throw new GoneError(`task ${task.taskId} has no ledger entry: release the task`);
  const ledger = ledgerFromItem(found.Item);
  const object = ledger.object;
  const slash = object.indexOf("/");
  const key = object.slice(slash + 1);
  const { versionId, etag } = ledger;
  const replaced = () =>
    new GoneError(
      `the transcript of task ${task.taskId} was replaced after it was sampled and this store keeps no earlier versions, so it cannot be shown: release the task`,
    );
  let response: GetObjectCommandOutput;
  try {
    response = await deps.s3.send(
      new GetObjectCommand({
        Bucket: object.slice(0, slash),
        Key: key,
        ...(typeof versionId === "string"
          ? { VersionId: versionId }
          : typeof etag === "string"
            ? { IfMatch: etag }
            : {}),
      }),
    );
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 412) throw replaced();
    if (error instanceof NoSuchKey || status === 404)
      throw new GoneError(
        `the transcript of task ${task.taskId} has been deleted: release the task`,
      );
    throw error;
  }
  const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
  let transcript: Transcript;
  try {
    transcript = normalize(bytes, {
      source: key,
      metadata: response.Metadata ?? {},
      objectTime: (response.LastModified ?? new Date()).toISOString(),
      overrides: {
        vendor: ledger.vendor,
        agent: ledger.agent,
      },
    });
  } catch (error) {
    if (error instanceof NormalizeError) throw replaced();
    throw error;
  }
  // A store that ignores versions and conditions must still never show another interaction.
  if (transcript.interactionId !== task.interactionId) throw replaced();
  const { vendor: _vendor, ...blind } = transcript;
  return blind;
}

/** The caller's claimed task with its transcript. */
export async function getClaimed(deps: ReviewDeps, who: Identity, taskId: string) {
  const task = await ownTask(deps, who, taskId);
  return { task: reviewerView(task, limitsOf(deps)), transcript: await transcriptOf(deps, task) };
}

/**
 * Extends the caller's lease by the lease length (the task item, the caller's claim slot and
 * hold together, then the message's visibility), never past the policy's longest total lease.
 */
export async function extendLease(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
): Promise<ReviewerTask> {
  const limits = limitsOf(deps);
  const task = await ownTask(deps, who, taskId);
  const now = deps.now();
  assertLease(task, now);
  const current = Date.parse(task.leaseExpiresAt ?? "");
  const cap = Date.parse(task.claimedAt ?? task.createdAt) + limits.maxLeaseSeconds * 1000;
  const until = Math.min(now.getTime() + deps.leaseSeconds * 1000, cap);
  if (until <= current)
    throw new LeaseLimitError(
      `you have held task ${taskId} for the longest a claim may last (${Math.round(limits.maxLeaseSeconds / 60)} minutes): submit or release it`,
    );
  const lease = new Date(until).toISOString();
  try {
    await transactWrite(
      deps.db,
      [
        transactUpdate(
          deps.table,
          taskUpdate(taskId, { set: { leaseExpiresAt: lease } }, claimedByCondition(who, now)),
        ),
        transactUpdate(
          deps.table,
          leaseFollows(holdKey(task.interactionId, who.sub), taskId, lease),
        ),
        ...(task.slot === undefined
          ? []
          : [
              transactUpdate(
                deps.table,
                leaseFollows(claimSlotKey(who.sub, task.slot), taskId, lease),
              ),
            ]),
      ],
      TRANSIENT_RETRY,
    );
  } catch (error) {
    if (classifyCancellation(error)?.kind === "condition-failed")
      throw new LeaseLostError(`your lease on task ${taskId} has expired`);
    throw error;
  }
  if (task.receiptHandle) {
    try {
      await deps.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: deps.queueUrl,
          ReceiptHandle: task.receiptHandle,
          VisibilityTimeout: Math.ceil((until - now.getTime()) / 1000),
        }),
      );
    } catch {
      // The receipt may no longer be valid (the message was received again, or the queue was
      // restored). The task item holds the lease; a copy that shows up meanwhile is passed over.
    }
  }
  return reviewerView({ ...task, leaseExpiresAt: lease }, limits);
}

/** Frees the caller's claim slot of a task (if it still names that task). */
function freeSlotItem(table: string, sub: string, task: Task) {
  if (task.slot === undefined) return [];
  const freed = slotFreedCondition(task.taskId);
  return [
    {
      Delete: {
        TableName: table,
        Key: claimSlotKey(sub, task.slot),
        ConditionExpression: freed.expression,
        ExpressionAttributeNames: freed.names,
        ExpressionAttributeValues: freed.values,
      },
    },
  ];
}

/** Marks the caller's hold on the task's interaction released or scored: no other copy for them. */
function settleHold(table: string, sub: string, task: Task, status: "released" | "scored") {
  return transactUpdate(table, holdSettled(task.interactionId, sub, task.taskId, status));
}

/** Reasons a reviewer may give for handing a task back (skip rates are a gaming signal). */
export const RELEASE_REASONS = [
  "conflict-of-interest",
  "not-enough-context",
  "language",
  "technical-problem",
  "other",
] as const;

/**
 * Hands the task back to the queue at once as a fresh message (a skip never counts towards
 * the DLQ), recording the reason against the reviewer. The caller never meets this
 * interaction again. Of two concurrent releases one wins; the other gets LeaseLostError.
 */
export async function releaseTask(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
  reason: (typeof RELEASE_REASONS)[number],
): Promise<void> {
  const task = await ownTask(deps, who, taskId);
  assertLease(task, deps.now());
  try {
    await transactWrite(
      deps.db,
      [
        transactUpdate(
          deps.table,
          taskUpdate(
            taskId,
            {
              set: { status: "queued" },
              remove: ["claimedBy", "leaseExpiresAt", "receiptHandle", "slot"],
            },
            claimedByCondition(who),
          ),
        ),
        transactUpdate(deps.table, reviewerCount(who.sub, { kind: "skip", reason })),
        settleHold(deps.table, who.sub, task, "released"),
        ...freeSlotItem(deps.table, who.sub, task),
      ],
      TRANSIENT_RETRY,
    );
  } catch (error) {
    if (classifyCancellation(error)?.kind === "condition-failed")
      throw new LeaseLostError(`task ${taskId} is no longer claimed by you`);
    throw error;
  }
  const body = JSON.stringify({ taskId: task.taskId, interactionId: task.interactionId });
  if (task.receiptHandle) {
    await requeue(deps, [
      { message: { Body: body, ReceiptHandle: task.receiptHandle }, delaySeconds: 0 },
    ]);
  } else {
    await deps.sqs.send(new SendMessageCommand({ QueueUrl: deps.queueUrl, MessageBody: body }));
  }
}

/**
 * Submits the caller's score, exactly once: one transaction puts the score (only if none
 * exists), marks the task scored (only under the caller's unexpired lease) and, for
 * primary tasks, adds the weighted sums to the stratum-day and agent-week rollups. The
 * queue message is deleted afterwards; if that fails, the next claim finds the task scored
 * and deletes it then. Only the task's own reviewer learns anything about a stored score.
 */
export async function submitScore(
  deps: ReviewDeps,
  who: Identity,
  taskId: string,
  submission: ScoreSubmission,
  durationMs: number,
): Promise<ReviewerScore> {
  const task = await ownTask(deps, who, taskId);
  if (task.status === "scored") throw await alreadyScored(deps, task);
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
  // Period close may fix the task's weight between our read and our transaction: then the
  // transaction's weight condition fails, and one more try with the fixed weight is right.
  for (let attempt = 0; attempt < 3; attempt++) {
    const score = await commitScore(deps, who, current, submission, durationMs, now);
    if (score) {
      if (task.receiptHandle) {
        try {
          await deps.sqs.send(
            new DeleteMessageCommand({
              QueueUrl: deps.queueUrl,
              ReceiptHandle: task.receiptHandle,
            }),
          );
        } catch {
          // The message returns after the lease; the next claim sees the task scored and deletes it.
        }
      }
      return reviewerScoreView(score);
    }
    const fresh = await loadTask(deps, taskId);
    if (!fresh) throw new NotFoundError(`no task ${taskId}`);
    if (fresh.claimedBy === who.sub && fresh.status === "scored")
      throw await alreadyScored(deps, fresh);
    if (fresh.claimedBy !== who.sub || designWeight(fresh) === designWeight(current)) break;
    current = fresh;
  }
  throw new LeaseLostError(`your lease on task ${taskId} has expired: the score was not saved`);
}

async function alreadyScored(deps: ReviewDeps, task: Task): Promise<AlreadyScoredError> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: scoreKey(task.interactionId, task.taskId) }),
  );
  return new AlreadyScoredError(
    `task ${task.taskId} is already scored`,
    found.Item ? { ...reviewerScoreView(scoreFromItem(found.Item)) } : undefined,
  );
}

/** The design weight a score of this task carries: fixed at period close, else 1/π. */
export const designWeight = (task: Task): number => task.weight ?? 1 / task.pi;

/** The submit transaction's items, in the order {@link commitScore} reads cancellations by. */
function scoreTransaction(
  table: string,
  who: Identity,
  task: Task,
  score: StoredScore,
  submission: ScoreSubmission,
  now: Date,
): TransactWriteCommandInput {
  const weight = designWeight(task);
  const rollup = (key: ItemKey) =>
    rollupAdd(table, key, rollupIncrements(submission.scores, weight));
  return {
    TransactItems: [
      {
        Put: {
          TableName: table,
          Item: scoreToItem(score),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      transactUpdate(
        table,
        taskUpdate(
          task.taskId,
          { set: { status: "scored", scoredAt: now.toISOString() }, remove: ["slot"] },
          withClause(
            claimedByCondition(who, now),
            task.weight === undefined
              ? { expression: "attribute_not_exists(#weight)", names: { "#weight": "weight" } }
              : {
                  expression: "#weight = :weight",
                  names: { "#weight": "weight" },
                  values: { ":weight": task.weight },
                },
          ),
        ),
      ),
      transactUpdate(table, reviewerCount(who.sub, { kind: "review" })),
      settleHold(table, who.sub, task, "scored"),
      ...freeSlotItem(table, who.sub, task),
      // Only the primary review of an interaction enters trend estimates; the others
      // are indexed for agreement statistics.
      ...(task.kind === "calibration"
        ? [
            {
              Put: {
                TableName: table,
                Item: calibrationMarkToItem(task.week, task.taskId, {
                  interactionId: task.interactionId,
                  vendor: task.vendor,
                }),
              },
            },
          ]
        : [
            rollup(stratumDayKey(task.vendor, task.channel, task.day)),
            rollup(agentWeekKey(task.vendor, task.agent, task.week)),
            rollup(agentWeekChannelKey(task.vendor, task.agent, task.week, task.channel)),
          ]),
    ],
  };
}

/** One try at the submit transaction (conflicts retried); undefined when a condition failed. */
async function commitScore(
  deps: ReviewDeps,
  who: Identity,
  task: Task,
  submission: ScoreSubmission,
  durationMs: number,
  now: Date,
): Promise<StoredScore | undefined> {
  const score: StoredScore = {
    taskId: task.taskId,
    interactionId: task.interactionId,
    reviewer: who.sub,
    rubricVersion: CURRENT_RUBRIC.version,
    kind: task.kind,
    weight: designWeight(task),
    ...submission,
    durationMs,
    submittedAt: now.toISOString(),
  };
  try {
    await retryTransient(
      () =>
        deps.db.send(
          new TransactWriteCommand(scoreTransaction(deps.table, who, task, score, submission, now)),
        ),
      TRANSIENT_RETRY,
    );
  } catch (error) {
    if (classifyCancellation(error)?.kind === "condition-failed") return undefined;
    throw error;
  }
  return score;
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

/** The caller's most recent scores, newest first (at most 100). */
export async function listMyReviews(deps: ReviewDeps, who: Identity): Promise<ReviewerScore[]> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      IndexName: KEYS.byPeriod.indexName,
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": KEYS.byPeriod.pk },
      ExpressionAttributeValues: { ":pk": PERIOD.reviews(who.sub) },
      ScanIndexForward: false,
      Limit: 100,
    }),
  );
  return (found.Items ?? []).map((item) => reviewerScoreView(scoreFromItem(item)));
}

/**
 * The condition that the task is still claimed by `who`, and with `now`, that its lease has
 * not run out: what every write of a claimed task must still find.
 */
function claimedByCondition(who: Identity, now?: Date): Condition {
  const claimed: Condition = {
    expression: "#by = :me AND #status = :claimed",
    names: { "#by": "claimedBy", "#status": "status" },
    values: { ":me": who.sub, ":claimed": "claimed" },
  };
  return now
    ? withClause(claimed, {
        expression: "#lease > :now",
        names: { "#lease": "leaseExpiresAt" },
        values: { ":now": now.toISOString() },
      })
    : claimed;
}

/** Both conditions at once. */
function withClause(a: Condition, b: Condition): Condition {
  return {
    expression: `${a.expression} AND ${b.expression}`,
    names: { ...a.names, ...b.names },
    values: { ...a.values, ...b.values },
  };
}
