import { z } from "zod";
import { ChannelSchema, SourceFormatSchema } from "../transcript";
import { parseItem } from "./codec";
import { InstantSchema, NameSchema, StoredDaySchema, StoredWeekSchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type Condition, type ItemUpdate, itemUpdate } from "./update";

/** Ledger item: one per interaction, the dedup point for the sampler. */
export const ledgerKey = (interactionId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: "META",
});

/** byAgentWeek partition of an agent-week: its ledger items, sorted by u. */
export const agentWeekPartition = (vendor: string, agent: string, week: string): string =>
  `AW#${vendor}#${agent}#${week}`;

/** How an interaction entered the sample: at random, by a floor top-up, or not at all. */
export const SampleKindSchema = z.enum(["random", "floor", "none"]);
export type SampleKind = z.infer<typeof SampleKindSchema>;

/** How many turns each role had: eligibility needs only these counts. */
export const TurnCountsSchema = z.object({
  agent: z.number().int().nonnegative(),
  customer: z.number().int().nonnegative(),
  bot: z.number().int().nonnegative(),
  system: z.number().int().nonnegative(),
});
export type TurnCounts = z.infer<typeof TurnCountsSchema>;

/** One interaction as the sampler recorded it, with everything needed to re-derive its decision. */
export const LedgerEntrySchema = z.object({
  interactionId: NameSchema,
  vendor: NameSchema,
  agent: NameSchema,
  channel: ChannelSchema,
  language: z.string(),
  queue: z.string().optional(),
  intent: z.string().optional(),
  startedAt: InstantSchema,
  /** UTC day and ISO week the interaction started in. */
  day: StoredDaySchema,
  week: StoredWeekSchema,
  /** UTC day the object arrived: the byPeriod ledger list it is in. */
  objectDay: StoredDaySchema,
  /** `<bucket>/<key>` of the transcript. */
  object: NameSchema,
  version: z.string(),
  /** The S3 version read, when the bucket keeps versions. */
  versionId: z.string().optional(),
  /** The ETag read, so a read of an unversioned store can tell a replaced object. */
  etag: z.string().optional(),
  format: SourceFormatSchema,
  turns: TurnCountsSchema,
  policyVersion: NameSchema,
  keyId: NameSchema,
  /** The keyed-hash rank in [0,1). */
  u: z.number().min(0).lt(1),
  rate: z.number().min(0).max(1),
  /** Inclusion probability of the random sample. */
  pi: z.number().min(0).max(1),
  eligible: z.boolean(),
  ineligibleReason: z.string().optional(),
  sampled: z.boolean(),
  sampleKind: SampleKindSchema,
  /** Inclusion probability under the floor design, set by a period-close top-up. */
  floorPi: z.number().gt(0).max(1).optional(),
  calibration: z.boolean(),
  taskIds: z.array(NameSchema),
  recordedAt: InstantSchema,
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** The projection of a ledger item that reads only its task ids (see {@link ledgerTaskIdsFromItem}). */
export const LEDGER_TASK_IDS = {
  expression: "#id, #tasks",
  names: { "#id": "interactionId", "#tasks": "taskIds" },
} as const;

const LedgerTaskIdsSchema = LedgerEntrySchema.pick({ interactionId: true, taskIds: true });

/**
 * A ledger item read with the {@link LEDGER_TASK_IDS} projection.
 *
 * @throws MalformedItemError when it has no interaction id or task id list.
 */
export const ledgerTaskIdsFromItem = (
  item: Record<string, unknown>,
): Pick<LedgerEntry, "interactionId" | "taskIds"> => parseItem("ledger", LedgerTaskIdsSchema, item);

/** The stored item of a ledger entry, with its index attributes. */
export function ledgerToItem(entry: LedgerEntry): Record<string, unknown> {
  return {
    ...ledgerKey(entry.interactionId),
    type: "ledger",
    ...entry,
    [KEYS.byAgentWeek.pk]: agentWeekPartition(entry.vendor, entry.agent, entry.week),
    [KEYS.byAgentWeek.sk]: entry.u,
    [KEYS.byPeriod.pk]: PERIOD.ledgerDay(entry.objectDay),
    [KEYS.byPeriod.sk]: entry.object,
  };
}

/**
 * A stored ledger item as a ledger entry.
 *
 * @throws MalformedItemError when it does not match {@link LedgerEntrySchema}.
 */
export const ledgerFromItem = (item: Record<string, unknown>): LedgerEntry =>
  parseItem("ledger", LedgerEntrySchema, item);

/**
 * A period-close floor top-up of a ledger entry: sampled by the floor with inclusion
 * probability `floorPi`, only while it is not sampled yet (so a re-run changes nothing).
 */
export function ledgerTopUp(
  interactionId: string,
  topUp: { taskIds: readonly string[]; floorPi: number },
): ItemUpdate {
  const notSampled: Condition = {
    expression: "#sampled = :no",
    names: { "#sampled": "sampled" },
    values: { ":no": false },
  };
  return itemUpdate(
    ledgerKey(interactionId),
    {
      set: {
        sampled: true,
        sampleKind: "floor" satisfies SampleKind,
        taskIds: topUp.taskIds,
        floorPi: topUp.floorPi,
      },
    },
    notSampled,
  );
}
