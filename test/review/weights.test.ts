import { randomBytes } from "node:crypto";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNext, type ReviewDeps, submitScore } from "../../core/review-api/review-queue";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { inclusionProbabilities } from "../../shared/design";
import { taskFromItem } from "../../shared/items";
import { agentWeekChannelKey, agentWeekKey, scoreKey, taskKey } from "../../shared/table-keys";
import { startSampledStack } from "../sampler/helpers";

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
  stack = await startSampledStack(demo.files, { policy: await loadPolicy(), key: randomBytes(32) });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("design weights at period close", () => {
  it("gives every sampled interaction its design weight 1/π, moving earlier scores' rollups", async () => {
    const policy = await loadPolicy();
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

    await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });

    const agentWeeks = await scanWhere("begins_with(pk, :ag)", { ":ag": "AG#" });
    const tasks = (await scanWhere("begins_with(pk, :task)", { ":task": "TASK#" })).filter(
      (t) => t.kind !== "calibration",
    );
    const ledger = await scanWhere("begins_with(pk, :ix) AND sk = :meta", {
      ":ix": "IX#",
      ":meta": "META",
    });
    let checked = 0;
    let mixed = 0;
    let toppedUp = 0;
    for (const aw of agentWeeks) {
      const items = ledger.filter(
        (l) => l.vendor === aw.vendor && l.agent === aw.agent && l.week === aw.week && l.eligible,
      );
      // Only ended weeks are closed.
      if (items.length === 0 || aw.weightsFixedFor === undefined) continue;
      // Each task weighs 1/π, π its inclusion probability under the design as run.
      const pi = inclusionProbabilities(
        items.map((l) => ({ rate: Number(l.rate) })),
        policy.floor.perAgentWeek,
      );
      for (const t of tasks.filter(
        (t) => t.vendor === aw.vendor && t.agent === aw.agent && t.week === aw.week,
      )) {
        const i = items.findIndex((l) => l.interactionId === t.interactionId);
        expect(Number(t.weight)).toBeCloseTo(1 / (pi[i] ?? 0), 9);
        checked += 1;
      }
      if (new Set(items.map((l) => l.rate)).size > 1) mixed += 1;
      // The floor took the smallest u/rate among the interactions the random draw left.
      const xi = (l: Record<string, unknown>) => Number(l.u) / Number(l.rate);
      const floor = items.filter((l) => l.sampleKind === "floor");
      const unsampled = items.filter((l) => !l.sampled);
      if (floor.length > 0) toppedUp += 1;
      for (const f of floor) for (const o of unsampled) expect(xi(f)).toBeLessThan(xi(o));
    }
    expect(checked).toBeGreaterThan(40);
    // Voice and chat at 6%, email at 10%: agent-weeks with mixed rates and top-ups are tested.
    expect(mixed).toBeGreaterThan(5);
    expect(toppedUp).toBeGreaterThan(5);

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
    // The agent-week × channel rollup carries the same sums and the stratum's design.
    const channel = await stack.clients.doc.send(
      new GetCommand({
        TableName: stack.endpoints.table,
        Key: agentWeekChannelKey(String(scored?.vendor), task.agent, task.week, task.channel),
      }),
    );
    expect(channel.Item?.consistency_sw).toBeCloseTo(w, 6);
    expect(channel.Item?.scriptReliance_swwxx).toBeCloseTo(9 * w * w, 6);
    expect(channel.Item?.stratumEligible).toBe(rollup.Item?.eligible);
    expect(typeof channel.Item?.closed).toBe("string");

    // A second close changes nothing.
    const again = await closeEndedWeeks({
      clients: stack.clients,
      endpoints: stack.endpoints,
      policy,
    });
    expect(again.reduce((s, r) => s + r.reweightedTasks + r.reweightedScores, 0)).toBe(0);
  });
});
