import type { ItemKey } from "./table";

/** A reviewer's score of one task, stored beside the interaction's ledger item. */
export const scoreKey = (interactionId: string, taskId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: `SCORE#${taskId}`,
});
