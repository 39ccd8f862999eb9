import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { dlqId, QUEUES } from "../../shared/resources";
import { resolveStageConfig, type StageConfig } from "../config";
import { DataPlane } from "../constructs/data-plane";

/** Properties of the {@link SpotcheckStack}. */
export interface SpotcheckStackProps extends StackProps {
  /** The stage's settings. */
  readonly config: StageConfig;
}

/** One stage of Spotcheck: the data plane, for now. */
export class SpotcheckStack extends Stack {
  /** Bucket, queues and table. */
  readonly dataPlane: DataPlane;

  constructor(scope: Construct, id: string, props: SpotcheckStackProps) {
    super(scope, id, props);
    const config = resolveStageConfig(props.config);

    this.dataPlane = new DataPlane(this, "DataPlane", {
      removalPolicy: config.removalPolicy,
      tableDeletionProtection: config.tableDeletionProtection,
    });
    const { bucket, table, ingestQueue, ingestDlq, reviewQueue, reviewDlq } = this.dataPlane;

    new CfnOutput(this, "TranscriptsBucketName", { value: bucket.bucketName });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, `${QUEUES.ingest.id}QueueUrl`, { value: ingestQueue.queueUrl });
    new CfnOutput(this, `${dlqId(QUEUES.ingest)}Url`, { value: ingestDlq.queueUrl });
    new CfnOutput(this, `${QUEUES.review.id}QueueUrl`, { value: reviewQueue.queueUrl });
    new CfnOutput(this, `${dlqId(QUEUES.review)}Url`, { value: reviewDlq.queueUrl });
  }
}
