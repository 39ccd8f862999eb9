import { type ItemKey, rollupSumsUpdate } from "../../shared/items";
import { transactUpdate } from "./transactions";

/** The transaction entry that ADDs `increments` (field → amount) to one rollup item. */
export const rollupAdd = (table: string, key: ItemKey, increments: Record<string, number>) =>
  transactUpdate(table, rollupSumsUpdate(key, increments));
