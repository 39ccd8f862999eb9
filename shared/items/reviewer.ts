import type { ItemKey } from "./table";

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
