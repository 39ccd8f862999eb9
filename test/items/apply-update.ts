import type { ItemUpdate } from "../../shared/items";

/**
 * Applies an update built by `itemUpdate` to an in-memory item, as DynamoDB would (the
 * condition is not evaluated). It understands only the grammar `itemUpdate` writes, so unit
 * tests can check what an update leaves on disk without an emulator.
 */
export function applyUpdate(
  item: Record<string, unknown>,
  update: ItemUpdate,
): Record<string, unknown> {
  const names = update.ExpressionAttributeNames;
  const values = update.ExpressionAttributeValues ?? {};
  const out: Record<string, unknown> = { ...item, ...update.Key };
  const name = (p: string) => names[p] ?? fail(`unknown name ${p}`);
  const value = (p: string) => (p in values ? values[p] : fail(`unknown value ${p}`));
  for (const clause of update.UpdateExpression.split(/ (?=SET |ADD |REMOVE |DELETE )/)) {
    const [verb, ...rest] = clause.split(" ");
    const body = rest.join(" ");
    if (verb === "SET") {
      for (const part of body.split(/, (?=#)/)) {
        const append = /^(#u\d+) = list_append\(if_not_exists\(#u\d+, (:u\d+)\), (:u\d+)\)$/.exec(
          part,
        );
        if (append) {
          const [, n, empty, list] = append as unknown as [string, string, string, string];
          const current = (out[name(n)] ?? value(empty)) as unknown[];
          out[name(n)] = [...current, ...(value(list) as unknown[])];
          continue;
        }
        const [n, v] = part.split(" = ") as [string, string];
        out[name(n)] = value(v);
      }
    } else if (verb === "ADD" || verb === "DELETE") {
      for (const part of body.split(", ")) {
        const [n, v] = part.split(" ") as [string, string];
        const amount = value(v);
        const current = out[name(n)];
        if (typeof amount === "number") out[name(n)] = (Number(current ?? 0) as number) + amount;
        else {
          const set = new Set(current instanceof Set ? current : []);
          for (const member of amount as Set<unknown>)
            verb === "ADD" ? set.add(member) : set.delete(member);
          out[name(n)] = set;
        }
      }
    } else if (verb === "REMOVE") {
      for (const n of body.split(", ")) delete out[name(n)];
    } else fail(`unknown clause ${clause}`);
  }
  return out;
}

function fail(message: string): never {
  throw new Error(message);
}
