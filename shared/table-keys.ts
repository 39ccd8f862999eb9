/**
 * The single table's key names and key builders. The CDK table, the local stack and every
 * runtime query import these, so a key shape lives in exactly one place.
 *
 * | item | pk | sk | byAgentWeek | byPeriod |
 * |---|---|---|---|---|
 * | ledger | `IX#<interactionId>` | `META` | `AW#<vendor>#<agent>#<week>`, u | `LEDGER#<day>`, `<bucket>/<key>` |
 * | object marker | `OBJ#<bucket>/<key>` | `V#<version>` | – | `OBJECT#<day>`, `<bucket>/<key>` |
 * | quarantine | `QUAR#<bucket>/<key>` | `META` | – | `QUAR#<reason>`, `<day>#<bucket>/<key>` |
 * | task | `TASK#<taskId>` | `META` | – | – |
 * | score | `IX#<interactionId>` | `SCORE#<taskId>` | – | – |
 * | stratum-day rollup | `ST#<vendor>#<channel>` | `D#<day>` | – | `STRATA`, `<day>#<vendor>#<channel>` |
 * | agent-week rollup | `AG#<vendor>#<agent>` | `W#<week>` | – | `AGENTWEEK#<week>`, `<vendor>#<agent>` |
 * | agent-week × channel rollup | `AWC#<vendor>` | `<week>#<agent>#<channel>` | – | – |
 * | day counters | `COUNT#<day>` | `META` | – | `COUNTERS`, `<day>` |
 * | roster | `AGENT#<agentId>` | `META` | – | `ROSTER`, `<agentId>` |
 * | reviewer counters | `REVIEWER#<sub>` | `META` | – | `REVIEWERS`, `<sub>` |
 * | claim slot | `REVIEWER#<sub>` | `SLOT#<n>` | – | – |
 * | reviewer hold | `IX#<interactionId>` | `HOLD#<sub>` | – | – |
 * | calibration score index | `CAL#<week>` | `<interactionId>#<taskId>` | – | – |
 * | alert | `ALERT#<vendor>` | `<channel>#<dimension>#<week>` | – | `ALERTS`, `<detectedAt>#<vendor>#…` |
 */

/** Attribute names of the table's keys and of its global secondary indexes. */
export const KEYS = {
  pk: "pk",
  sk: "sk",
  /** Ledger items by agent-week, sorted by the sampling rank u: bottom-k floor top-ups. */
  byAgentWeek: { indexName: "byAgentWeek", pk: "gsi1pk", sk: "gsi1sk" },
  /** Items listed by period or kind: objects and ledger entries per day, agent-weeks per week, quarantine per reason. */
  byPeriod: { indexName: "byPeriod", pk: "gsi2pk", sk: "gsi2sk" },
  /** Expiry for short-lived items, epoch seconds. */
  ttl: "expiresAt",
} as const;

/** Key of an item: partition and sort key values. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** `<bucket>/<key>`: how an S3 object is named inside keys. */
export const objectName = (bucket: string, key: string): string => `${bucket}/${key}`;

/** Ledger item: one per interaction, the dedup point for the sampler. */
export const ledgerKey = (interactionId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: "META",
});

/** Object marker: one per S3 object version, so a replayed event is a no-op. */
export const objectMarkerKey = (bucket: string, key: string, version: string): ItemKey => ({
  pk: `OBJ#${objectName(bucket, key)}`,
  sk: `V#${version}`,
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

/**
 * The score sums of one agent's interactions on one channel in one ISO week, with the design
 * of its agent-week (set at period close). Agent-weeks are the strata of the design after
 * close, so a vendor's interval reads these: one partition per vendor, sorted by week.
 */
export const agentWeekChannelKey = (
  vendor: string,
  agent: string,
  week: string,
  channel: string,
): ItemKey => ({ pk: agentWeekChannelPartition(vendor), sk: `${week}#${agent}#${channel}` });

/** The partition of a vendor's agent-week × channel rollups. */
export const agentWeekChannelPartition = (vendor: string): string => `AWC#${vendor}`;

/** Per-day counters that have no stratum (quarantined, duplicates). */
export const dayCountersKey = (day: string): ItemKey => ({ pk: `COUNT#${day}`, sk: "META" });

export const quarantineKey = (bucket: string, key: string): ItemKey => ({
  pk: `QUAR#${objectName(bucket, key)}`,
  sk: "META",
});

/** A reviewer's counters: reviews submitted, skips by reason. */
export const reviewerKey = (sub: string): ItemKey => ({ pk: `REVIEWER#${sub}`, sk: "META" });

/**
 * One of a reviewer's claim slots (`0 … maxClaims − 1`): taking a slot is part of the claim
 * transaction, so a reviewer never holds more tasks at once than the policy allows.
 */
export const claimSlotKey = (sub: string, slot: number): ItemKey => ({
  pk: `REVIEWER#${sub}`,
  sk: `SLOT#${slot}`,
});

/** Prefix of every claim slot's sort key. */
export const CLAIM_SLOT_PREFIX = "SLOT#";

/**
 * A reviewer's hold on an interaction: which of its copies they claimed, and whether they
 * scored it. Written in the claim transaction, so one reviewer never holds or scores two
 * copies (primary and calibration) of one interaction.
 */
export const holdKey = (interactionId: string, sub: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: `HOLD#${sub}`,
});

/** Partition holding a vendor's drift alerts. */
export const alertPartition = (vendor: string): string => `ALERT#${vendor}`;

/** A drift alert: one item per series and detection week. */
export const alertKey = (vendor: string, series: string, week: string): ItemKey => ({
  pk: alertPartition(vendor),
  sk: `${series}#${week}`,
});

/** Marks a calibration copy's score, so agreement statistics find a week's copies in one query. */
export const calibrationKey = (week: string, interactionId: string, taskId: string): ItemKey => ({
  pk: `CAL#${week}`,
  sk: `${interactionId}#${taskId}`,
});

export const rosterKey = (agentId: string): ItemKey => ({ pk: `AGENT#${agentId}`, sk: "META" });

/** byAgentWeek partition of an agent-week. */
export const agentWeekPartition = (vendor: string, agent: string, week: string): string =>
  `AW#${vendor}#${agent}#${week}`;

/** byPeriod partitions. */
export const PERIOD = {
  ledgerDay: (day: string) => `LEDGER#${day}`,
  objectDay: (day: string) => `OBJECT#${day}`,
  quarantine: (reason: string) => `QUAR#${reason}`,
  agentWeeks: (week: string) => `AGENTWEEK#${week}`,
  strata: "STRATA",
  roster: "ROSTER",
  counters: "COUNTERS",
  alerts: "ALERTS",
  reviewers: "REVIEWERS",
} as const;
