import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { KEYS } from "../../shared/table-keys";

/** Every item of one byPeriod partition (e.g. `STRATA`, `ROSTER`, `LEDGER#<day>`), all pages. */
export async function queryPeriodPartition(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: KEYS.byPeriod.indexName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": KEYS.byPeriod.pk },
        ExpressionAttributeValues: { ":pk": partition },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
