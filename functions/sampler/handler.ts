import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { awsClients } from "../../core/aws-clients";
import { type IngestBatchDeps, processIngestBatch } from "../../core/sampler/process-batch";
import {
  InvocationError,
  logRecordFailure,
  recordFailure,
} from "../../core/sampler/record-failure";
import { samplingKeyFromSecret } from "../../core/sampler/sampling-key";
import { parseEnv, SamplerEnvSchema } from "../../shared/env";
import { parsePolicy } from "../../shared/policy";
import { ingestDeps, type SamplerConfig } from "./compose";

// Read once per cold start; a bad environment or policy fails loudly here, not per record.
const env = parseEnv(SamplerEnvSchema);
const policy = parsePolicy(JSON.parse(env.SAMPLING_POLICY), "SAMPLING_POLICY");
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME });
// The namespace comes from POWERTOOLS_METRICS_NAMESPACE, which the stack sets.
const metrics = new Metrics({ serviceName: env.POWERTOOLS_SERVICE_NAME });
const clients = awsClients();
const secrets = new SecretsManagerClient({});
// The key comes from Secrets Manager on the first batch, so the deps are built then.
let deps: Promise<IngestBatchDeps> | undefined;

/** Reads the sampling key once per cold start; see {@link samplingKeyFromSecret} for its format. */
async function loadKey(): Promise<Uint8Array> {
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: env.SAMPLING_KEY_SECRET_ID }),
  );
  if (!secret.SecretString) throw new Error("the sampling key secret has no string value");
  return samplingKeyFromSecret(secret.SecretString);
}

function samplerConfig(key: Uint8Array): SamplerConfig {
  return {
    table: env.TABLE_NAME,
    reviewQueueUrl: env.REVIEW_QUEUE_URL,
    key,
    policy,
    ...(env.KEY_TEMPLATE ? { keyTemplate: env.KEY_TEMPLATE } : {}),
  };
}

const hooks: Pick<IngestBatchDeps, "onOutcome" | "onRecordError"> = {
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
};

/** Lambda entry: SQS batches of S3 "Object Created" events from the ingest queue. */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) logger.addContext(context);
  deps ??= loadKey().then(
    (key) => ingestDeps(clients, samplerConfig(key), hooks),
    (error: unknown) => {
      deps = undefined;
      throw error;
    },
  );
  let ready: IngestBatchDeps;
  try {
    ready = await deps;
  } catch (error) {
    // The whole batch returns to the queue: say so for each record, as for a record failure.
    const cause = new InvocationError(`the sampling key could not be read: ${String(error)}`, {
      cause: error,
    });
    for (const record of event.Records) logRecordFailure(logger, recordFailure(record, cause));
    throw cause;
  }
  try {
    return await processIngestBatch(ready, event);
  } finally {
    // A batch of skipped events (e.g. folder markers) adds none; publishing nothing would warn.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
};
