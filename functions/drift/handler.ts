import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DriftEnvSchema, parseEnv } from "../../shared/env";
import { driftEvent } from "./announce";
import { type DriftRunResult, runDrift, scheduledWeeks } from "./run";

const env = parseEnv(DriftEnvSchema);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const events = new EventBridgeClient({});

/**
 * Scheduled entry (Mondays, after period close): tests the week before last and the week
 * that just ended, each series once its week is complete enough (see {@link scheduledWeeks});
 * or only `event.week`.
 */
export const handler = async (
  event: { week?: string } = {},
): Promise<Array<Omit<DriftRunResult, "verdicts">>> => {
  const results: Array<Omit<DriftRunResult, "verdicts">> = [];
  for (const week of event.week ? [event.week] : scheduledWeeks(new Date())) {
    const { verdicts: _verdicts, ...result } = await runDrift(
      {
        db,
        table: env.TABLE_NAME,
        now: () => new Date(),
        announce: async (alerts) => {
          // PutEvents takes at most ten entries per call.
          for (let i = 0; i < alerts.length; i += 10) {
            const sent = await events.send(
              new PutEventsCommand({
                Entries: alerts.slice(i, i + 10).map((a) => ({
                  ...driftEvent(a),
                  EventBusName: env.EVENT_BUS_NAME,
                })),
              }),
            );
            if (sent.FailedEntryCount)
              throw new Error(`${sent.FailedEntryCount} drift events were not accepted`);
          }
        },
      },
      week,
    );
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
