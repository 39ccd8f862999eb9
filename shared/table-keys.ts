/**
 * The single table's key names and key builders. The CDK table, the local stack and every
 * runtime query import these, so a key shape lives in exactly one place.
 */

/** Attribute names of the table's keys and of its global secondary indexes. */
export const KEYS = {
  pk: "pk",
  sk: "sk",
  /** Ledger items by agent-week, sorted by the sampling rank u: bottom-k top-ups. */
  byAgentWeek: { indexName: "byAgentWeek", pk: "gsi1pk", sk: "gsi1sk" },
  /** Ledger and quarantine items by day and object key: reconcile against S3. */
  byDay: { indexName: "byDay", pk: "gsi2pk", sk: "gsi2sk" },
  /** Expiry for short-lived items (e.g. dedup markers), epoch seconds. */
  ttl: "expiresAt",
} as const;

/** Key of an item: partition and sort key values. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** Ledger item: one per interaction, the dedup point for the sampler. */
export const ledgerKey = (interactionId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: "META",
});

/** Object marker: one per S3 object version, so a replayed event is a no-op. */
export const objectKey = (bucket: string, key: string, versionOrEtag: string): ItemKey => ({
  pk: `OBJ#${bucket}/${key}`,
  sk: `V#${versionOrEtag}`,
});

/** A reviewer's score of one task, stored beside the interaction's ledger item. */
export const scoreKey = (interactionId: string, taskId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: `SCORE#${taskId}`,
});

export const taskKey = (taskId: string): ItemKey => ({ pk: `TASK#${taskId}`, sk: "META" });

/** Population, sample and score sums of one vendor × channel stratum on one day. */
export const stratumDayKey = (vendor: string, channel: string, day: string): ItemKey => ({
  pk: `ST#${vendor}#${channel}`,
  sk: `D#${day}`,
});

/** The same sums for one agent in one ISO week. */
export const agentWeekKey = (vendor: string, agent: string, week: string): ItemKey => ({
  pk: `AG#${vendor}#${agent}`,
  sk: `W#${week}`,
});

export const quarantineKey = (bucket: string, key: string): ItemKey => ({
  pk: `QUAR#${bucket}/${key}`,
  sk: "META",
});

export const alertKey = (vendor: string, detectedAt: string, series: string): ItemKey => ({
  pk: `ALERT#${vendor}`,
  sk: `${detectedAt}#${series}`,
});

export const rosterKey = (agentId: string): ItemKey => ({ pk: `AGENT#${agentId}`, sk: "META" });

/** GSI key placing a ledger item in its agent-week, ordered by u. */
export const agentWeekIndexKey = (vendor: string, agent: string, week: string, u: number) => ({
  [KEYS.byAgentWeek.pk]: `AW#${vendor}#${agent}#${week}`,
  [KEYS.byAgentWeek.sk]: u,
});

/** GSI key placing a ledger or quarantine item on the day its object arrived. */
export const dayIndexKey = (day: string, objectKeyName: string) => ({
  [KEYS.byDay.pk]: `DAY#${day}`,
  [KEYS.byDay.sk]: objectKeyName,
});
