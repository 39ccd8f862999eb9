import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { closeAgentWeekDesign, rateGroups } from "../../shared/design";
import {
  agentWeekClose,
  agentWeekFromItem,
  agentWeekPartition,
  KEYS,
  ledgerFromItem,
  ledgerTopUp,
  PERIOD,
  stratumDayFloorAdded,
  taskFromItem,
  taskKey,
  taskToItem,
} from "../../shared/items";
import type { SamplingPolicy } from "../../shared/policy";
import { plannedTasks } from "../../shared/sampling";
import type { Task } from "../../shared/task";
import { isoWeekStart } from "../../shared/time";
import type { Channel } from "../../shared/transcript";
import { queryPeriodPartition } from "../db/query-partition";
import { newTaskId } from "../db/task-id";
import { classifyCancellation, transactUpdate, transactWrite } from "../db/transactions";
import { sendTasks } from "../sampler/send-tasks";
import { fixAgentWeekWeights, PERIOD_CLOSE_RETRY } from "./fix-weights";

/** What period close needs. */
export interface PeriodCloseDeps {
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  table: string;
  reviewQueueUrl: string;
  policy: SamplingPolicy;
  now(): Date;
}

/** What closing one week did. */
export interface CloseWeekResult {
  week: string;
  agentWeeks: number;
  belowFloor: number;
  toppedUp: number;
  /** Agent-weeks still below the floor because they have no more eligible, unsampled items. */
  shortOfVolume: number;
  tasksSent: number;
  /** Queued tasks given their agent-week's final weight N/n. */
  reweightedTasks: number;
  /** Already-submitted scores whose rollup sums moved to the final weight. */
  reweightedScores: number;
}

interface AgentWeek {
  vendor: string;
  agent: string;
  eligible: number;
  sampled: number;
  floor: number;
  pendingFloor: string[];
  weightsFixedFor?: string;
  closedCounters?: string;
}

/**
 * Tops up every agent-week of `week` whose sample is below the policy's floor with its
 * eligible, unsampled interactions of smallest `u / rate` (the sequential Poisson rank, so the
 * random draw `u < rate` and the top-up are one ordering; see shared/design.ts). Each item's
 * inclusion probability π under that design is computed from the agent-week's rates, a top-up
 * item stores it, and every primary task of the agent-week gets the weight 1/π (see
 * {@link fixAgentWeekWeights}). Each top-up is one conditional transaction, so running close
 * twice changes nothing; tasks whose send did not complete are re-sent on the next run.
 */
export async function closeWeek(deps: PeriodCloseDeps, week: string): Promise<CloseWeekResult> {
  isoWeekStart(week);
  const target = deps.policy.floor.perAgentWeek;
  const agentWeeks = await listAgentWeeks(deps, week);
  const result: CloseWeekResult = {
    week,
    agentWeeks: agentWeeks.length,
    belowFloor: 0,
    toppedUp: 0,
    shortOfVolume: 0,
    tasksSent: 0,
    reweightedTasks: 0,
    reweightedScores: 0,
  };

  for (const aw of agentWeeks) {
    // Nothing that the weights depend on has changed since this agent-week was last closed.
    if (aw.closedCounters === countersOf(aw, target, 0) && aw.pendingFloor.length === 0) continue;
    const have = aw.sampled + aw.floor;
    let added = 0;
    const pending = [...aw.pendingFloor];
    const ledger = await agentWeekLedger(deps, aw, week);
    const design = closeAgentWeekDesign(
      ledger.map((item) => ({ u: item.u, rate: item.rate, sampled: item.sampled })),
      target,
    );
    if (have < target && aw.eligible > 0) {
      result.belowFloor += 1;
      if (have + design.topUp.length < target) result.shortOfVolume += 1;
      for (const index of design.topUp) {
        const item = ledger[index];
        if (!item) continue;
        const taskIds = await topUp(deps, aw, week, item, design.pi[index] ?? 1);
        if (taskIds) {
          result.toppedUp += 1;
          added += 1;
          pending.push(...taskIds);
          item.sampled = true;
          item.taskIds = taskIds;
        }
      }
    }
    if (pending.length > 0) result.tasksSent += await sendPending(deps, aw, week, pending);
    const weights = new Map<string, number>();
    ledger.forEach((item, i) => {
      const w = design.weights[i] ?? 0;
      if (w > 0 && item.sampled) weights.set(item.interactionId, w);
    });
    const fixed = await fixAgentWeekWeights(deps, {
      vendor: aw.vendor,
      agent: aw.agent,
      week,
      eligible: ledger.length,
      sampleSize: weights.size,
      weights,
      taskIds: ledger.flatMap((item) => (item.sampled ? item.taskIds : [])),
      channels: channelCounts(ledger),
      toppedUp: aw.floor + added > 0,
      signature: designSignature(ledger, target),
      ...(aw.weightsFixedFor ? { fixedFor: aw.weightsFixedFor } : {}),
    });
    result.reweightedTasks += fixed.tasks;
    result.reweightedScores += fixed.scores;
    const counters = countersOf(aw, target, added);
    if (aw.closedCounters !== counters) {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.table,
          ...agentWeekClose({ ...aw, week }, { kind: "closed", counters }),
        }),
      );
    }
  }
  return result;
}

/** The agent-week's counters and the floor, as close last saw them: a cheap change check. */
const countersOf = (aw: AgentWeek, floor: number, added: number): string =>
  `v2:${aw.eligible}/${aw.sampled}/${aw.floor + added}/f${floor}`;

