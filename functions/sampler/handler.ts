import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parseEnv, SamplerEnvSchema } from "../../shared/env";
import { parsePolicy } from "../../shared/policy";
import { processIngestBatch } from "./process-batch";
import { InvocationError, logRecordFailure, recordFailure } from "./record-failure";
import { createRosterCache } from "./roster";
import { samplingKeyFromSecret } from "./sampling-key";

// Read once per cold start; a bad environment or policy fails loudly here, not per record.
const env = parseEnv(SamplerEnvSchema);
const policy = parsePolicy(JSON.parse(env.SAMPLING_POLICY), "SAMPLING_POLICY");
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
// The namespace comes from POWERTOOLS_METRICS_NAMESPACE, which the stack sets.
const metrics = new Metrics({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const s3 = new S3Client({});
const sqs = new SQSClient({});
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const secrets = new SecretsManagerClient({});
const roster = createRosterCache(db, env.TABLE_NAME);
let samplingKey: Promise<Uint8Array> | undefined;

/** Reads the sampling key once per cold start; see {@link samplingKeyFromSecret} for its format. */
async function loadKey(): Promise<Uint8Array> {
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: env.SAMPLING_KEY_SECRET_ID }),
  );
  if (!secret.SecretString) throw new Error("the sampling key secret has no string value");
  return samplingKeyFromSecret(secret.SecretString);
}

/** Lambda entry: SQS batches of S3 "Object Created" events from the ingest queue. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  samplingKey ??= loadKey().catch((error: unknown) => {
    samplingKey = undefined;
    throw error;
  });
  let key: Uint8Array;
  try {
    key = await samplingKey;
  } catch (error) {
    // The whole batch returns to the queue: say so for each record, as for a record failure.
    const cause = new InvocationError(`the sampling key could not be read: ${String(error)}`, {
      cause: error,
    });
    for (const record of event.Records) logRecordFailure(logger, recordFailure(record, cause));
    throw cause;
  }
  try {
    return await processIngestBatch(
      {
        s3,
        db,
        sqs,
        table: env.TABLE_NAME,
        reviewQueueUrl: env.REVIEW_QUEUE_URL,
        key,
        policy,
        ...(env.KEY_TEMPLATE ? { keyTemplate: env.KEY_TEMPLATE } : {}),
        roster,
        now: () => new Date(),
        onOutcome: (outcome, record) => {
          logger.info("ingested", { messageId: record.messageId, outcome: outcome.outcome });
          metrics.addMetric(`outcome_${outcome.outcome}`, MetricUnit.Count, 1);
          if (outcome.outcome === "ledger" && outcome.sampled)
            metrics.addMetric("sampled", MetricUnit.Count, 1);
        },
        onRecordError: (_error, _record, failure) => {
          logRecordFailure(logger, failure);
          metrics.addMetric("record_retried", MetricUnit.Count, 1);
        },
      },
      event,
    );
  } finally {
    // A batch of skipped events (e.g. folder markers) adds none; publishing nothing would warn.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};
