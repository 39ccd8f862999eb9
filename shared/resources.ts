import { KEYS } from "./table-keys";

/**
 * The data plane described once, as plain data. `infra/` turns it into CloudFormation and
 * `local/` into emulator resources, so the two cannot drift apart by hand-editing.
 */

/** DynamoDB attribute type of a key attribute. */
export type KeyType = "S" | "N";

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

/** The one table: ledger, tasks, scores, rollups, alerts and roster. */
export const TABLE = {
  partitionKey: { name: KEYS.pk, type: "S" },
  sortKey: { name: KEYS.sk, type: "S" },
  timeToLiveAttribute: KEYS.ttl,
  globalSecondaryIndexes: [
    {
      indexName: KEYS.byAgentWeek.indexName,
      partitionKey: { name: KEYS.byAgentWeek.pk, type: "S" },
      sortKey: { name: KEYS.byAgentWeek.sk, type: "N" },
    },
    {
      indexName: KEYS.byPeriod.indexName,
      partitionKey: { name: KEYS.byPeriod.pk, type: "S" },
      sortKey: { name: KEYS.byPeriod.sk, type: "S" },
    },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  globalSecondaryIndexes: readonly IndexDefinition[];
};

/** A work queue and its dead-letter queue. */
export interface QueueDefinition {
  /** Stable logical name: the CDK construct id, and the queue name in the local stack. */
  readonly id: string;
  /** For the ingest queue, at least six times the consumer's timeout (AWS guidance for Lambda event sources). For the review queue, the claim lease. */
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** Receives before a message moves to the DLQ. */
  readonly maxReceiveCount: number;
  readonly dlqRetentionSeconds: number;
}

const DAY = 86_400;

export const QUEUES = {
  /** EventBridge "Object Created" events for the sampler. */
  ingest: {
    id: "Ingest",
    visibilityTimeoutSeconds: 180,
    retentionSeconds: 4 * DAY,
    maxReceiveCount: 5,
    dlqRetentionSeconds: 14 * DAY,
  },
  /** Sampled interactions waiting for a reviewer; the visibility timeout is the claim lease. */
  review: {
    id: "Review",
    visibilityTimeoutSeconds: 1_800,
    retentionSeconds: 14 * DAY,
    maxReceiveCount: 5,
    dlqRetentionSeconds: 14 * DAY,
  },
} as const satisfies Record<string, QueueDefinition>;

/** The transcripts bucket: exports from Connect, Transcribe, Zendesk or any uploader. */
export const BUCKET = {
  id: "Transcripts",
  versioned: true,
  eventBridgeEnabled: true,
} as const;

/** The DLQ's logical name for a queue. */
export const dlqId = (queue: QueueDefinition): string => `${queue.id}Dlq`;
