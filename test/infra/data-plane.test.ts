import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { STAGE_CONFIGS, type StageConfig, stageConfigFor } from "../../infra/config";
import { type KeyAttribute, QUEUES, type QueueDefinition, TABLE } from "../../shared/resources";
import {
  type CfnResource,
  getAttArn,
  logicalId,
  resource,
  resourcesOfType,
  synthStack as synth,
} from "./helpers";

const denyInsecureTransport = (action: string) => ({
  Effect: "Deny",
  Action: action,
  Principal: { AWS: "*" },
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

const keySchema = (partitionKey: KeyAttribute, sortKey: KeyAttribute) => [
  { AttributeName: partitionKey.name, KeyType: "HASH" },
  { AttributeName: sortKey.name, KeyType: "RANGE" },
];

describe("DataPlane", () => {
  const { stack, template } = synth(STAGE_CONFIGS.dev);
  const { dataPlane } = stack;
  const bucketId = logicalId(stack, dataPlane.bucket);
  const tableId = logicalId(stack, dataPlane.table);
  const ingestId = logicalId(stack, dataPlane.ingestQueue);
  const ingestDlqId = logicalId(stack, dataPlane.ingestDlq);

  // Keyed like QUEUES, so a queue added to shared/resources.ts without a test fails to compile.
  const queues = {
    ingest: { queue: dataPlane.ingestQueue, dlq: dataPlane.ingestDlq },
    review: { queue: dataPlane.reviewQueue, dlq: dataPlane.reviewDlq },
  } satisfies Record<keyof typeof QUEUES, unknown>;
  const queueCases = (Object.keys(queues) as (keyof typeof QUEUES)[]).map((name) => ({
    name,
    definition: QUEUES[name] as QueueDefinition,
    queueId: logicalId(stack, queues[name].queue),
    dlqId: logicalId(stack, queues[name].dlq),
  }));

  describe("transcripts bucket", () => {
    it("is versioned, S3-SSE encrypted, owner-enforced and blocks all public access", () => {
      expect(resource(template, bucketId).Properties).toMatchObject({
        VersioningConfiguration: { Status: "Enabled" },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      });
    });

    it("sends its events to EventBridge natively, with no custom-resource Lambda", () => {
      expect(resource(template, bucketId).Properties).toMatchObject({
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      });
      template.resourceCountIs("Custom::S3BucketNotifications", 0);
      // Only Spotcheck's own functions: no CDK-provided custom-resource handler.
      template.resourceCountIs("AWS::Lambda::Function", Object.keys(stack.functions).length);
    });

    it("writes server access logs to an encrypted, SSL-only, private bucket that expires them", () => {
      const logsId = logicalId(stack, dataPlane.accessLogsBucket);
      expect(resource(template, bucketId).Properties).toMatchObject({
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
      });
      expect(resource(template, logsId).Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: "Enabled" }] },
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: logsId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike(denyInsecureTransport("s3:*")),
            Match.objectLike({
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
            }),
          ]),
        },
      });
    });

    it("has a policy denying requests without TLS", () => {
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike(denyInsecureTransport("s3:*"))]),
        },
      });
    });
  });

  describe("queues", () => {
    it("has exactly one work queue and one DLQ per definition, plus the job-failures queue", () => {
      template.resourceCountIs("AWS::SQS::Queue", 2 * Object.keys(QUEUES).length + 1);
    });

    it("redrives every work queue into a DLQ; the job-failures queue is itself a dead end", () => {
      const jobFailuresId = logicalId(stack, stack.jobFailures);
      const all = resourcesOfType(template, "AWS::SQS::Queue");
      const redriveTarget = (queue: CfnResource) => {
        const policy = queue.Properties?.RedrivePolicy as
          | { deadLetterTargetArn?: { "Fn::GetAtt"?: [string, string] } }
          | undefined;
        return policy?.deadLetterTargetArn?.["Fn::GetAtt"]?.[0];
      };
      const dlqIds = new Set(
        Object.values(all)
          .map(redriveTarget)
          .filter((id) => id),
      );

      expect(dlqIds.size).toBe(Object.keys(QUEUES).length);
      for (const [id, queue] of Object.entries(all)) {
        if (dlqIds.has(id) || id === jobFailuresId) {
          expect(redriveTarget(queue), `${id} is a DLQ with its own redrive`).toBeUndefined();
        } else {
          expect(dlqIds.has(redriveTarget(queue)), `${id} has no DLQ`).toBe(true);
        }
      }
    });

    it.each(queueCases)("$name queue matches its definition", ({ definition, queueId, dlqId }) => {
      expect(resource(template, queueId).Properties).toEqual({
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        MessageRetentionPeriod: definition.retentionSeconds,
        RedrivePolicy: {
          deadLetterTargetArn: getAttArn(dlqId),
          maxReceiveCount: definition.maxReceiveCount,
        },
        SqsManagedSseEnabled: true,
      });
      expect(resource(template, dlqId).Properties).toEqual({
        MessageRetentionPeriod: definition.dlqRetentionSeconds,
        SqsManagedSseEnabled: true,
      });
    });

    it("gives every queue a policy denying requests without TLS", () => {
      const queueIds = Object.keys(resourcesOfType(template, "AWS::SQS::Queue"));
      for (const id of queueIds) {
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ ...denyInsecureTransport("sqs:*"), Resource: getAttArn(id) }),
            ]),
          },
        });
      }
    });
  });

  describe("table", () => {
    const table = () => resource(template, tableId).Properties ?? {};

    it("has the key schema and attribute types of TABLE", () => {
      const keys = [
        TABLE.partitionKey,
        TABLE.sortKey,
        ...TABLE.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];
      expect(table().KeySchema).toEqual(keySchema(TABLE.partitionKey, TABLE.sortKey));
      expect(table().AttributeDefinitions).toEqual(
        keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
      );
    });

    it("has exactly the global secondary indexes of TABLE, projecting all attributes", () => {
      expect(table().GlobalSecondaryIndexes).toEqual(
        TABLE.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: "ALL" },
        })),
      );
    });

    it("is on-demand with point-in-time recovery and TTL", () => {
      expect(table()).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      });
    });
  });

  describe("object-created rule", () => {
    it("matches the bucket's Object Created events and targets the ingest queue, with its DLQ", () => {
      template.hasResourceProperties("AWS::Events::Rule", {
        EventPattern: Match.exact({
          source: ["aws.s3"],
          "detail-type": ["Object Created"],
          detail: { bucket: { name: [{ Ref: bucketId }] } },
        }),
        Targets: [
          Match.objectLike({
            Arn: getAttArn(ingestId),
            DeadLetterConfig: { Arn: getAttArn(ingestDlqId) },
          }),
        ],
      });
    });

    it("lets only that rule send to the ingest queue", () => {
      const [ruleId] = Object.keys(template.findResources("AWS::Events::Rule"));
      expect(ruleId).toBeDefined();
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: ingestId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: Match.arrayWith(["sqs:SendMessage"]),
              Condition: { ArnEquals: { "aws:SourceArn": getAttArn(ruleId ?? "") } },
            }),
          ]),
        },
      });
    });
  });

  it("outputs the bucket, table and queue names", () => {
    const outputs = {
      TranscriptsBucketName: bucketId,
      TableName: tableId,
      IngestQueueUrl: ingestId,
      IngestDlqUrl: ingestDlqId,
      ReviewQueueUrl: logicalId(stack, dataPlane.reviewQueue),
      ReviewDlqUrl: logicalId(stack, dataPlane.reviewDlq),
    };
    for (const [name, id] of Object.entries(outputs)) {
      template.hasOutput(name, { Value: { Ref: id } });
    }
  });
});

describe("stages", () => {
  it("dev destroys the bucket and table with the stack, without an auto-delete custom resource", () => {
    const { stack, template } = synth(STAGE_CONFIGS.dev);
    const table = resource(template, logicalId(stack, stack.dataPlane.table));

    expect(table.DeletionPolicy).toBe("Delete");
    expect(table.Properties).toMatchObject({ Replicas: [{ DeletionProtectionEnabled: false }] });
    expect(resource(template, logicalId(stack, stack.dataPlane.bucket)).DeletionPolicy).toBe(
      "Delete",
    );
    template.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
  });

  it.each([
    ["the prod config", STAGE_CONFIGS.prod],
    ["a config relying on the defaults", { stage: "prod" } satisfies StageConfig],
  ])("%s retains the bucket and a deletion-protected table", (_, config) => {
    const { stack, template } = synth(config);
    const table = resource(template, logicalId(stack, stack.dataPlane.table));
    const bucket = resource(template, logicalId(stack, stack.dataPlane.bucket));

    expect(table.Properties).toMatchObject({ Replicas: [{ DeletionProtectionEnabled: true }] });
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
  });

  it("rejects an unknown stage name", () => {
    expect(() => stageConfigFor("qa")).toThrow(/unknown stage "qa"/);
  });
});
