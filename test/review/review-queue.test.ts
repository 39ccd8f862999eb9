import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { GetCommand, ScanCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimNext,
  extendLease,
  getClaimed,
  type Identity,
  type ReviewDeps,
  type ReviewerTask,
  releaseTask,
  submitScore,
} from "../../core/review-api/review-queue";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import {
  AlreadyScoredError,
  ForbiddenError,
  GoneError,
  InvalidRequestError,
  LeaseLimitError,
  LeaseLostError,
  QueueBusyError,
  TooManyClaimsError,
} from "../../shared/errors";
import type { ScoreSubmission } from "../../shared/score";
import { ledgerKey, stratumDayKey, taskKey } from "../../shared/table-keys";
import { queueDepth, startSampledStack } from "../sampler/helpers";

let stack: LocalStack;
const demo = generateDemo({ days: 10, seed: 31, perDay: 40 });

function deps(overrides: Partial<ReviewDeps> = {}): ReviewDeps {
  return {
    sqs: stack.clients.sqs,
    db: stack.clients.doc,
    s3: stack.clients.s3,
    table: stack.endpoints.table,
    queueUrl: stack.endpoints.queues.review,
    leaseSeconds: 60,
    now: () => new Date(),
    ...overrides,
  };
}

/** Still-queued task items not yet used by a test, in table order. */
async function queuedTaskItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.clients.doc.send(
      new ScanCommand({
        TableName: stack.endpoints.table,
        FilterExpression: "#type = :task AND #status = :queued",
        ExpressionAttributeNames: { "#type": "type", "#status": "status" },
        ExpressionAttributeValues: { ":task": "task", ":queued": "queued" },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const taken = new Set(usedTasks);
  return items.filter((i) => !taken.has(String(i.taskId)));
}
const usedTasks: string[] = [];

/** A fresh queue holding one message for each of `tasks`, in order, so a test controls what a claim meets. */
async function queueWith(
  name: string,
  tasks: ReadonlyArray<Record<string, unknown>>,
  deadLetterArn?: string,
): Promise<string> {
  const { QueueUrl } = await stack.clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `review-${name}`,
      ...(deadLetterArn
        ? {
            Attributes: {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: deadLetterArn,
                maxReceiveCount: 2,
              }),
            },
          }
        : {}),
    }),
  );
  if (!QueueUrl) throw new Error("no queue url");
  for (const item of tasks) {
    usedTasks.push(String(item.taskId));
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify({ taskId: item.taskId, interactionId: item.interactionId }),
      }),
    );
  }
  return QueueUrl;
}

/** A fresh queue holding one message for a still-queued task. */
async function queueWithOneTask(name: string, deadLetterArn?: string): Promise<string> {
  const item = (await queuedTaskItems())[0];
  if (!item) throw new Error("no queued task left");
  return queueWith(name, [item], deadLetterArn);
}

/** A dead-letter queue and its ARN. */
async function deadLetterQueue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await stack.clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error("no dlq url");
  const { Attributes } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  return { url: QueueUrl, arn: String(Attributes?.QueueArn) };
}

/** The stored task item (design data the reviewer never sees). */
async function taskItem(taskId: string): Promise<Record<string, unknown>> {
  const found = await stack.clients.doc.send(
    new GetCommand({ TableName: stack.endpoints.table, Key: taskKey(taskId) }),
  );
  if (!found.Item) throw new Error(`no task ${taskId}`);
  return found.Item;
}

const reviewer = (sub: string, vendor?: string): Identity => ({
  sub,
  role: "reviewer",
  ...(vendor ? { vendor } : {}),
});
const goodScore: ScoreSubmission = {
  scores: {
    consistency: { value: 4 },
    scriptReliance: { value: 5 },
    empathy: { na: "no emotion expressed" },
  },
};

