import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { awsClients } from "../../core/aws-clients";
import { type CloseWeekResult, closeWeek } from "../../core/period-close/close-week";
import { PeriodCloseEnvSchema, parseEnv } from "../../shared/env";
import { parsePolicy } from "../../shared/policy";
import { isoWeek } from "../../shared/time";
import { periodCloseDeps } from "./compose";

// Read once per cold start; a bad environment or policy fails loudly here.
const env = parseEnv(PeriodCloseEnvSchema);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const deps = periodCloseDeps(awsClients(), {
  table: env.TABLE_NAME,
  reviewQueueUrl: env.REVIEW_QUEUE_URL,
  policy: parsePolicy(JSON.parse(env.SAMPLING_POLICY), "SAMPLING_POLICY"),
});

/** Scheduled entry (Mondays): closes the ISO week that just ended, or `event.week`. */
export const handler = async (
  event: { week?: string } = {},
  context?: Context,
): Promise<CloseWeekResult> => {
  if (context) logger.addContext(context);
  const week = event.week ?? isoWeek(new Date(Date.now() - 7 * 86_400_000));
  const result = await closeWeek(deps, week);
  logger.info("period closed", { ...result });
  return result;
};
