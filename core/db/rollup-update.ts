import { type ItemKey, rollupSumsUpdate } from "../../shared/items";

/** The transaction entry that ADDs `increments` (field → amount) to one rollup item. */
export const rollupAdd = (table: string, key: ItemKey, increments: Record<string, number>) => ({
  Update: { TableName: table, ...rollupSumsUpdate(key, increments) },
});
