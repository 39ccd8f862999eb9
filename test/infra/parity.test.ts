import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { Template } from "aws-cdk-lib/assertions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGE_CONFIGS } from "../../infra/config";
import type { LocalStack } from "../../local/stack";
import { startTestStack } from "../integration/stack";
import { type CfnResource, logicalId, resourcesOfType, synthStack } from "./helpers";

/**
 * The deployed data plane and the local one are both built from `shared/resources.ts`; these
 * tests compare what each side actually created, so a change that reaches only one of them
 * (a hand edit in `infra/`, a forgotten index in `local/provision.ts`) fails here.
 */
const { stack, template } = synthStack(STAGE_CONFIGS.dev);
const { dataPlane } = stack;

/** Resources the template has and the local stack deliberately lacks, with why. */
const AWS_ONLY = {
  queues: {
    [logicalId(stack, stack.jobFailures)]:
      "locally the scheduled jobs run on an in-process timer that logs its failures",
  },
  buckets: {
    [logicalId(stack, dataPlane.accessLogsBucket)]: "the emulator writes no server access logs",
  },
};

type LocalQueue = keyof LocalStack["endpoints"]["queues"];
const QUEUE_PAIRS: [IQueue, LocalQueue][] = [
  [dataPlane.ingestQueue, "ingest"],
  [dataPlane.ingestDlq, "ingestDlq"],
  [dataPlane.reviewQueue, "review"],
  [dataPlane.reviewDlq, "reviewDlq"],
];

let local: LocalStack;

beforeAll(async () => {
  local = await startTestStack();
}, 120_000);

afterAll(async () => {
  await local?.stop();
});

const byName = <T extends Record<string, unknown>>(items: T[], key: keyof T) =>
  [...items].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

/** Key schema, attribute types and indexes, in a form both sides can be put into. */
function tableShape(table: {
  KeySchema?: unknown;
  AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[];
  GlobalSecondaryIndexes?: {
    IndexName?: string;
    KeySchema?: unknown;
    Projection?: { ProjectionType?: string };
  }[];
}) {
  return {
    keySchema: table.KeySchema,
    attributes: byName(
      (table.AttributeDefinitions ?? []).map((a) => ({
        name: a.AttributeName,
        type: a.AttributeType,
      })),
      "name",
    ),
    indexes: byName(
      (table.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keySchema: index.KeySchema,
        projection: index.Projection?.ProjectionType,
      })),
      "name",
    ),
  };
}

function queueIds(t: Template): string[] {
  return Object.keys(resourcesOfType(t, "AWS::SQS::Queue"));
}

describe("parity between the synthesized template and the local stack", () => {
  it("the table has the same keys, attribute types, GSIs and TTL attribute", async () => {
    const tables = Object.values(resourcesOfType(template, "AWS::DynamoDB::GlobalTable"));
    expect(tables).toHaveLength(1);
    const deployed = tables[0]?.Properties as Parameters<typeof tableShape>[0] & {
      BillingMode: string;
      TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
    };

    const described = await local.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: local.endpoints.table }),
    );
    const ttl = await local.clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: local.endpoints.table }),
    );

    expect(tableShape(described.Table as TableDescription)).toEqual(tableShape(deployed));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: deployed.TimeToLiveSpecification.AttributeName,
      TimeToLiveStatus: "ENABLED",
    });
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe(deployed.BillingMode);
  });

  it("every queue of the template exists locally, or is on the AWS-only list with a reason", () => {
    const paired = QUEUE_PAIRS.map(([queue]) => logicalId(stack, queue));
    expect(queueIds(template).sort()).toEqual([...paired, ...Object.keys(AWS_ONLY.queues)].sort());
  });

  it.each(QUEUE_PAIRS.map(([queue, name]) => [name, queue] as const))(
    "the %s queue has the same visibility timeout, retention and redrive",
    async (name, queue) => {
      const queues = resourcesOfType(template, "AWS::SQS::Queue");
      const deployed = queues[logicalId(stack, queue)] as CfnResource;
      const props = deployed.Properties as {
        VisibilityTimeout?: number;
        MessageRetentionPeriod?: number;
        RedrivePolicy?: {
          deadLetterTargetArn: { "Fn::GetAtt": [string, string] };
          maxReceiveCount: number;
        };
      };

      const { Attributes: attributes = {} } = await local.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: local.endpoints.queues[name],
          AttributeNames: ["All"],
        }),
      );

      // SQS's default visibility timeout is 30 s on both sides when none is set.
      expect(Number(attributes.VisibilityTimeout)).toBe(props.VisibilityTimeout ?? 30);
      expect(Number(attributes.MessageRetentionPeriod)).toBe(props.MessageRetentionPeriod);
      if (!props.RedrivePolicy) {
        expect(attributes.RedrivePolicy).toBeUndefined();
        return;
      }
      const redrive = JSON.parse(attributes.RedrivePolicy ?? "{}");
      expect(Number(redrive.maxReceiveCount)).toBe(props.RedrivePolicy.maxReceiveCount);
      // The DLQ it redrives to is the local counterpart of the template's DLQ.
      const targetId = props.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0];
      const counterpart = QUEUE_PAIRS.find(([q]) => logicalId(stack, q) === targetId)?.[1];
      expect(counterpart).toBeDefined();
      const { Attributes: dlq = {} } = await local.clients.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: local.endpoints.queues[counterpart ?? "ingestDlq"],
          AttributeNames: ["QueueArn"],
        }),
      );
      expect(redrive.deadLetterTargetArn).toBe(dlq.QueueArn);
    },
  );

  it("the transcripts bucket exists locally; every other bucket is on the AWS-only list", async () => {
    const transcriptsId = logicalId(stack, dataPlane.bucket);
    expect(Object.keys(resourcesOfType(template, "AWS::S3::Bucket")).sort()).toEqual(
      [transcriptsId, ...Object.keys(AWS_ONLY.buckets)].sort(),
    );
    const head = await local.clients.s3.send(
      new HeadBucketCommand({ Bucket: local.endpoints.bucket }),
    );
    expect(head.$metadata.httpStatusCode).toBe(200);
    // The same call tells a missing bucket apart, so the answer above is about this bucket.
    await expect(
      local.clients.s3.send(new HeadBucketCommand({ Bucket: `${local.endpoints.bucket}-absent` })),
    ).rejects.toMatchObject({ name: "NotFound" });
  });
});
