import { type Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Properties of {@link Alarms}. */
export interface AlarmsProps {
  /**
   * What happens to the topic's KMS key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The runbook every alarm description points to. */
export const RUNBOOK = "docs/operations.md#alarms";

/**
 * The alarm topic (KMS-encrypted, SSL-only) and the alarms that notify it, each with an
 * alarm and an OK action. Subscribe people to the topic after deploying.
 */
export class Alarms extends Construct {
  /** Every alarm and recovery goes here. */
  readonly topic: Topic;
  /** Every alarm created so far. */
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps = {}) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: its key policy
    // cannot be changed to let CloudWatch use it. A key of our own can.
    const key = new Key(this, "TopicKey", {
      description: "Encrypts the Spotcheck alarm topic",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new Topic(this, "Topic", {
      displayName: "Spotcheck alarms",
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
          StringEquals: { "aws:SourceAccount": account },
        },
      }),
    );
    this.action = new SnsAction(this.topic);
  }

  /** Alarms as soon as a dead-letter queue holds a message. */
  deadLetterQueue(id: string, queue: IQueue, what: string): Alarm {
    return this.add(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: "Maximum" }),
      threshold: 1,
      description: `${what} holds at least one message.`,
    });
  }

  /** Alarms when the oldest message of a work queue is older than `maxAge`. */
  queueAge(id: string, queue: IQueue, maxAge: Duration, what: string): Alarm {
    return this.add(id, {
      metric: queue.metricApproximateAgeOfOldestMessage({ statistic: "Maximum" }),
      threshold: maxAge.toSeconds(),
      description: `${what} has waited longer than ${maxAge.toHumanString()}.`,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  /** Alarms on any error and on any throttle of a function. */
  functionHealth(id: string, fn: IFunction): Alarm[] {
    return [
      this.add(`${id}Errors`, {
        metric: fn.metricErrors({ statistic: "Sum" }),
        threshold: 1,
        description: `The ${id} function failed (an error or timeout, not a record it retries).`,
      }),
      this.add(`${id}Throttles`, {
        metric: fn.metricThrottles({ statistic: "Sum" }),
        threshold: 1,
        description: `The ${id} function was throttled.`,
      }),
    ];
  }

  /**
   * Alarms on any 5xx answer of an HTTP API. The review app turns an unexpected error into a
   * 500 without failing the invocation, so the function's Errors alarm would not see it.
   */
  apiServerErrors(id: string, api: IHttpApi): Alarm {
    return this.add(id, {
      metric: api.metricServerError({ statistic: "Sum" }),
      threshold: 1,
      description: "The HTTP API answered with a server error (5xx).",
    });
  }

  private add(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      description: string;
      comparisonOperator?: ComparisonOperator;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator:
        options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No data means no messages or no invocations: nothing is wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.description} Runbook: ${RUNBOOK}.`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
