import { randomBytes } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyScoredError,
  ForbiddenError,
  InvalidRequestError,
  LeaseLostError,
} from "../../functions/review-api/errors";
import {
  claimNext,
  getClaimed,
  type Identity,
  type ReviewDeps,
  submitScore,
} from "../../functions/review-api/review-queue";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import type { ScoreSubmission } from "../../shared/score";
import { stratumDayKey } from "../../shared/table-keys";
import { queueDepth, settle } from "../sampler/helpers";

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

/** A fresh queue holding one message for a still-queued task, so a test controls its order. */
async function queueWithOneTask(name: string, deadLetterArn?: string): Promise<string> {
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
  const found = await stack.clients.doc.send(
    new ScanCommand({
      TableName: stack.endpoints.table,
      FilterExpression: "#type = :task AND #status = :queued",
      ExpressionAttributeNames: { "#type": "type", "#status": "status" },
      ExpressionAttributeValues: { ":task": "task", ":queued": "queued" },
    }),
  );
  const taken = new Set(usedTasks);
  const item = (found.Items ?? []).find((i) => !taken.has(String(i.taskId)));
  if (!item) throw new Error("no queued task left");
  usedTasks.push(String(item.taskId));
  await stack.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: JSON.stringify({ taskId: item.taskId, interactionId: item.interactionId }),
    }),
  );
  return QueueUrl;
}
const usedTasks: string[] = [];

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
  const policy = await loadPolicy();
  stack = await startLocalStack({
    ports: { web: 0, aws: 0, dynamodb: 0 },
    sampler: { policy, key: randomBytes(32) },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
  await settle(stack);
  // Floor top-ups give the queue enough tasks for every case below.
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("review queue", () => {
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
    const ledger = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: { pk: `TASK#${task.taskId}`, sk: "META" },
      }),
    );
    const vendor = String(ledger.Item?.vendor);
    const before = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: stratumDayKey(vendor, task.channel, task.day),
      }),
    );
    const stored = await submitScore(deps(), who, task.taskId, goodScore, 42_000);
    expect(stored.weight).toBeCloseTo(task.weight ?? 1 / task.pi);
    const again = submitScore(deps(), who, task.taskId, goodScore, 1);
    await expect(again).rejects.toBeInstanceOf(AlreadyScoredError);
    await again.catch((error: AlreadyScoredError) => expect(error.stored?.reviewer).toBe("alice"));
    const after = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: stratumDayKey(vendor, task.channel, task.day),
      }),
    );
    if (task.kind !== "calibration") {
      expect(Number(after.Item?.consistency_n ?? 0) - Number(before.Item?.consistency_n ?? 0)).toBe(
        1,
      );
      expect(
        Number(after.Item?.consistency_swx ?? 0) - Number(before.Item?.consistency_swx ?? 0),
      ).toBeCloseTo(4 * (task.weight ?? 1 / task.pi));
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
    const task = await claimNext(deps({ leaseSeconds: 1, queueUrl }), who);
    if (!task) throw new Error("no task to claim");
    await submitScore(deps({ sqs: failingDelete, queueUrl }), who, task.taskId, goodScore, 1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await queueDepth(stack, queueUrl)).toBe(1);
    // The message came back; the task is scored, so the claim deletes it and hands out nothing.
    expect(await claimNext(deps({ queueUrl }), reviewer("next"))).toBeUndefined();
    expect(await queueDepth(stack, queueUrl)).toBe(0);
  });

  it("passing over a task for vendor affiliation does not count towards the DLQ", async () => {
    const { QueueUrl: dlqUrl } = await stack.clients.sqs.send(
      new CreateQueueCommand({ QueueName: "review-affiliated-dlq" }),
    );
    if (!dlqUrl) throw new Error("no dlq url");
    const { Attributes } = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
    );
    const queueUrl = await queueWithOneTask("affiliated", Attributes?.QueueArn);
    const taskId = usedTasks.at(-1) ?? "";
    const item = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: { pk: `TASK#${taskId}`, sk: "META" },
      }),
    );
    const staff = reviewer("vendor-staff", String(item.Item?.vendor));
    // Five passes against a maxReceiveCount of 2.
    for (let i = 0; i < 5; i++) {
      expect(await claimNext(deps({ queueUrl, maxClaimAttempts: 1 }), staff)).toBeUndefined();
    }
    expect(await queueDepth(stack, dlqUrl)).toBe(0);
    const outsider = await claimNext(deps({ queueUrl }), reviewer("outsider"));
    expect(outsider?.taskId).toBe(taskId);
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
