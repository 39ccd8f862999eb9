import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { reweightIncrements } from "../../shared/rollup";
import { ScoreSubmissionSchema } from "../../shared/score";
import {
  agentWeekKey,
  agentWeekPartition,
  KEYS,
  scoreKey,
  stratumDayKey,
  taskKey,
} from "../../shared/table-keys";
import type { Task } from "../../shared/task";
import { taskFromItem } from "../lib/items";
import { rollupAdd } from "../lib/rollup-update";
import { classifyCancellation, type RetryOptions, retryTransient } from "../lib/transactions";

/** A weekly batch job: conflicts with concurrent submits are retried patiently. */
const TRANSIENT_RETRY: RetryOptions = { attempts: 6, baseMs: 50 };

/** What fixing weights needs. */
export interface FixWeightsDeps {
  db: DynamoDBDocumentClient;
  table: string;
}

/** One agent-week at period close: N eligible interactions, n of them in the final sample. */
export interface ClosedAgentWeek {
  vendor: string;
  agent: string;
  week: string;
  eligible: number;
  sampleSize: number;
  /** `N/n` the weights were last fixed for, so an unchanged agent-week is skipped. */
  fixedFor?: string;
}

/** What fixing one agent-week's weights changed. */
export interface FixWeightsResult {
  /** Queued or claimed tasks that now carry the final weight. */
  tasks: number;
  /** Scores already submitted whose rollup contributions were re-weighted. */
  scores: number;
}

/**
 * Gives every primary task of a closed agent-week the design weight N/n. Given the final
 * sample size n, the Bernoulli sample plus its bottom-k top-up is a simple random sample of
 * the agent-week's N eligible interactions, so each item stands for N/n of them; 1/π of the
 * random draw alone would over-weight topped-up agent-weeks (in a Monte Carlo of a design
 * like the benchmark's: bias +0.037 points, against −0.002 with N/n). Scores submitted before close get their
 * rollup sums moved by the difference, in one transaction conditioned on their old weight,
 * so a re-run changes nothing.
 */
export async function fixAgentWeekWeights(
  deps: FixWeightsDeps,
  aw: ClosedAgentWeek,
): Promise<FixWeightsResult> {
  const result: FixWeightsResult = { tasks: 0, scores: 0 };
  if (aw.sampleSize <= 0 || aw.eligible <= 0) return result;
  const signature = `${aw.eligible}/${aw.sampleSize}`;
  if (aw.fixedFor === signature) return result;
  const weight = aw.eligible / aw.sampleSize;

  for (const task of await primaryTasks(deps, aw)) {
    if (task.weight === weight) continue;
    if (task.status !== "scored" && (await setTaskWeight(deps, task, weight))) {
      result.tasks += 1;
      continue;
    }
    if (await reweightScore(deps, task, weight)) result.scores += 1;
  }
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      Key: agentWeekKey(aw.vendor, aw.agent, aw.week),
      UpdateExpression: "SET #fixed = :sig",
      ExpressionAttributeNames: { "#fixed": "weightsFixedFor" },
      ExpressionAttributeValues: { ":sig": signature },
    }),
  );
  return result;
}

/** The random and floor tasks of the agent-week's sampled interactions. */
async function primaryTasks(deps: FixWeightsDeps, aw: ClosedAgentWeek): Promise<Task[]> {
  const taskIds: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.table,
        IndexName: KEYS.byAgentWeek.indexName,
        KeyConditionExpression: "#pk = :pk",
        FilterExpression: "#sampled = :yes",
        ExpressionAttributeNames: { "#pk": KEYS.byAgentWeek.pk, "#sampled": "sampled" },
        ExpressionAttributeValues: {
          ":pk": agentWeekPartition(aw.vendor, aw.agent, aw.week),
          ":yes": true,
        },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (Array.isArray(item.taskIds)) taskIds.push(...item.taskIds.map(String));
    }
    start = page.LastEvaluatedKey;
  } while (start);

  const tasks: Task[] = [];
  for (let i = 0; i < taskIds.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = taskIds
      .slice(i, i + 100)
      .map((id) => ({ ...taskKey(id) }));
    while (keys && keys.length > 0) {
      const found: BatchGetCommandOutput = await deps.db.send(
        new BatchGetCommand({ RequestItems: { [deps.table]: { Keys: keys } } }),
      );
      for (const item of found.Responses?.[deps.table] ?? []) {
        const task = taskFromItem(item);
        if (task && task.kind !== "calibration") tasks.push(task);
      }
      keys = found.UnprocessedKeys?.[deps.table]?.Keys;
    }
  }
  return tasks;
}

/** Sets the weight of a task not yet scored; false if it was scored meanwhile. */
async function setTaskWeight(deps: FixWeightsDeps, task: Task, weight: number): Promise<boolean> {
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: taskKey(task.taskId),
        UpdateExpression: "SET #weight = :w",
        ConditionExpression: "#status <> :scored",
        ExpressionAttributeNames: { "#weight": "weight", "#status": "status" },
        ExpressionAttributeValues: { ":w": weight, ":scored": "scored" },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** Moves a submitted score's rollup sums from its old weight to `weight`. */
async function reweightScore(deps: FixWeightsDeps, task: Task, weight: number): Promise<boolean> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: scoreKey(task.interactionId, task.taskId) }),
  );
  const item = found.Item;
  if (!item || typeof item.weight !== "number" || item.weight === weight) return false;
  const scores = ScoreSubmissionSchema.shape.scores.safeParse(item.scores);
  if (!scores.success) return false;
  const from = item.weight;
  const increments = reweightIncrements(scores.data, from, weight);
  // A score that is N/A on every dimension has no weighted sums to move.
  const rollups =
    Object.keys(increments).length === 0
      ? []
      : [
          rollupAdd(deps.table, stratumDayKey(task.vendor, task.channel, task.day), increments),
          rollupAdd(deps.table, agentWeekKey(task.vendor, task.agent, task.week), increments),
        ];
  try {
    await retryTransient(
      () =>
        deps.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: deps.table,
                  Key: scoreKey(task.interactionId, task.taskId),
                  UpdateExpression: "SET #weight = :to",
                  ConditionExpression: "#weight = :from",
                  ExpressionAttributeNames: { "#weight": "weight" },
                  ExpressionAttributeValues: { ":to": weight, ":from": from },
                },
              },
              {
                Update: {
                  TableName: deps.table,
                  Key: taskKey(task.taskId),
                  UpdateExpression: "SET #weight = :to",
                  ExpressionAttributeNames: { "#weight": "weight" },
                  ExpressionAttributeValues: { ":to": weight },
                },
              },
              ...rollups,
            ],
          }),
        ),
      TRANSIENT_RETRY,
    );
    return true;
  } catch (error) {
    // Moved already (the score's weight is no longer `from`); a conflict or throttle is retried above.
    if (classifyCancellation(error)?.kind === "condition-failed") return false;
    throw error;
  }
}