/**
 * What an agent-week's weights depend on: its eligible items' rates, the floor and which items
 * are in the sample. Close skips an agent-week whose signature is unchanged since its last run.
 */
function designSignature(ledger: readonly LedgerRow[], floor: number): string {
  const groups = rateGroups(ledger)
    .map((g) => `${g.rate}x${g.count}`)
    .join(",");
  const sample = ledger.filter((i) => i.sampled).length;
  return `v2:${ledger.length}/${sample}/f${floor}/${groups}`;
}

function channelCounts(ledger: readonly LedgerRow[]): Map<Channel, number> {
  const out = new Map<Channel, number>();
  for (const item of ledger) out.set(item.channel, (out.get(item.channel) ?? 0) + 1);
  return out;
}

async function listAgentWeeks(deps: PeriodCloseDeps, week: string): Promise<AgentWeek[]> {
  const items = await queryPeriodPartition(deps.db, deps.table, PERIOD.agentWeeks(week));
  return items.map(agentWeekFromItem).map((item) => ({
    vendor: item.vendor,
    agent: item.agent,
    eligible: item.eligible ?? 0,
    sampled: item.sampled ?? 0,
    floor: item.floor ?? 0,
    pendingFloor: [...(item.pendingFloor ?? [])],
    ...(item.weightsFixedFor !== undefined ? { weightsFixedFor: item.weightsFixedFor } : {}),
    ...(item.closedCounters !== undefined ? { closedCounters: item.closedCounters } : {}),
  }));
}

type LedgerRow = {
  interactionId: string;
  channel: Channel;
  startedAt: string;
  u: number;
  rate: number;
  day: string;
  sampled: boolean;
  taskIds: string[];
};

/**
 * Every eligible ledger item of an agent-week (all pages of its byAgentWeek partition): the
 * top-up and the inclusion probabilities depend on all of them, not only on the sample.
 */
async function agentWeekLedger(
  deps: PeriodCloseDeps,
  aw: AgentWeek,
  week: string,
): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.table,
        IndexName: KEYS.byAgentWeek.indexName,
        KeyConditionExpression: "#pk = :pk",
        FilterExpression: "#eligible = :yes",
        ExpressionAttributeNames: { "#pk": KEYS.byAgentWeek.pk, "#eligible": "eligible" },
        ExpressionAttributeValues: {
          ":pk": agentWeekPartition(aw.vendor, aw.agent, week),
          ":yes": true,
        },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const entry = ledgerFromItem(item);
      rows.push({
        interactionId: entry.interactionId,
        channel: entry.channel,
        startedAt: entry.startedAt,
        u: entry.u,
        rate: entry.rate,
        day: entry.day,
        sampled: entry.sampled,
        taskIds: entry.taskIds,
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  // The index is sorted by u; sorting by id makes the order independent of the index.
  return rows.sort((a, b) => a.interactionId.localeCompare(b.interactionId));
}

/** One top-up: ledger marked, task put, counters added — or nothing if already done. */
async function topUp(
  deps: PeriodCloseDeps,
  aw: AgentWeek,
  week: string,
  item: LedgerRow,
  pi: number,
): Promise<string[] | undefined> {
  const tasks = plannedTasks(
    deps.policy,
    {
      interactionId: item.interactionId,
      vendor: aw.vendor,
      agent: aw.agent,
      channel: item.channel,
      startedAt: item.startedAt,
    },
    { u: item.u, pi, calibration: false, policyVersion: deps.policy.version },
    "floor",
    deps.now().toISOString(),
    newTaskId,
  );
  const ids = tasks.map((t) => t.taskId);
  try {
    await transactWrite(
      deps.db,
      [
        transactUpdate(deps.table, ledgerTopUp(item.interactionId, { taskIds: ids, floorPi: pi })),
        ...tasks.map((task) => ({
          Put: {
            TableName: deps.table,
            Item: taskToItem(task),
            ConditionExpression: "attribute_not_exists(pk)",
          },
        })),
        transactUpdate(
          deps.table,
          agentWeekClose({ ...aw, week }, { kind: "floor-added", taskIds: ids }),
        ),
        transactUpdate(deps.table, stratumDayFloorAdded(aw.vendor, item.channel, item.day)),
      ],
      PERIOD_CLOSE_RETRY,
    );
    return ids;
  } catch (error) {
    // Already topped up (by an earlier run): the ledger's condition failed. Anything else is a fault.
    if (classifyCancellation(error)?.kind === "condition-failed") return undefined;
    throw error;
  }
}

/** Sends an agent-week's not-yet-sent floor tasks and clears them from its pending set. */
async function sendPending(
  deps: PeriodCloseDeps,
  aw: AgentWeek,
  week: string,
  ids: string[],
): Promise<number> {
  const found = await deps.db.send(
    new BatchGetCommand({ RequestItems: { [deps.table]: { Keys: ids.map(taskKey) } } }),
  );
  const tasks: Task[] = (found.Responses?.[deps.table] ?? []).map(taskFromItem);
  const unsent = await sendTasks(deps.sqs, deps.reviewQueueUrl, tasks);
  const sent = tasks.filter((t) => !unsent.has(t.taskId)).map((t) => t.taskId);
  if (sent.length > 0) {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        ...agentWeekClose({ ...aw, week }, { kind: "floor-sent", taskIds: sent }),
      }),
    );
  }
  return sent.length;
}
