import type { ItemKey } from "./table";

/**
 * What one UpdateItem does to an item, by attribute name. Every name goes through a name
 * placeholder: several attributes (status, day, week, channel…) are DynamoDB reserved
 * words, and rollup field names are data.
 */
export interface UpdateSpec {
  /** Attributes to set; an `undefined` value is left out. */
  set?: Readonly<Record<string, unknown>>;
  /** Numbers to add to (a missing attribute counts as 0), or string sets to add members to. */
  add?: Readonly<Record<string, number | ReadonlySet<string>>>;
  /** Lists to append to (created when missing). */
  append?: Readonly<Record<string, readonly unknown[]>>;
  /** Attributes to remove. */
  remove?: readonly string[];
  /** Members to delete from string sets. */
  delete?: Readonly<Record<string, ReadonlySet<string>>>;
}

/** A condition with its own placeholders (they never collide with the update's `#u…`/`:u…`). */
export interface Condition {
  expression: string;
  names?: Readonly<Record<string, string>>;
  values?: Readonly<Record<string, unknown>>;
}

/** The parts of an UpdateItem request (or a transaction's `Update`) but the table name. */
export interface ItemUpdate {
  Key: ItemKey;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** Builds the update expression of `spec` on the item `key`, optionally under `condition`. */
export function itemUpdate(key: ItemKey, spec: UpdateSpec, condition?: Condition): ItemUpdate {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let n = 0;
  const name = (attribute: string) => {
    const placeholder = `#u${n++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:u${n++}`;
    values[placeholder] = v;
    return placeholder;
  };
  const sets = Object.entries(spec.set ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([a, v]) => `${name(a)} = ${value(v)}`);
  for (const [a, list] of Object.entries(spec.append ?? {})) {
    const placeholder = name(a);
    sets.push(
      `${placeholder} = list_append(if_not_exists(${placeholder}, ${value([])}), ${value(list)})`,
    );
  }
  const adds = Object.entries(spec.add ?? {}).map(([a, v]) => `${name(a)} ${value(v)}`);
  const removes = (spec.remove ?? []).map(name);
  const deletes = Object.entries(spec.delete ?? {}).map(([a, v]) => `${name(a)} ${value(v)}`);
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(", ")}` : "",
    adds.length > 0 ? `ADD ${adds.join(", ")}` : "",
    removes.length > 0 ? `REMOVE ${removes.join(", ")}` : "",
    deletes.length > 0 ? `DELETE ${deletes.join(", ")}` : "",
  ].filter(Boolean);
  if (clauses.length === 0) throw new Error("an update must change at least one attribute");
  Object.assign(names, condition?.names);
  Object.assign(values, condition?.values);
  return {
    Key: key,
    UpdateExpression: clauses.join(" "),
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ExpressionAttributeNames: names,
    // DynamoDB refuses an empty ExpressionAttributeValues map.
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
