import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { listBucket, reconcile, resendObjects } from "../core/audit/reconcile";
import { sendTasks } from "../core/sampler/send-tasks";
import { ObjectCreatedEventSchema } from "../shared/events";
import { taskFromItem } from "../shared/items";
import { type Task, TaskMessageSchema } from "../shared/task";
import { utcDay } from "../shared/time";
import type { LocalClients } from "./clients";
import type { Provisioned } from "./provision";

/** What a recovery put back on the queues. */
export interface Recovery {
  /** Objects sent through ingestion again: kept on disk, but never recorded. */
  events: number;
  /** Review tasks not yet scored whose message was lost, queued again. */
  tasks: number;
}

/**
 * Puts back what a crash took from the queues. Objects and the table are written through to
 * disk before they are acknowledged, but queue contents are saved every few seconds, so the
 * messages sent in the last seconds before a crash are gone. Both kinds are derived again:
 *
 * - an object whose current version has no marker in the table and no event on the ingest
 *   queue or its DLQ gets its Object Created event again (as `reconcile --repair` sends it);
 * - a task that is not scored and has no message on the review queue or its DLQ gets one.
 *
 * Messages that were handled after the last snapshot come back too; the sampler and the
 * review queue already treat such repeats as no-ops.
 */
export async function recoverQueues(deps: {
  clients: LocalClients;
  provisioned: Provisioned;
  region: string;
  /** Bodies of the messages a queue holds now, by queue name. */
  queueBodies(queueName: string): string[];
}): Promise<Recovery> {
  const { clients, provisioned } = deps;
  const bodies = (url: string) => deps.queueBodies(url.slice(url.lastIndexOf("/") + 1));

  const pendingKeys = new Set<string>();
  for (const body of [
    ...bodies(provisioned.queues.ingest),
    ...bodies(provisioned.queues.ingestDlq),
  ]) {
    const event = ObjectCreatedEventSchema.safeParse(safeJson(body));
    if (event.success) pendingKeys.add(event.data.detail.object.key);
  }
  const days = (await listBucket(clients.s3, provisioned.bucket))
    .flatMap((object) => (object.lastModified ? [utcDay(object.lastModified)] : []))
    .sort();
  let events = 0;
  const [from, to] = [days[0], days.at(-1)];
  if (from !== undefined && to !== undefined) {
    const { missingObjects } = await reconcile(
      {
        s3: clients.s3,
        db: clients.doc,
        table: provisioned.table,
        bucket: provisioned.bucket,
      },
      from,
      to,
    );
    events = await resendObjects(
      {
        sqs: clients.sqs,
        ingestQueueUrl: provisioned.queues.ingest,
        bucket: provisioned.bucket,
        region: deps.region,
        now: () => new Date(),
      },
      missingObjects.filter((object) => !pendingKeys.has(object.key)),
    );
  }

  const queuedTasks = new Set<string>();
  for (const body of [
    ...bodies(provisioned.queues.review),
    ...bodies(provisioned.queues.reviewDlq),
  ]) {
    const message = TaskMessageSchema.safeParse(safeJson(body));
    if (message.success) queuedTasks.add(message.data.taskId);
  }
  const lost: Task[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    // Tasks have no index by status; locally a scan of the one table is cheap enough.
    const page = await clients.doc.send(
      new ScanCommand({
        TableName: provisioned.table,
        FilterExpression: "begins_with(#pk, :task) AND #status <> :scored",
        ExpressionAttributeNames: { "#pk": "pk", "#status": "status" },
        ExpressionAttributeValues: { ":task": "TASK#", ":scored": "scored" },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const task = taskFromItem(item);
      if (!queuedTasks.has(task.taskId)) lost.push(task);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const unsent = await sendTasks(clients.sqs, provisioned.queues.review, lost);
  if (unsent.size > 0) throw new Error(`the review queue refused ${unsent.size} recovered tasks`);
  return { events, tasks: lost.length };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
