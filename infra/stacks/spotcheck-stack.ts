import { readFileSync } from "node:fs";
import {
  Aws,
  CfnOutput,
  Duration,
  Fn,
  Names,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { EventBus, Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { type IRole, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { DestinationConfig, IDestination, IFunction } from "aws-cdk-lib/aws-lambda";
import type { CfnBucket } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { BROWSER_ASSETS } from "../../core/review-api/ui/assets";
import type {
  DriftEnv,
  EnvBinding,
  PeriodCloseEnv,
  ReviewApiEnv,
  SamplerEnv,
} from "../../shared/env";
import { parsePolicy } from "../../shared/policy";
import { dlqId, QUEUES, TABLE } from "../../shared/resources";
import { type ResolvedStageConfig, resolveStageConfig, type StageConfig } from "../config";
import { Alarms } from "../constructs/alarms";
import { Auth } from "../constructs/auth";
import { DataPlane } from "../constructs/data-plane";
import { SpotcheckFunction } from "../constructs/spotcheck-function";
import { WebApi } from "../constructs/web-api";

/** Properties of the {@link SpotcheckStack}. */
export interface SpotcheckStackProps extends StackProps {
  /** The stage's settings. */
  readonly config: StageConfig;
}

const POLICY_FILE = new URL("../../policy/sampling-policy.json", import.meta.url);

/** The account's default event bus, where the drift job announces new alerts. */
export const DRIFT_EVENT_BUS = "default";

/**
 * The item actions a function may be granted on the table. TransactWriteItems has no action
 * of its own: each of its items is authorised as the PutItem, UpdateItem, DeleteItem or
 * ConditionCheckItem it is. No Scan, no table management.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export const TABLE_DATA_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/** One of {@link TABLE_DATA_ACTIONS}. */
export type TableDataAction = (typeof TABLE_DATA_ACTIONS)[number];

/**
 * What each function sends to the table, and nothing more; `test/infra/grants.test.ts`
 * derives the same lists from the functions' code and fails when they differ.
 */
const READ_AND_WRITE = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
] as const;

export const FUNCTION_TABLE_ACTIONS = {
  // Get/BatchGet: replays and duplicates; Query: the roster; Put/Update: the ledger transaction.
  sampler: READ_AND_WRITE,
  periodClose: READ_AND_WRITE,
  reviewApi: [...READ_AND_WRITE, "dynamodb:DeleteItem"],
  drift: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
} as const satisfies Record<string, readonly TableDataAction[]>;

/**
 * What Lambda's SQS event source mapping calls with the function's role; CDK's
 * `SqsEventSource` would grant ChangeMessageVisibility and GetQueueUrl besides.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
 */
export const SQS_EVENT_SOURCE_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
] as const;

/**
 * One stage of Spotcheck: the data plane, the sampling key, the functions with their event
 * sources and schedules, the reviewers' HTTP API behind Cognito, and the alarms.
 */
export class SpotcheckStack extends Stack {
  /** The resolved stage settings. */
  readonly config: ResolvedStageConfig;
  /** Bucket, queues and table. */
  readonly dataPlane: DataPlane;
  /** The keyed-hash sampling key. */
  readonly samplingKey: Secret;
  /** Where scheduled invocations go when they keep failing. */
  readonly jobFailures: Queue;
  /** User pool, groups, domain and the pages' app client. */
  readonly auth: Auth;
  /** The HTTP API serving pages and the review API. */
  readonly webApi: WebApi;
  /** Topic and alarms. */
  readonly alarms: Alarms;
  /** The functions, by name. */
  readonly functions: {
    sampler: SpotcheckFunction;
    periodClose: SpotcheckFunction;
    reviewApi: SpotcheckFunction;
    drift: SpotcheckFunction;
  };

  constructor(scope: Construct, id: string, props: SpotcheckStackProps) {
    super(scope, id, props);
    const config = resolveStageConfig(props.config);
    this.config = config;
    const { removalPolicy, logRetention } = config;

    this.dataPlane = new DataPlane(this, "DataPlane", {
      removalPolicy,
      tableDeletionProtection: config.tableDeletionProtection,
    });
    const { bucket, table, ingestQueue, ingestDlq, reviewQueue, reviewDlq } = this.dataPlane;
    const samplingPolicy = JSON.stringify(JSON.parse(readFileSync(POLICY_FILE, "utf8")));
    const reviewLimits = parsePolicy(
      JSON.parse(samplingPolicy),
      "policy/sampling-policy.json",
    ).review;

    this.samplingKey = new Secret(this, "SamplingKey", {
      description:
        "Spotcheck keyed-hash sampling key. Changing it changes every sampling decision: rotate only with a new sampling policy version.",
      // Secrets Manager cannot generate hex; the sampler reads any other string as UTF-8 bytes.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    Validations.of(this.samplingKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The sampling key must not rotate on a timer: a new key changes every sampling decision, so it is rotated by hand together with a new sampling policy version (docs/operations.md).",
    });

    this.jobFailures = new Queue(this, "JobFailures", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const rule of ["AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy"]) {
      Validations.of(this.jobFailures).acknowledge({
        id: rule,
        reason:
          "This queue is itself a dead-letter queue: the scheduled functions' on-failure destination and their schedule rules' DLQ.",
      });
    }

    const functionDefaults = { logRetention, removalPolicy } as const;

    // Sampler: S3 "Object Created" events from the ingest queue, in batches.
    const sampler = new SpotcheckFunction(this, "Sampler", {
      ...functionDefaults,
      entry: "functions/sampler/handler.ts",
      description: "Normalises each new transcript, records it and decides whether it is sampled",
      memorySize: config.samplerMemorySize,
      // The ingest queue's visibility timeout is six times this, as AWS advises for SQS sources.
      timeout: Duration.seconds(QUEUES.ingest.visibilityTimeoutSeconds / 6),
      environment: {
        POWERTOOLS_SERVICE_NAME: "spotcheck-sampler",
        TABLE_NAME: table.tableName,
        TRANSCRIPTS_BUCKET: bucket.bucketName,
        REVIEW_QUEUE_URL: reviewQueue.queueUrl,
        SAMPLING_KEY_SECRET_ID: this.samplingKey.secretArn,
        SAMPLING_POLICY: samplingPolicy,
        ...(config.keyTemplate ? { KEY_TEMPLATE: config.keyTemplate } : {}),
      } satisfies EnvBinding<SamplerEnv>,
    });
    if (config.samplerBatchSize > 10 && config.samplerBatchWindow.toSeconds() === 0) {
      throw new Error("samplerBatchSize above 10 needs a samplerBatchWindow of at least 1 second");
    }
    // The mapping SqsEventSource would create, under the id it would use (so the logical id,
    // and the deployed mapping, stay), without the grants it would add: see SQS_EVENT_SOURCE_ACTIONS.
    sampler.function.addEventSourceMapping(
      `SqsEventSource:${Names.nodeUniqueId(ingestQueue.node)}`,
      {
        eventSourceArn: ingestQueue.queueArn,
        batchSize: config.samplerBatchSize,
        maxBatchingWindow: config.samplerBatchWindow,
        reportBatchItemFailures: true,
        maxConcurrency: config.samplerMaxConcurrency,
      },
    );
    sampler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...SQS_EVENT_SOURCE_ACTIONS],
        resources: [ingestQueue.queueArn],
      }),
    );
    this.grantTableData(sampler.role, FUNCTION_TABLE_ACTIONS.sampler);
    reviewQueue.grant(sampler.role, "sqs:SendMessage");
    sampler.role.addToPrincipalPolicy(
      new PolicyStatement({
        // GetObjectVersion: events of a versioned bucket name the version the sampler reads.
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [bucket.arnForObjects("*")],
      }),
    );
    this.grantListTranscripts(sampler.role);
    sampler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [this.samplingKey.secretArn],
      }),
    );
    this.acknowledgeTranscriptReads(sampler);
    Validations.of(sampler).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason:
        "Invoked synchronously by the SQS event source, never asynchronously: a record that keeps failing moves to the ingest DLQ through the queue's redrive policy.",
    });
    Validations.of(sampler).acknowledge({
      id: "Serverless-LambdaEventSourceMappingDestination",
      reason:
        "Lambda supports no on-failure destination for SQS event sources; the ingest queue's redrive policy sends a failing record to the ingest DLQ, which alarms.",
    });

    // Period close: weekly per-agent floor top-ups.
    const periodClose = new SpotcheckFunction(this, "PeriodClose", {
      ...functionDefaults,
      entry: "functions/period-close/handler.ts",
      description: "Tops up every agent-week of the week that ended below the per-agent floor",
      memorySize: 512,
      // Weekly and idempotent: a run cut short is retried and skips what it already added.
      timeout: Duration.minutes(15),
      onFailure: new SendOnlyQueueDestination(this.jobFailures),
      environment: {
        POWERTOOLS_SERVICE_NAME: "spotcheck-period-close",
        TABLE_NAME: table.tableName,
        REVIEW_QUEUE_URL: reviewQueue.queueUrl,
        SAMPLING_POLICY: samplingPolicy,
      } satisfies EnvBinding<PeriodCloseEnv>,
    });
    this.grantTableData(periodClose.role, FUNCTION_TABLE_ACTIONS.periodClose);
    Validations.of(periodClose).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason:
        "Failed asynchronous invocations go to the job-failures queue through an on-failure destination, which records the error as well; a DLQ would duplicate it.",
    });
    reviewQueue.grant(periodClose.role, "sqs:SendMessage");
    this.schedule(
      "PeriodCloseSchedule",
      periodClose,
      Schedule.cron({ weekDay: "MON", hour: "2", minute: "0" }),
      "Closes the ISO week that just ended (Mondays 02:00 UTC)",
    );

    // The web pages and the review API, behind the HTTP API.
    this.webApi = new WebApi(this, "WebApi", {
      throttle: config.apiThrottle,
      readThrottle: config.readApiThrottle,
      reviewThrottle: config.reviewApiThrottle,
      logRetention,
      removalPolicy,
    });
    this.auth = new Auth(this, "Auth", {
      appUrl: this.webApi.url,
      domainPrefix:
        config.authDomainPrefix ?? Fn.join("-", ["spotcheck", config.stage, Aws.ACCOUNT_ID]),
      removalPolicy,
      deletionProtection: config.tableDeletionProtection,
    });
    const reviewApi = new SpotcheckFunction(this, "ReviewApi", {
      ...functionDefaults,
      entry: "functions/review-api/handler.ts",
      description: "Reviewer pages and the review API (claim, read, score)",
      memorySize: 512,
      // API Gateway gives up on an integration after 30 s.
      timeout: Duration.seconds(20),
      environment: {
        POWERTOOLS_SERVICE_NAME: "spotcheck-review-api",
        TABLE_NAME: table.tableName,
        REVIEW_QUEUE_URL: reviewQueue.queueUrl,
        TRANSCRIPTS_BUCKET: bucket.bucketName,
        JWT_ISSUER: this.auth.issuer,
        JWT_AUDIENCE: this.auth.client.userPoolClientId,
        LEASE_SECONDS: String(QUEUES.review.visibilityTimeoutSeconds),
        REVIEW_MAX_CLAIMS: String(reviewLimits.maxClaimsPerReviewer),
        REVIEW_MAX_LEASE_SECONDS: String(reviewLimits.maxLeaseMinutes * 60),
        COGNITO_DOMAIN_URL: this.auth.domainUrl,
        COGNITO_CLIENT_ID: this.auth.client.userPoolClientId,
      } satisfies EnvBinding<ReviewApiEnv>,
      // The pages load their scripts from the app's own origin; the handler reads them from
      // `assets/` beside itself. The page bundles are built here from web/, never copied from
      // an earlier build.
      afterBundling: (inputDir, outputDir) => [
        `mkdir -p "${outputDir}/assets"`,
        `(cd "${inputDir}" && node --import tsx web/build.ts "${outputDir}/assets")`,
        ...BROWSER_ASSETS.map(
          (asset) =>
            `cp "${inputDir}/node_modules/${asset.packageFile}" "${outputDir}/assets/${asset.name}"`,
        ),
      ],
    });
    this.grantTableData(reviewApi.role, FUNCTION_TABLE_ACTIONS.reviewApi);
    reviewQueue.grant(
      reviewApi.role,
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:SendMessage",
      // A claim that comes back empty checks the visible count before answering 204.
      "sqs:GetQueueAttributes",
    );
    reviewApi.role.addToPrincipalPolicy(
      // GetObjectVersion: reviewers are shown the exact version the sampler read.
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [bucket.arnForObjects("*")],
      }),
    );
    this.grantListTranscripts(reviewApi.role);
    this.acknowledgeTranscriptReads(reviewApi);
    Validations.of(reviewApi).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason:
        "Invoked synchronously by API Gateway, never asynchronously: a failed request is answered with an error, there is no event to keep.",
    });
    this.webApi.serve(
      reviewApi.function,
      new HttpUserPoolAuthorizer("Cognito", this.auth.userPool, {
        userPoolClients: [this.auth.client],
      }),
    );

    // Drift: weekly, once period close has topped up the week that ended.
    const drift = new SpotcheckFunction(this, "Drift", {
      ...functionDefaults,
      entry: "functions/drift/handler.ts",
      description: "Tests every vendor, channel and dimension series for drift and raises alerts",
      memorySize: 512,
      timeout: Duration.minutes(5),
      onFailure: new SendOnlyQueueDestination(this.jobFailures),
      environment: {
        POWERTOOLS_SERVICE_NAME: "spotcheck-drift",
        TABLE_NAME: table.tableName,
        EVENT_BUS_NAME: DRIFT_EVENT_BUS,
      } satisfies EnvBinding<DriftEnv>,
    });
    this.grantTableData(drift.role, FUNCTION_TABLE_ACTIONS.drift);
    EventBus.fromEventBusName(this, "DefaultBus", DRIFT_EVENT_BUS).grantPutEventsTo(drift.role);
    Validations.of(drift).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason:
        "Failed asynchronous invocations go to the job-failures queue through an on-failure destination, which records the error as well; a DLQ would duplicate it.",
    });
    this.schedule(
      "DriftSchedule",
      drift,
      Schedule.cron({ weekDay: "MON", hour: "6", minute: "0" }),
      "Tests for drift once period close is done (Mondays 06:00 UTC)",
    );

    this.functions = { sampler, periodClose, reviewApi, drift };

    this.alarms = new Alarms(this, "Alarms", { removalPolicy });
    this.alarms.deadLetterQueue("IngestDlqMessages", ingestDlq, "The ingest dead-letter queue");
    this.alarms.deadLetterQueue("ReviewDlqMessages", reviewDlq, "The review dead-letter queue");
    this.alarms.deadLetterQueue(
      "JobFailureMessages",
      this.jobFailures,
      "The scheduled-job failure queue",
    );
    this.alarms.queueAge(
      "ReviewBacklog",
      reviewQueue,
      config.reviewBacklogAlarmAge,
      "The oldest review task",
    );
    this.alarms.apiServerErrors("ApiServerErrors", this.webApi.httpApi);
    for (const [name, fn] of Object.entries(this.functions)) {
      this.alarms.functionHealth(name[0]?.toUpperCase() + name.slice(1), fn.function);
    }

    new CfnOutput(this, "ApiUrl", {
      value: this.webApi.url,
      description: "Origin of the reviewer pages and the API",
    });
    new CfnOutput(this, "ReviewerUrl", {
      value: `${this.webApi.url}/review`,
      description: "The reviewer page",
    });
    new CfnOutput(this, "TranscriptsBucketName", { value: bucket.bucketName });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, `${QUEUES.ingest.id}QueueUrl`, { value: ingestQueue.queueUrl });
    new CfnOutput(this, `${dlqId(QUEUES.ingest)}Url`, { value: ingestDlq.queueUrl });
    new CfnOutput(this, `${QUEUES.review.id}QueueUrl`, { value: reviewQueue.queueUrl });
    new CfnOutput(this, `${dlqId(QUEUES.review)}Url`, { value: reviewDlq.queueUrl });
    new CfnOutput(this, "JobFailuresQueueUrl", { value: this.jobFailures.queueUrl });
    new CfnOutput(this, "UserPoolId", { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, "SignInDomainUrl", { value: this.auth.domainUrl });
    new CfnOutput(this, "SamplingKeySecretArn", { value: this.samplingKey.secretArn });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    new CfnOutput(this, "PeriodCloseFunctionName", {
      value: periodClose.function.functionName,
      description: 'Invoke with {"week":"2026-W47"} to close a week by hand',
    });
    new CfnOutput(this, "DriftFunctionName", {
      value: drift.function.functionName,
      description: 'Invoke with {"week":"2026-W47"} to test a week for drift by hand',
    });
  }

  /**
   * `actions` on the table and, if one of them is Query, Query on each of its indexes by name:
   * `Table.grantReadWriteData` would add `<table>/index/*` and actions the functions never use.
   */
  private grantTableData(role: IRole, actions: readonly TableDataAction[]): void {
    const { tableArn } = this.dataPlane.table;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources: [tableArn] }),
    );
    if (!actions.includes("dynamodb:Query")) return;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: TABLE.globalSecondaryIndexes.map(
          (index) => `${tableArn}/index/${index.indexName}`,
        ),
      }),
    );
  }

  /**
   * ListBucket on the transcripts bucket, for a function that reads objects: without it S3
   * answers a GetObject of a missing key with 403 AccessDenied instead of 404 NoSuchKey, so a
   * deleted object looks like a permissions fault and the sampler's fallback to the
   * percent-decoded key never runs.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
   */
  private grantListTranscripts(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["s3:ListBucket"],
        resources: [this.dataPlane.bucket.bucketArn],
      }),
    );
  }

  /** Acknowledges the object wildcard of a function that may read any transcript. */
  private acknowledgeTranscriptReads(fn: SpotcheckFunction): void {
    const bucket = this.dataPlane.bucket.node.defaultChild as CfnBucket;
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(bucket)}.Arn>/*]`,
      reason:
        "Reads transcripts by key, and exports may use any key in the transcripts bucket; the wildcard covers only that one bucket's objects, and only object reads.",
    });
  }

  /** Invokes a function on a schedule; failed invocations end in the job-failures queue. */
  private schedule(id: string, fn: SpotcheckFunction, schedule: Schedule, description: string) {
    return new Rule(this, id, {
      description,
      schedule,
      targets: [
        new LambdaFunction(fn.function, {
          deadLetterQueue: this.jobFailures,
          retryAttempts: 2,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}

/**
 * An SQS queue as the on-failure destination of asynchronous invocations, granting only
 * SendMessage, which is all Lambda calls; `SqsDestination` would grant GetQueueAttributes and
 * GetQueueUrl besides.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
class SendOnlyQueueDestination implements IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.queue.queueArn] }),
    );
    return { destination: this.queue.queueArn };
  }
}
