/**
 * The single table's key names, shared by the CDK table, the local stack and every runtime
 * query. Each item type's own key builders live in its module beside its codec.
 *
 * | item | pk | sk | byAgentWeek | byPeriod |
 * |---|---|---|---|---|
 * | ledger | `IX#<interactionId>` | `META` | `AW#<vendor>#<agent>#<week>`, u | `LEDGER#<day>`, `<bucket>/<key>` |
 * | object marker | `OBJ#<bucket>/<key>` | `V#<version>` | – | `OBJECT#<day>`, `<bucket>/<key>` |
 * | quarantine | `QUAR#<bucket>/<key>` | `META` | – | `QUAR#<reason>`, `<day>#<bucket>/<key>` |
 * | task | `TASK#<taskId>` | `META` | – | – |
 * | score | `IX#<interactionId>` | `SCORE#<taskId>` | – | `REVIEWS#<sub>`, `<submittedAt>` |
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

/** byPeriod partitions. */
export const PERIOD = {
  ledgerDay: (day: string) => `LEDGER#${day}`,
  objectDay: (day: string) => `OBJECT#${day}`,
  quarantine: (reason: string) => `QUAR#${reason}`,
  agentWeeks: (week: string) => `AGENTWEEK#${week}`,
  reviews: (sub: string) => `REVIEWS#${sub}`,
  strata: "STRATA",
  roster: "ROSTER",
  counters: "COUNTERS",
  alerts: "ALERTS",
  reviewers: "REVIEWERS",
} as const;
