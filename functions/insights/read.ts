import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { agentWeekKey, KEYS, PERIOD, stratumDayKey } from "../../shared/table-keys";
import { CHANNELS, type Channel } from "../../shared/transcript";

/** What the insight queries read from; `requests` counts the DynamoDB calls they made. */
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
 * Every item of partition `pk`, all pages; only those whose sort key lies between `from`
 * and `to` when a range is given.
 */
export async function queryRange(
  r: Reader,
  pk: string,
  from?: string,
  to?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const ranged = from !== undefined && to !== undefined;
  let start: Record<string, unknown> | undefined;
  do {
    r.requests += 1;
    const page = await r.db.send(
      new QueryCommand({
        TableName: r.table,
        KeyConditionExpression: ranged ? "#pk = :pk AND #sk BETWEEN :from AND :to" : "#pk = :pk",
        ExpressionAttributeNames: ranged ? { "#pk": KEYS.pk, "#sk": KEYS.sk } : { "#pk": KEYS.pk },
        ExpressionAttributeValues: ranged ? { ":pk": pk, ":from": from, ":to": to } : { ":pk": pk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items of a byPeriod partition whose sort key starts with `prefix`, all pages. */
export async function queryPeriodPrefix(
  r: Reader,
  partition: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    r.requests += 1;
    const page = await r.db.send(
      new QueryCommand({
        TableName: r.table,
        IndexName: KEYS.byPeriod.indexName,
        // DynamoDB refuses an empty key value, so an empty prefix means the whole partition.
        KeyConditionExpression: prefix ? "#pk = :pk AND begins_with(#sk, :prefix)" : "#pk = :pk",
        ExpressionAttributeNames: prefix
          ? { "#pk": KEYS.byPeriod.pk, "#sk": KEYS.byPeriod.sk }
          : { "#pk": KEYS.byPeriod.pk },
        ExpressionAttributeValues: prefix
          ? { ":pk": partition, ":prefix": prefix }
          : { ":pk": partition },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A vendor's stratum-day rollups from `from` to `to` (days), per channel: one Query each. */
export async function vendorDays(
  r: Reader,
  vendor: string,
  from: string,
  to: string,
  channels: readonly Channel[] = CHANNELS,
): Promise<Map<Channel, Record<string, unknown>[]>> {
  const lists = await Promise.all(
    channels.map((channel) => {
      const first = stratumDayKey(vendor, channel, from);
      return queryRange(r, first.pk, first.sk, stratumDayKey(vendor, channel, to).sk);
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
): Promise<Record<string, unknown>[]> {
  const first = agentWeekKey(vendor, agent, from);
  return queryRange(r, first.pk, first.sk, agentWeekKey(vendor, agent, to).sk);
}

/** Every stratum-day rollup of every vendor from day `from` to day `to` (the byPeriod `STRATA` list). */
export async function allStrataDays(
  r: Reader,
  from: string,
  to: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    r.requests += 1;
    const page = await r.db.send(
      new QueryCommand({
        TableName: r.table,
        IndexName: KEYS.byPeriod.indexName,
        KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
        ExpressionAttributeNames: { "#pk": KEYS.byPeriod.pk, "#sk": KEYS.byPeriod.sk },
        // Sort keys are `<day>#<vendor>#<channel>`; "~" sorts after every id character.
        ExpressionAttributeValues: { ":pk": PERIOD.strata, ":from": from, ":to": `${to}~` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
