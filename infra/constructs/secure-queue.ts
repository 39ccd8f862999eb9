import { Duration, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueDefinition } from "../../shared/resources";

/** Properties of a {@link SecureQueue}. */
export interface SecureQueueProps {
  /** Timeouts, retention and redrive of the queue, from `shared/resources.ts`. */
  readonly definition: QueueDefinition;
}

/**
 * A standard queue and its dead-letter queue, both SQS-managed encrypted and SSL-only.
 * Messages received `maxReceiveCount` times move to the DLQ. Use the definition's `id` as the
 * construct id so the logical ids stay stable.
 */
export class SecureQueue extends Construct {
  /** The work queue. */
  readonly queue: Queue;
  /** Where the work queue's poison messages end up. */
  readonly dlq: Queue;

  constructor(scope: Construct, id: string, props: SecureQueueProps) {
    super(scope, id);
    const { definition } = props;

    this.dlq = new Queue(this, "Dlq", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(definition.dlqRetentionSeconds),
    });
    Validations.of(this.dlq).acknowledge({
      id: "Serverless-SQSRedrivePolicy",
      reason:
        "This is a dead-letter queue: its messages are inspected and redriven by an operator (queue redrive), never dead-lettered again.",
    });

    // "Resource" keeps the id out of the logical id, which then reads e.g. "…Ingest…".
    this.queue = new Queue(this, "Resource", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(definition.retentionSeconds),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: definition.maxReceiveCount },
    });
  }
}
