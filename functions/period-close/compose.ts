import type { AwsClients } from "../../core/aws-clients";
import type { PeriodCloseDeps } from "../../core/period-close/close-week";
import type { SamplingPolicy } from "../../shared/policy";

/**
 * Period close's dependencies from the process's clients and configuration: the one place
 * they are put together, for the Lambda handler, the local runner and the CLI alike.
 */
export function periodCloseDeps(
  clients: Pick<AwsClients, "doc" | "sqs">,
  config: { table: string; reviewQueueUrl: string; policy: SamplingPolicy },
  now: () => Date = () => new Date(),
): PeriodCloseDeps {
  return { db: clients.doc, sqs: clients.sqs, ...config, now };
}
