import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { LocalStack } from "../../local/stack";

/** Waits until every uploaded object's event was delivered and the sampler has drained them. */
export async function settle(stack: LocalStack): Promise<void> {
  await stack.bridge.drain();
  await stack.sampler?.idle();
}

/** Messages on a queue, visible or in flight. */
export async function queueDepth(stack: LocalStack, url: string): Promise<number> {
  const { Attributes = {} } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}
