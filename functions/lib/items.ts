import { KEYS } from "../../shared/table-keys";
import { type Task, TaskSchema } from "../../shared/task";

/** Storage-only attributes: keys, index keys and the item type. */
const STORAGE = new Set<string>([
  KEYS.pk,
  KEYS.sk,
  KEYS.byAgentWeek.pk,
  KEYS.byAgentWeek.sk,
  KEYS.byPeriod.pk,
  KEYS.byPeriod.sk,
  "type",
]);

/** An item without its storage attributes: what a domain object or an API response holds. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE.has(name)));
}

/** A task item as a Task, or undefined when it does not match the schema. */
export function taskFromItem(item: Record<string, unknown>): Task | undefined {
  const { receiptHandle: _receipt, ...rest } = withoutKeys(item);
  const parsed = TaskSchema.safeParse(rest);
  return parsed.success ? parsed.data : undefined;
}
