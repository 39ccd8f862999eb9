import type { AwsClients } from "../../core/aws-clients";
import type { Alert } from "../../core/drift/alerts";
import type { DriftRunDeps } from "../../core/drift/run";

/**
 * The drift job's dependencies from the process's clients and configuration: the one place
 * they are put together, for the Lambda handler, the local runner and the CLI alike.
 * `announce` gets the new alerts of a run (EventBridge in AWS, the terminal locally).
 */
export function driftDeps(
  clients: Pick<AwsClients, "doc">,
  config: { table: string },
  announce: (alerts: Alert[]) => Promise<void> = async () => {},
  now: () => Date = () => new Date(),
): DriftRunDeps {
  return { db: clients.doc, table: config.table, now, announce };
}
