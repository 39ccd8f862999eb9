import { z } from "zod";
import { parseItem } from "./codec";
import { CounterSchema, InstantSchema, NameSchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type Condition, type ItemUpdate, itemUpdate } from "./update";

/** A reviewer's counters: reviews submitted, skips by reason. */
export const reviewerKey = (sub: string): ItemKey => ({ pk: `REVIEWER#${sub}`, sk: "META" });

/** Prefix of every claim slot's sort key. */
export const CLAIM_SLOT_PREFIX = "SLOT#";

/**
 * One of a reviewer's claim slots (`0 … maxClaims − 1`): taking a slot is part of the claim
 * transaction, so a reviewer never holds more tasks at once than the policy allows.
 */
export const claimSlotKey = (sub: string, slot: number): ItemKey => ({
  pk: `REVIEWER#${sub}`,
  sk: `${CLAIM_SLOT_PREFIX}${slot}`,
});

/**
 * A reviewer's hold on an interaction: which of its copies they claimed, and whether they
 * scored it. Written in the claim transaction, so one reviewer never holds or scores two
 * copies (primary and calibration) of one interaction.
 */
export const holdKey = (interactionId: string, sub: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: `HOLD#${sub}`,
});

/** The counter of a reviewer's skips for one reason. */
export const skipsFor = (reason: string): string => `skips_${reason}`;

/** A reviewer's counters; `skips_<reason>` attributes count skips per reason. */
export const ReviewerCountersSchema = z.looseObject({
  reviewer: NameSchema,
  reviews: CounterSchema,
  skips: CounterSchema,
});
export type ReviewerCounters = z.infer<typeof ReviewerCountersSchema>;

/**
 * A stored reviewer-counters item.
 *
 * @throws MalformedItemError when it does not match {@link ReviewerCountersSchema}.
 */
export const reviewerCountersFromItem = (item: Record<string, unknown>): ReviewerCounters =>
  parseItem("reviewer counters", ReviewerCountersSchema, item);

/** Counts a submitted review or a skip (with its reason) against a reviewer. */
export function reviewerCount(
  sub: string,
  event: { kind: "review" } | { kind: "skip"; reason: string },
): ItemUpdate {
  const add: Record<string, number> =
    event.kind === "review" ? { reviews: 1 } : { skips: 1, [skipsFor(event.reason)]: 1 };
  return itemUpdate(reviewerKey(sub), {
    add,
    set: { reviewer: sub, [KEYS.byPeriod.pk]: PERIOD.reviewers, [KEYS.byPeriod.sk]: sub },
  });
}

/** A claim slot in use: the task it holds, until the lease ends. */
export const ClaimSlotSchema = z.object({ taskId: NameSchema, leaseExpiresAt: InstantSchema });
export type ClaimSlot = z.infer<typeof ClaimSlotSchema>;

/** The stored item of one of `sub`'s claim slots. */
export const claimSlotToItem = (sub: string, slot: number, s: ClaimSlot) => ({
  ...claimSlotKey(sub, slot),
  type: "claim-slot",
  ...s,
});

/**
 * A stored claim slot, with its number (from its key).
 *
 * @throws MalformedItemError when it does not match {@link ClaimSlotSchema}.
 */
export function claimSlotFromItem(item: Record<string, unknown>): ClaimSlot & { slot: number } {
  const slot = Number(String(item[KEYS.sk] ?? "").slice(CLAIM_SLOT_PREFIX.length));
  const parsed = parseItem(
    "claim slot",
    ClaimSlotSchema.extend({ slot: z.number().int().min(0) }),
    {
      ...item,
      slot,
    },
  );
  return parsed;
}

/** Where a reviewer's hold on an interaction is: claimed (under a lease), released or scored. */
export const HoldSchema = z.object({
  taskId: NameSchema,
  status: z.enum(["claimed", "released", "scored"]),
  leaseExpiresAt: InstantSchema.optional(),
});
export type Hold = z.infer<typeof HoldSchema>;

/** The stored item of `sub`'s hold on an interaction. */
export const holdToItem = (interactionId: string, sub: string, hold: Hold) => ({
  ...holdKey(interactionId, sub),
  type: "hold",
  ...hold,
});

/**
 * A stored hold.
 *
 * @throws MalformedItemError when it does not match {@link HoldSchema}.
 */
export const holdFromItem = (item: Record<string, unknown>): Hold =>
  parseItem("hold", HoldSchema, item);

/** Only while the item (a hold or a claim slot) is absent or still names `taskId`. */
const namesTask = (taskId: string): Condition => ({
  expression: "attribute_not_exists(#pk) OR #task = :task",
  names: { "#pk": KEYS.pk, "#task": "taskId" },
  values: { ":task": taskId },
});

/** Moves a hold's or claim slot's lease along with its task's (only while it still names that task). */
export const leaseFollows = (key: ItemKey, taskId: string, leaseExpiresAt: string): ItemUpdate =>
  itemUpdate(key, { set: { leaseExpiresAt } }, namesTask(taskId));

/** Marks a hold released or scored: its reviewer meets no other copy of the interaction. */
export const holdSettled = (
  interactionId: string,
  sub: string,
  taskId: string,
  status: "released" | "scored",
): ItemUpdate =>
  itemUpdate(
    holdKey(interactionId, sub),
    { set: { status, taskId, type: "hold" } },
    namesTask(taskId),
  );

/** The condition a claim slot is freed under (a Delete: it must still name the task). */
export const slotFreedCondition = (taskId: string): Condition => namesTask(taskId);
