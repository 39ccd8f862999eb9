import type { ItemKey } from "../../shared/table-keys";

/**
 * The transaction entry that ADDs `increments` (field → amount) to one rollup item. Every
 * field goes through a name placeholder: rollup field names are data, not identifiers.
 */
export function rollupAdd(table: string, key: ItemKey, increments: Record<string, number>) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = Object.entries(increments).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#f${i} :v${i}`;
  });
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: `ADD ${adds.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
