import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { type Attribute, AttributeType, Billing, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Rule } from "aws-cdk-lib/aws-events";
import { SqsQueue } from "aws-cdk-lib/aws-events-targets";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { BUCKET, type KeyAttribute, QUEUES, TABLE } from "../../shared/resources";
import { SecureQueue } from "./secure-queue";

/** Properties of the {@link DataPlane}. */
export interface DataPlaneProps {
  /**
   * Removal policy of the transcripts bucket and the table.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection on the table.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
  /**
   * Days the transcripts bucket's server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

const ATTRIBUTE_TYPES = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
} as const satisfies Record<KeyAttribute["type"], AttributeType>;

const toAttribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: ATTRIBUTE_TYPES[key.type],
});

/**
 * The stateful core, built from the plain definitions in `shared/resources.ts`: the
 * transcripts bucket, whose "Object Created" events reach the ingest queue through
 * EventBridge; the ingest and review queues with their DLQs; and the single table. The
 * transcripts bucket's server access logs go to a second, private bucket that exists only in
 * AWS. It carries no business logic.
 */
export class DataPlane extends Construct {
  /** Transcript exports land here. */
  readonly bucket: Bucket;
  /** The transcripts bucket's server access logs: who read or wrote which transcript. */
  readonly accessLogsBucket: Bucket;
  /** The single table (ledger, tasks, scores, rollups, alerts, roster). */
  readonly table: TableV2;
  /** S3 "Object Created" events for the sampler. */
  readonly ingestQueue: Queue;
  /** Ingest events that failed processing or delivery. */
  readonly ingestDlq: Queue;
  /** Sampled interactions waiting for a reviewer. */
  readonly reviewQueue: Queue;
  /** Review tasks that failed processing. */
  readonly reviewDlq: Queue;

  constructor(scope: Construct, id: string, props: DataPlaneProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // AWS-only: the local stack has no access logging to mirror.
    this.accessLogsBucket = new Bucket(this, "AccessLogs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Server access logging can only deliver to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 365) }],
      removalPolicy,
    });

    this.bucket = new Bucket(this, BUCKET.id, {
      versioned: BUCKET.versioned,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${BUCKET.id.toLowerCase()}/`,
      removalPolicy,
    });

    // Set on the CloudFormation resource rather than through `eventBridgeEnabled`, which
    // deploys a custom-resource Lambda that rewrites the bucket's whole notification config.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: BUCKET.eventBridgeEnabled },
    };

    const ingest = new SecureQueue(this, QUEUES.ingest.id, { definition: QUEUES.ingest });
    this.ingestQueue = ingest.queue;
    this.ingestDlq = ingest.dlq;

    const review = new SecureQueue(this, QUEUES.review.id, { definition: QUEUES.review });
    this.reviewQueue = review.queue;
    this.reviewDlq = review.dlq;

    this.table = new TableV2(this, "Table", {
      partitionKey: toAttribute(TABLE.partitionKey),
      sortKey: toAttribute(TABLE.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      globalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: toAttribute(index.partitionKey),
        sortKey: toAttribute(index.sortKey),
      })),
      deletionProtection: props.tableDeletionProtection ?? true,
      removalPolicy,
    });

    new Rule(this, "ObjectCreated", {
      description: "S3 Object Created events of the transcripts bucket, to the ingest queue",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [this.bucket.bucketName] } },
      },
      // Events EventBridge cannot deliver land in the ingest DLQ too: the body is the same
      // event, so one redrive replays both kinds of failure.
      targets: [new SqsQueue(this.ingestQueue, { deadLetterQueue: this.ingestDlq })],
    });
  }
}
