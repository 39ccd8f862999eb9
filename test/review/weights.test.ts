import { randomBytes } from "node:crypto";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskFromItem } from "../../functions/lib/items";
import { claimNext, type ReviewDeps, submitScore } from "../../functions/review-api/review-queue";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { agentWeekKey, scoreKey, taskKey } from "../../shared/table-keys";
import { settle } from "../sampler/helpers";

let stack: LocalStack;
const demo = generateDemo({ days: 14, seed: 23, perDay: 30 });

const deps = (): ReviewDeps => ({
  sqs: stack.clients.sqs,
  db: stack.clients.doc,
  s3: stack.clients.s3,
  table: stack.endpoints.table,
  queueUrl: stack.endpoints.queues.review,
  leaseSeconds: 60,
  now: () => new Date(),
});

async function scanWhere(
  filter: string,
  values: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.clients.doc.send(
      new ScanCommand({
        TableName: stack.endpoints.table,
        FilterExpression: filter,
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { web: 0, aws: 0, dynamodb: 0 },
    sampler: { policy: await loadPolicy(), key: randomBytes(32) },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
  await settle(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("design weights at period close", () => {
  it("gives every sampled interaction of an agent-week the weight N/n, moving earlier scores' rollups", async () => {
    // Scored before close, at the random draw's weight 1/π.
    // The reviewer cannot tell a calibration copy (the API is blind); the test reads the task item.
    const stored = async (taskId: string) =>
      taskFromItem(
        (
          await stack.clients.doc.send(
            new GetCommand({ TableName: stack.endpoints.table, Key: taskKey(taskId) }),
          )
        ).Item ?? {},
      );
    let who = { sub: "early-0", role: "reviewer" as const };
    let claimed = await claimNext(deps(), who);
    for (let i = 1; claimed && (await stored(claimed.taskId))?.kind === "calibration"; i++) {
      who = { sub: `early-${i}`, role: "reviewer" as const };
      claimed = await claimNext(deps(), who);
    }
    const task = claimed ? await stored(claimed.taskId) : undefined;
    if (!task) throw new Error("nothing to claim");
    await submitScore(
      deps(),
      who,
      task.taskId,
      {
        scores: {
          consistency: { value: 4 },
          scriptReliance: { value: 3 },
          empathy: { na: "no emotion expressed" },
        },
      },
      1_000,
    );
    const before = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: scoreKey(task.interactionId, task.taskId),
      }),
    );
    expect(before.Item?.weight).toBeCloseTo(1 / task.pi, 9);

    const policy = await loadPolicy();
    await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });

    const agentWeeks = await scanWhere("begins_with(pk, :ag)", { ":ag": "AG#" });
    const tasks = (await scanWhere("begins_with(pk, :task)", { ":task": "TASK#" })).filter(
      (t) => t.kind !== "calibration",
    );
    let checked = 0;
    for (const aw of agentWeeks) {
      const mine = tasks.filter(
        (t) => t.vendor === aw.vendor && t.agent === aw.agent && t.week === aw.week,
      );
      const eligible = Number(aw.eligible ?? 0);
      if (eligible === 0) continue;
      // The weights of an agent-week's sample add up to its population.
      const total = mine.reduce((sum, t) => sum + Number(t.weight), 0);
      expect(total).toBeCloseTo(eligible, 6);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);

    const after = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: scoreKey(task.interactionId, task.taskId),
      }),
    );
    const scored = tasks.find((t) => t.taskId === task.taskId);
    expect(after.Item?.weight).toBe(scored?.weight);
    const rollup = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: agentWeekKey(String(scored?.vendor), task.agent, task.week),
      }),
    );
    const w = Number(scored?.weight);
    expect(rollup.Item?.consistency_sw).toBeCloseTo(w, 6);
    expect(rollup.Item?.consistency_swx).toBeCloseTo(4 * w, 6);
    expect(rollup.Item?.scriptReliance_swwxx).toBeCloseTo(9 * w * w, 6);
    expect(rollup.Item?.consistency_n).toBe(1);

    // A second close changes nothing.
    const again = await closeEndedWeeks({
      clients: stack.clients,
      endpoints: stack.endpoints,
      policy,
    });
    expect(again.reduce((s, r) => s + r.reweightedTasks + r.reweightedScores, 0)).toBe(0);
  });
});
