import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Task, TaskMessage } from "../../shared/task";

/** SQS accepts at most ten entries per SendMessageBatch. */
const BATCH = 10;

/**
 * Sends review-queue messages for `tasks` in batches of ten; returns the tasks that SQS did
 * not accept (task id → why), so their source records can be retried.
 */
export async function sendTasks(
  sqs: SQSClient,
  queueUrl: string,
  tasks: readonly Task[],
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const batches: Task[][] = [];
  for (let i = 0; i < tasks.length; i += BATCH) batches.push(tasks.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      try {
        const result = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((task, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify({
                taskId: task.taskId,
                interactionId: task.interactionId,
              } satisfies TaskMessage),
            })),
          }),
        );
        for (const entry of result.Failed ?? []) {
          const task = batch[Number(entry.Id)];
          if (task) failed.set(task.taskId, `${entry.Code ?? "Failed"}: ${entry.Message ?? ""}`);
        }
      } catch (error) {
        const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        for (const task of batch) failed.set(task.taskId, why);
      }
    }),
  );
  return failed;
}
