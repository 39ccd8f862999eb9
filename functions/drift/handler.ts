import { Logger } from "@aws-lambda-powertools/logger";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { Context } from "aws-lambda";
import { awsClients } from "../../core/aws-clients";
import type { Alert } from "../../core/drift/alerts";
import { driftEvent } from "../../core/drift/announce";
import { type DriftRunResult, runDrift, scheduledWeeks } from "../../core/drift/run";
import { DriftEnvSchema, parseEnv } from "../../shared/env";
import { driftDeps } from "./compose";

const env = parseEnv(DriftEnvSchema);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const events = new EventBridgeClient({});

/** Announces new alerts on the stack's event bus; PutEvents takes at most ten entries a call. */
async function announce(alerts: Alert[]): Promise<void> {
  for (let i = 0; i < alerts.length; i += 10) {
    const sent = await events.send(
      new PutEventsCommand({
        Entries: alerts
          .slice(i, i + 10)
          .map((a) => ({ ...driftEvent(a), EventBusName: env.EVENT_BUS_NAME })),
      }),
    );
    if (sent.FailedEntryCount)
      throw new Error(`${sent.FailedEntryCount} drift events were not accepted`);
  }
}

const deps = driftDeps(awsClients(), { table: env.TABLE_NAME }, announce);

/**
 * Scheduled entry (Mondays, after period close): tests the week before last and the week
 * that just ended, each series once its week is complete enough (see {@link scheduledWeeks});
 * or only `event.week`.
 */
export const handler = async (
  event: { week?: string } = {},
  context?: Context,
): Promise<Array<Omit<DriftRunResult, "verdicts">>> => {
  if (context) logger.addContext(context);
  const results: Array<Omit<DriftRunResult, "verdicts">> = [];
  for (const week of event.week ? [event.week] : scheduledWeeks(new Date())) {
    const { verdicts: _verdicts, ...result } = await runDrift(deps, week);
    logger.info("drift evaluated", {
      week: result.week,
      series: result.series,
      tested: result.tested,
      incomplete: result.incomplete,
      flagged: result.flagged,
      newAlerts: result.newAlerts.length,
    });
    results.push(result);
  }
  return results;
};
