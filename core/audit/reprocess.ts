import { randomUUID } from "node:crypto";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { eventBody, objectCreatedEvent } from "../../shared/events";
import {
  dayCountersUpdate,
  objectMarkerKey,
  PERIOD,
  quarantineFromItem,
  quarantineKey,
} from "../../shared/items";
import { queryPeriodPartition } from "../db/query-partition";
import { transactUpdate } from "../db/transactions";

export interface ReprocessResult {
  reason: string;
  requeued: number;
}

/**
 * Sends quarantined objects with `reason` through ingestion again (e.g. `unattributed`
 * after a roster import). Each one leaves quarantine — record, object marker and counter —
 * in one transaction, then gets a fresh Object Created event on the ingest queue, so it
 * ends up in the ledger or, if still bad, back in quarantine: never in both.
 */
export async function reprocessQuarantined(
  deps: {
    db: DynamoDBDocumentClient;
    sqs: SQSClient;
    table: string;
    ingestQueueUrl: string;
    region: string;
    now(): Date;
  },
  reason: string,
): Promise<ReprocessResult> {
  const items = await queryPeriodPartition(deps.db, deps.table, PERIOD.quarantine(reason));
  const events: string[] = [];
  for (const item of items) {
    const { bucket, key, day, version } = quarantineFromItem(item);
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: deps.table,
              Key: quarantineKey(bucket, key),
              ConditionExpression: "attribute_exists(pk)",
            },
          },
          {
            Delete: {
              TableName: deps.table,
              Key: objectMarkerKey(bucket, key, version),
            },
          },
          transactUpdate(
            deps.table,
            dayCountersUpdate(day, { kind: "quarantined", reason, by: -1 }),
          ),
        ],
      }),
    );
    events.push(
      eventBody(
        objectCreatedEvent(
          { bucket, key, reason: "PutObject" },
          {
            id: randomUUID(),
            time: deps.now(),
            account: "000000000000",
            region: deps.region,
            sequencer: "0",
          },
        ),
      ),
    );
  }
  for (let i = 0; i < events.length; i += 10) {
    await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.ingestQueueUrl,
        Entries: events.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
      }),
    );
  }
  return { reason, requeued: events.length };
}
