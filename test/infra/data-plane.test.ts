import { App, CfnElement, type Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { STAGE_CONFIGS, type StageConfig, stageConfigFor } from "../../infra/config";
import { SpotcheckStack } from "../../infra/stacks/spotcheck-stack";
import { type KeyAttribute, QUEUES, type QueueDefinition, TABLE } from "../../shared/resources";

/** A CloudFormation resource as it appears in the synthesized template. */
interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

function synth(config: StageConfig) {
  const stack = new SpotcheckStack(new App(), `Spotcheck-${config.stage}`, { config });
  return { stack, template: Template.fromStack(stack) };
}

function logicalId(stack: Stack, construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  }
  return stack.getLogicalId(resource);
}

function resources(template: Template): Record<string, CfnResource> {
  return template.toJSON().Resources;
}

function resource(template: Template, id: string): CfnResource {
  const found = resources(template)[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}

function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return Object.fromEntries(
    Object.entries(resources(template)).filter(([, found]) => found.Type === type),
  );
}

const getAttArn = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });

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
      template.hasResourceProperties("AWS::S3::Bucket", {
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      });
      template.resourceCountIs("Custom::S3BucketNotifications", 0);
      template.resourceCountIs("AWS::Lambda::Function", 0);
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
    it("has exactly one work queue and one DLQ per definition", () => {
      template.resourceCountIs("AWS::SQS::Queue", 2 * Object.keys(QUEUES).length);
    });

    it("redrives every queue that is not a DLQ into a queue that is", () => {
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
        if (dlqIds.has(id)) {
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