beforeAll(async () => {
  // Half the sample gets calibration copies, so the two-copies test has interactions to use.
  const policy = { ...(await loadPolicy()), calibration: { fraction: 0.5, reviewers: 3 } };
  stack = await startSampledStack(demo.files, { policy, key: Buffer.alloc(32, 31) });
  // Floor top-ups give the queue enough tasks for every case below.
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("review queue", () => {
  it("never lets one reviewer hold or score two copies of one interaction", async () => {
    const items = await queuedTaskItems();
    const byInteraction = new Map<string, Record<string, unknown>[]>();
    for (const item of items) {
      const id = String(item.interactionId);
      byInteraction.set(id, [...(byInteraction.get(id) ?? []), item]);
    }
    const copies = [...byInteraction.values()].filter((c) => c.length >= 2).slice(0, 2);
    if (copies.length < 2) throw new Error("no interaction with calibration copies left");
    const [first = [], second = []] = copies;

    // One at a time: the second copy is passed over for the same reviewer.
    const sequential = await queueWith("copies-seq", first);
    const who = reviewer("twice");
    const held = await claimNext(deps({ queueUrl: sequential }), who);
    expect(held?.interactionId).toBe(first[0]?.interactionId);
    expect(await claimNext(deps({ queueUrl: sequential }), who)).toBeUndefined();
    if (!held) throw new Error("no claim");
    await submitScore(deps({ queueUrl: sequential }), who, held.taskId, goodScore, 1);
    expect(await claimNext(deps({ queueUrl: sequential }), who)).toBeUndefined();
    expect(
      (await claimNext(deps({ queueUrl: sequential }), reviewer("other")))?.interactionId,
    ).toBe(first[0]?.interactionId);

    // At the same time: of a reviewer's concurrent claims, at most one gets a copy.
    const concurrent = await queueWith("copies-par", second);
    const racer = reviewer("racer");
    const claims = await Promise.all(
      Array.from({ length: 4 }, () => claimNext(deps({ queueUrl: concurrent }), racer)),
    );
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
  });

  it("never hands one task to two reviewers claiming at the same time", async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimNext(deps(), reviewer(`r${i}`))),
    );
    const ids = claims.flatMap((c) => (c ? [c.taskId] : []));
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);
    for (const claim of claims) expect(claim && "vendor" in claim).toBe(false);
  });

  it("scores exactly once: the second submit gets 409 with the stored score, and rollups add once", async () => {
    const who = reviewer("alice");
    const task = await claimNext(deps(), who);
    if (!task) throw new Error("no task to claim");
    const { transcript } = await getClaimed(deps(), who, task.taskId);
    expect("vendor" in transcript).toBe(false);
    const item = await taskItem(task.taskId);
    const vendor = String(item.vendor);
    const weight = item.weight === undefined ? 1 / Number(item.pi) : Number(item.weight);
    const before = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: stratumDayKey(vendor, task.channel, task.day),
      }),
    );
    const stored = await submitScore(deps(), who, task.taskId, goodScore, 42_000);
    expect(stored).not.toHaveProperty("weight");
    const again = submitScore(deps(), who, task.taskId, goodScore, 1);
    await expect(again).rejects.toBeInstanceOf(AlreadyScoredError);
    await again.catch((error: AlreadyScoredError) =>
      expect(error.stored).toMatchObject({ taskId: task.taskId, durationMs: 42_000 }),
    );
    // Anyone else is refused before the stored score is looked at.
    const other = submitScore(deps(), reviewer("snoop"), task.taskId, goodScore, 1);
    await expect(other).rejects.toBeInstanceOf(ForbiddenError);
    await other.catch((error: Error) => expect(error).not.toHaveProperty("stored"));
    const after = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: stratumDayKey(vendor, task.channel, task.day),
      }),
    );
    if (item.kind !== "calibration") {
      expect(Number(after.Item?.consistency_n ?? 0) - Number(before.Item?.consistency_n ?? 0)).toBe(
        1,
      );
      expect(
        Number(after.Item?.consistency_swx ?? 0) - Number(before.Item?.consistency_swx ?? 0),
      ).toBeCloseTo(4 * weight);
      expect(Number(after.Item?.empathy_na ?? 0) - Number(before.Item?.empathy_na ?? 0)).toBe(1);
    }
  });

  it("refuses evidence that cites turns the transcript does not have", async () => {
    const who = reviewer("bob");
    const task = await claimNext(deps(), who);
    if (!task) throw new Error("no task to claim");
    const bad: ScoreSubmission = {
      scores: { ...goodScore.scores, empathy: { value: 1, evidence: ["t999"] } },
    };
    await expect(submitScore(deps(), who, task.taskId, bad, 1)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    await expect(
      submitScore(deps(), reviewer("mallory"), task.taskId, goodScore, 1),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses a submit after the lease expired, and the task goes to the next reviewer", async () => {
    const short = deps({ leaseSeconds: 1, queueUrl: await queueWithOneTask("lease") });
    const who = reviewer("slow");
    const task = await claimNext(short, who);
    if (!task) throw new Error("no task to claim");
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(submitScore(short, who, task.taskId, goodScore, 1)).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    const next = await claimNext(short, reviewer("fast"));
    expect(next?.taskId).toBe(task.taskId);
    expect(next?.claimedBy).toBe("fast");
  });

  it("survives a crash between the transaction and the delete: the next claim drops the scored task", async () => {
    const queueUrl = await queueWithOneTask("crash");
    const failingDelete = new Proxy(stack.clients.sqs, {
      get(target, prop, receiver) {
        if (prop !== "send") return Reflect.get(target, prop, receiver);
        return (command: unknown) => {
          if (command instanceof DeleteMessageCommand)
            return Promise.reject(new Error("crash before delete"));
          return target.send(command as never);
        };
      },
    }) as SQSClient;
    const who = reviewer("crashy");
    // A short lease brings the message back soon, yet long enough for the submit to beat it
    // on a busy machine.
    const task = await claimNext(deps({ leaseSeconds: 3, queueUrl }), who);
    if (!task) throw new Error("no task to claim");
    await submitScore(deps({ sqs: failingDelete, queueUrl }), who, task.taskId, goodScore, 1);
    expect(await queueDepth(stack, queueUrl)).toBe(1);
    // Once the message is back, the task is scored, so a claim deletes it and hands out nothing.
    await expect
      .poll(async () => {
        expect(await claimNext(deps({ queueUrl }), reviewer("next"))).toBeUndefined();
        return await queueDepth(stack, queueUrl);
      })
      .toBe(0);
  });

  it("passing over a task for vendor affiliation does not count towards the DLQ", async () => {
    const dlq = await deadLetterQueue("review-affiliated-dlq");
    const queueUrl = await queueWithOneTask("affiliated", dlq.arn);
    const taskId = usedTasks.at(-1) ?? "";
    const staff = reviewer("vendor-staff", String((await taskItem(taskId)).vendor));
    // Five passes against a maxReceiveCount of 2.
    for (let i = 0; i < 5; i++) {
      expect(await claimNext(deps({ queueUrl }), staff)).toBeUndefined();
    }
    expect(await queueDepth(stack, dlq.url)).toBe(0);
    const outsider = await claimNext(deps({ queueUrl }), reviewer("outsider"));
    expect(outsider?.taskId).toBe(taskId);
  });

  it("skips and lapsed leases never send a healthy task to the DLQ", async () => {
    const dlq = await deadLetterQueue("review-skips-dlq");
    const queueUrl = await queueWithOneTask("skips", dlq.arn);
    const taskId = usedTasks.at(-1) ?? "";
    // Five skips by five reviewers, against a maxReceiveCount of 2.
    for (let i = 0; i < 5; i++) {
      const who = reviewer(`skipper-${i}`);
      const claim = await claimNext(deps({ queueUrl }), who);
      expect(claim?.taskId).toBe(taskId);
      await releaseTask(deps({ queueUrl }), who, taskId, "not-enough-context");
    }
    // Then three leases that run out.
    const short = deps({ queueUrl, leaseSeconds: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await claimNext(short, reviewer(`lapser-${i}`)))?.taskId).toBe(taskId);
      await new Promise((r) => setTimeout(r, 1_300));
    }
    expect(await queueDepth(stack, dlq.url)).toBe(0);
    // A reviewer who skipped it never meets it again; anyone else still can.
    expect(await claimNext(deps({ queueUrl }), reviewer("skipper-0"))).toBeUndefined();
    expect((await claimNext(deps({ queueUrl }), reviewer("finisher")))?.taskId).toBe(taskId);
  });

  it("finds an affiliated reviewer's task behind many of their own vendor's (204 means none)", async () => {
    const items = await queuedTaskItems();
    const perVendor = new Map<string, number>();
    for (const i of items)
      perVendor.set(String(i.vendor), (perVendor.get(String(i.vendor)) ?? 0) + 1);
    // The vendor with the most queued tasks, so the test does not hang on table order.
    const [mine = ""] = [...perVendor.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    const own = items.filter((i) => i.vendor === mine).slice(0, 30);
    const other = items.find((i) => i.vendor !== mine);
    // More than two claim batches (10 each) of their own vendor's tasks before the other one.
    if (own.length < 21 || !other) throw new Error("not enough queued tasks for this test");
    const queueUrl = await queueWith("behind", [...own, other]);
    const staff = reviewer("affiliated-a", mine);
    const claim = await claimNext(deps({ queueUrl }), staff);
    expect(claim?.taskId).toBe(other.taskId);
    // Only tasks of their own vendor are left: now the answer is "nothing for you".
    expect(await claimNext(deps({ queueUrl }), staff)).toBeUndefined();
    // None of the passed-over tasks was lost.
    expect(await queueDepth(stack, queueUrl)).toBe(own.length + 1);
    // With a budget too short to look through them, the answer is "busy", never a false 204.
    const busy = claimNext(deps({ queueUrl, claimBudgetMs: 0 }), reviewer("affiliated-b", mine));
    await expect(busy).rejects.toBeInstanceOf(QueueBusyError);
  });

  it("limits simultaneous claims per reviewer, even when claimed at once, and caps total lease time", async () => {
    const limits = { maxClaims: 3, maxLeaseSeconds: 90 };
    const hoarder = reviewer("hoarder");
    const claims = await Promise.allSettled(
      Array.from({ length: 10 }, () => claimNext(deps({ limits }), hoarder)),
    );
    const held = claims.flatMap((c) => (c.status === "fulfilled" && c.value ? [c.value] : []));
    expect(held).toHaveLength(3);
    const refused = claims.filter((c) => c.status === "rejected");
    expect(refused).toHaveLength(7);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TooManyClaimsError);

    // Submitting one frees its slot.
    const [done, kept] = held;
    if (!done || !kept) throw new Error("no claims");
    await submitScore(deps({ limits }), hoarder, done.taskId, goodScore, 1);
    const next = await claimNext(deps({ limits }), hoarder);
    expect(next).toBeDefined();

    // Extending stops at claimedAt + 90 s.
    const t0 = Date.parse(kept.claimedAt ?? "");
    const at = (seconds: number) => deps({ limits, now: () => new Date(t0 + seconds * 1000) });
    const extended = await extendLease(at(50), hoarder, kept.taskId);
    expect(extended.leaseExpiresAt).toBe(new Date(t0 + 90_000).toISOString());
    expect(extended.leaseLimitAt).toBe(new Date(t0 + 90_000).toISOString());
    await expect(extendLease(at(80), hoarder, kept.taskId)).rejects.toBeInstanceOf(LeaseLimitError);
  });

  it("shows exactly the sampled transcript: a replaced object is reported, a deleted one is gone (410)", async () => {
    const claims: Array<{ who: Identity; claim: ReviewerTask }> = [];
    // Two different interactions (another reviewer may be handed a copy of the first).
    for (let i = 0; claims.length < 2 && i < 6; i++) {
      const who = reviewer(`reader-${i}`);
      const claim = await claimNext(deps(), who);
      if (!claim) throw new Error("no task to claim");
      if (claims.some((c) => c.claim.interactionId === claim.interactionId)) continue;
      claims.push({ who, claim });
    }
    const [a, b] = claims;
    if (!a || !b) throw new Error("no claims");
    const objectOf = async (interactionId: string) => {
      const ledger = await stack.clients.doc.send(
        new GetCommand({ TableName: stack.endpoints.table, Key: ledgerKey(interactionId) }),
      );
      const name = String(ledger.Item?.object);
      return { bucket: name.slice(0, name.indexOf("/")), key: name.slice(name.indexOf("/") + 1) };
    };
    const shown = await getClaimed(deps(), a.who, a.claim.taskId);
    expect(shown.transcript.interactionId).toBe(a.claim.interactionId);

    // Overwrite A's object with B's transcript: the reviewer must not be shown B.
    const target = await objectOf(a.claim.interactionId);
    const other = await objectOf(b.claim.interactionId);
    const otherBody = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: other.bucket, Key: other.key }),
    );
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: await otherBody.Body?.transformToByteArray(),
        Metadata: otherBody.Metadata,
      }),
    );
    const replaced = getClaimed(deps(), a.who, a.claim.taskId);
    await expect(replaced).rejects.toBeInstanceOf(GoneError);
    await replaced.catch((error: Error) =>
      expect(error.message).toMatch(/replaced after it was sampled/),
    );

    await stack.clients.s3.send(new DeleteObjectCommand({ Bucket: other.bucket, Key: other.key }));
    const deleted = getClaimed(deps(), b.who, b.claim.taskId);
    await expect(deleted).rejects.toBeInstanceOf(GoneError);
    await deleted.catch((error: Error) => expect(error.message).toMatch(/has been deleted/));
  });

  it("retries a submit that DynamoDB cancelled for a conflict on a shared rollup, instead of calling the lease lost", async () => {
    const who = reviewer("conflicted");
    const task = await claimNext(deps(), who);
    if (!task) throw new Error("no task to claim");
    // DynamoDB Local runs transactions one at a time, so the conflict AWS can raise is injected.
    let conflicts = 2;
    const conflicting = new Proxy(stack.clients.doc, {
      get(target, prop, receiver) {
        if (prop !== "send") return Reflect.get(target, prop, receiver);
        return (command: unknown) => {
          if (command instanceof TransactWriteCommand && conflicts-- > 0)
            return Promise.reject(
              new TransactionCanceledException({
                message: "Transaction cancelled",
                $metadata: {},
                CancellationReasons: [
                  { Code: "None" },
                  { Code: "None" },
                  { Code: "TransactionConflict" },
                ],
              }),
            );
          return target.send(command as never);
        };
      },
    });
    const stored = await submitScore(deps({ db: conflicting }), who, task.taskId, goodScore, 1);
    expect(stored.taskId).toBe(task.taskId);
    expect(conflicts).toBe(-1);
    expect((await taskItem(task.taskId)).status).toBe("scored");
  });

  it("answers one of two concurrent releases and refuses the other with LeaseLostError", async () => {
    const who = reviewer("releaser");
    const task = await claimNext(deps(), who);
    if (!task) throw new Error("no task to claim");
    const results = await Promise.allSettled([
      releaseTask(deps(), who, task.taskId, "other"),
      releaseTask(deps(), who, task.taskId, "other"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    expect(lost?.reason).toBeInstanceOf(LeaseLostError);
  });

  it("never gives a vendor-affiliated reviewer that vendor's interactions", async () => {
    const vendors = new Set(demo.manifest.truth.map((t) => t.vendor));
    const mine = [...vendors][0] ?? "";
    for (let i = 0; i < 5; i++) {
      const claim = await claimNext(deps(), reviewer(`vendor-staff-${i}`, mine));
      if (!claim) continue;
      const item = await stack.clients.doc.send(
        new GetCommand({
          TableName: stack.endpoints.table,
          Key: { pk: `TASK#${claim.taskId}`, sk: "META" },
        }),
      );
      expect(item.Item?.vendor).not.toBe(mine);
    }
  });
});
