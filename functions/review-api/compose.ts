import type { AwsClients } from "../../core/aws-clients";
import type { ClaimLimits, ReviewDeps } from "../../core/review-api/review-queue";

/**
 * The review queue's dependencies from the process's clients and configuration: the one
 * place they are put together, for the Lambda handler and the local stack.
 */
export function reviewDeps(
  clients: Pick<AwsClients, "s3" | "doc" | "sqs">,
  config: { table: string; queueUrl: string; leaseSeconds: number; limits?: ClaimLimits },
  now: () => Date = () => new Date(),
): ReviewDeps {
  return {
    sqs: clients.sqs,
    db: clients.doc,
    s3: clients.s3,
    table: config.table,
    queueUrl: config.queueUrl,
    leaseSeconds: config.leaseSeconds,
    ...(config.limits ? { limits: config.limits } : {}),
    now,
  };
}
