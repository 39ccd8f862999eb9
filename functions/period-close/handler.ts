import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PeriodCloseEnvSchema, parseEnv } from "../../shared/env";
import { parsePolicy } from "../../shared/policy";
import { isoWeek } from "../../shared/time";
import { type CloseWeekResult, closeWeek } from "./close-week";

const env = parseEnv(PeriodCloseEnvSchema);
const policy = parsePolicy(JSON.parse(env.SAMPLING_POLICY), "SAMPLING_POLICY");
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const sqs = new SQSClient({});

/** Scheduled entry (Mondays): closes the ISO week that just ended, or `event.week`. */
export const handler = async (event: { week?: string } = {}): Promise<CloseWeekResult> => {
  const week = event.week ?? isoWeek(new Date(Date.now() - 7 * 86_400_000));
  const result = await closeWeek(
    {
      db,
      sqs,
      table: env.TABLE_NAME,
      reviewQueueUrl: env.REVIEW_QUEUE_URL,
      policy,
      now: () => new Date(),
    },
    week,
  );
  logger.info("period closed", { ...result });
  return result;
};
