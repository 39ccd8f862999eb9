import { randomBytes } from "node:crypto";

/**
 * A new task id: 96 random bits. Random, not derived from the interaction id, so nobody who
 * knows an interaction can work out its tasks' ids, or tell a calibration copy or a floor
 * top-up from a random task by recomputing one. The ledger item records its tasks' ids, which
 * is what makes re-running a decision idempotent.
 */
export function newTaskId(): string {
  return `tk-${randomBytes(12).toString("hex")}`;
}
