import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import {
  type AgentWeekChannelRollup,
  type AgentWeekRollup,
  agentWeekChannelFromItem,
  agentWeekChannelPartition,
  agentWeekFromItem,
  agentWeekKey,
  KEYS,
  PERIOD,
  type StratumDayRollup,
  stratumDayFromItem,
  stratumDayKey,
} from "../../shared/items";
import { CHANNELS, type Channel } from "../../shared/transcript";

/** What the insight queries read from. */
export interface InsightDeps {
  db: DynamoDBDocumentClient;
  table: string;
}

/** A reader that counts its requests, so callers can report what a query cost. */
export interface Reader extends InsightDeps {
  requests: number;
}

/** Starts counting requests against `deps`. */
export const reader = (deps: InsightDeps): Reader => ({ ...deps, requests: 0 });

/**
 * `fn` of every item, at most `concurrency` at a time, results in order. Reports that run
 * one Query per week use it, so a long range queues its Queries instead of sending them all
 * at once to a table that reviewers' claims and submits use too.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(concurrency);
  return Promise.all(items.map((item) => limit(() => fn(item))));
}

/** Which items of a partition: all of them, sort keys from–to, or sort keys with a prefix. */
type SortKeyCondition = { from: string; to: string } | { prefix: string } | undefined;

/**
 * Every item of one partition of the table (`index` undefined) or of a GSI, all pages,
 * counting each page as a request. DynamoDB refuses empty key values, so an empty prefix
 * means the whole partition.
 */
async function queryAll(
  r: Reader,
  index: { indexName: string; pk: string; sk: string } | undefined,
  partition: string,
  condition: SortKeyCondition,
): Promise<Record<string, unknown>[]> {
  const names: Record<string, string> = { "#pk": index?.pk ?? KEYS.pk };
  const values: Record<string, unknown> = { ":pk": partition };
  let expression = "#pk = :pk";
  if (condition && "from" in condition) {
    names["#sk"] = index?.sk ?? KEYS.sk;
    values[":from"] = condition.from;
    values[":to"] = condition.to;
    expression += " AND #sk BETWEEN :from AND :to";
  } else if (condition?.prefix) {
    names["#sk"] = index?.sk ?? KEYS.sk;
    values[":prefix"] = condition.prefix;
    expression += " AND begins_with(#sk, :prefix)";
  }
  const input: QueryCommandInput = {
    TableName: r.table,
    ...(index ? { IndexName: index.indexName } : {}),
    KeyConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    r.requests += 1;
    const page = await r.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Every item of partition `pk`; only those whose sort key lies between `from` and `to`
 * when a range is given.
 */
export const queryRange = (
  r: Reader,
  pk: string,
  from?: string,
  to?: string,
): Promise<Record<string, unknown>[]> =>
  queryAll(r, undefined, pk, from !== undefined && to !== undefined ? { from, to } : undefined);

/** Items of a byPeriod partition whose sort key starts with `prefix` (all of them for ""). */
export const queryPeriodPrefix = (
  r: Reader,
  partition: string,
  prefix: string,
): Promise<Record<string, unknown>[]> => queryAll(r, KEYS.byPeriod, partition, { prefix });

/** A vendor's stratum-day rollups from `from` to `to` (days), per channel: one Query each. */
export async function vendorDays(
  r: Reader,
  vendor: string,
  from: string,
  to: string,
  channels: readonly Channel[] = CHANNELS,
): Promise<Map<Channel, StratumDayRollup[]>> {
  const lists = await Promise.all(
    channels.map(async (channel) => {
      const first = stratumDayKey(vendor, channel, from);
      const items = await queryRange(r, first.pk, first.sk, stratumDayKey(vendor, channel, to).sk);
      return items.map(stratumDayFromItem);
    }),
  );
  return new Map(channels.map((channel, i) => [channel, lists[i] ?? []]));
}

/** One agent's agent-week rollups from week `from` to week `to`. */
export async function agentWeeks(
  r: Reader,
  vendor: string,
  agent: string,
  from: string,
  to: string,
): Promise<AgentWeekRollup[]> {
  const first = agentWeekKey(vendor, agent, from);
  const items = await queryRange(r, first.pk, first.sk, agentWeekKey(vendor, agent, to).sk);
  return items.map(agentWeekFromItem);
}

/**
 * A vendor's agent-week × channel rollups of the ISO weeks `from` to `to`: one Query (all
 * pages) of its `AWC#` partition. They are the strata of every vendor slice after close.
 */
export async function vendorAgentWeekChannels(
  r: Reader,
  vendor: string,
  from: string,
  to: string,
): Promise<AgentWeekChannelRollup[]> {
  // Sort keys are `<week>#<agent>#<channel>`; "~" sorts after every id character.
  const items = await queryRange(r, agentWeekChannelPartition(vendor), `${from}#`, `${to}#~`);
  // The open week counts too: the codec reads its identity from the key until close writes it.
  return items.map(agentWeekChannelFromItem);
}

/** Every stratum-day rollup of every vendor from day `from` to day `to` (the byPeriod `STRATA` list). */
export const allStrataDays = async (
  r: Reader,
  from: string,
  to: string,
): Promise<StratumDayRollup[]> =>
  // Sort keys are `<day>#<vendor>#<channel>`; "~" sorts after every id character.
  (await queryAll(r, KEYS.byPeriod, PERIOD.strata, { from, to: `${to}~` })).map(stratumDayFromItem);
