import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  agentWeekChannelDesign,
  agentWeekChannelKey,
  agentWeekClose,
  agentWeekKey,
  scoreFromItem,
  scoreKey,
  scoreReweight,
  stratumDayKey,
  taskFromItem,
  taskKey,
  taskUpdate,
} from "../../shared/items";
import { reweightIncrements } from "../../shared/rollup";
import type { Task } from "../../shared/task";
import { rollupAdd } from "../db/rollup-update";
import {
  classifyCancellation,
  type RetryOptions,
  transactUpdate,
  transactWrite,
} from "../db/transactions";

/** Period close is a weekly batch job: conflicts with concurrent submits are retried patiently. */
export const PERIOD_CLOSE_RETRY: RetryOptions = { attempts: 6, baseMs: 50 };

/** What fixing weights needs. */
export interface FixWeightsDeps {
  db: DynamoDBDocumentClient;
  table: string;
}

/** One agent-week at period close: its eligible volume, final sample and design weights. */
export interface ClosedAgentWeek {
  vendor: string;
  agent: string;
  week: string;
  /** N: eligible interactions. */
  eligible: number;
  /** n: interactions in the final sample. */
  sampleSize: number;
  /** Design weight 1/π of every sampled interaction, by interaction id. */
  weights: ReadonlyMap<string, number>;
  /** Task ids of the sampled interactions (calibration copies are skipped). */
  taskIds: readonly string[];
  /** Eligible interactions per channel. */
  channels: ReadonlyMap<string, number>;
  /** Whether the floor topped the agent-week up: its sample size is then fixed, not random. */
  toppedUp: boolean;
  /** What the weights were computed from (see close-week's designSignature). */
  signature: string;
  /** Signature the weights were last fixed for, so an unchanged agent-week is skipped. */
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
 * Gives every primary task of a closed agent-week its design weight 1/π (computed by close
 * from the agent-week's rates and floor, shared/design.ts). Scores submitted before close get
 * their rollup sums moved by the difference, in one transaction conditioned on their old
 * weight, so a re-run changes nothing. Then the agent-week × channel rollups are told the
 * stratum's design (volume, whether it was topped up, closed), which the interval needs.
 */
export async function fixAgentWeekWeights(
  deps: FixWeightsDeps,
  aw: ClosedAgentWeek,
): Promise<FixWeightsResult> {
  const result: FixWeightsResult = { tasks: 0, scores: 0 };
  if (aw.sampleSize <= 0 || aw.eligible <= 0) return result;
  if (aw.fixedFor === aw.signature) return result;

  for (const task of await primaryTasks(deps, aw.taskIds)) {
    const weight = aw.weights.get(task.interactionId);
    if (weight === undefined || task.weight === weight) continue;
    if (task.status !== "scored" && (await setTaskWeight(deps, task, weight))) {
      result.tasks += 1;
      continue;
    }
    if (await reweightScore(deps, task, weight)) result.scores += 1;
  }
  for (const [channel, eligible] of aw.channels) {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        ...agentWeekChannelDesign({
          vendor: aw.vendor,
          agent: aw.agent,
          week: aw.week,
          channel,
          eligible,
          stratumEligible: aw.eligible,
          toppedUp: aw.toppedUp,
          closed: aw.signature,
        }),
      }),
    );
  }
  await deps.db.send(
    new UpdateCommand({
      TableName: deps.table,
      ...agentWeekClose(aw, {
        kind: "weights-fixed",
        signature: aw.signature,
        toppedUp: aw.toppedUp,
      }),
    }),
  );
  return result;
}

/** The random and floor tasks among `taskIds`. */
async function primaryTasks(deps: FixWeightsDeps, taskIds: readonly string[]): Promise<Task[]> {
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
        if (task.kind !== "calibration") tasks.push(task);
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
        ...taskUpdate(
          task.taskId,
          { set: { weight } },
          {
            expression: "#status <> :scored",
            names: { "#status": "status" },
            values: { ":scored": "scored" },
          },
        ),
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
  if (!found.Item) return false;
  const score = scoreFromItem(found.Item);
  if (score.weight === weight) return false;
  const from = score.weight;
  const increments = reweightIncrements(score.scores, from, weight);
  // A score that is N/A on every dimension has no weighted sums to move.
  const rollups =
    Object.keys(increments).length === 0
      ? []
      : [
          rollupAdd(deps.table, stratumDayKey(task.vendor, task.channel, task.day), increments),
          rollupAdd(deps.table, agentWeekKey(task.vendor, task.agent, task.week), increments),
          rollupAdd(
            deps.table,
            agentWeekChannelKey(task.vendor, task.agent, task.week, task.channel),
            increments,
          ),
        ];
  try {
    await transactWrite(
      deps.db,
      [
        transactUpdate(deps.table, scoreReweight(task, from, weight)),
        transactUpdate(deps.table, taskUpdate(task.taskId, { set: { weight } })),
        ...rollups,
      ],
      PERIOD_CLOSE_RETRY,
    );
    return true;
  } catch (error) {
    // Moved already (the score's weight is no longer `from`); a conflict or throttle is retried above.
    if (classifyCancellation(error)?.kind === "condition-failed") return false;
    throw error;
  }
}
