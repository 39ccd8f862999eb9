import type { z } from "zod";
import { type ItemKey, KEYS } from "./table";

/**
 * A stored item that does not match its type's schema. Readers raise it rather than read a
 * missing number as NaN or a missing string as "undefined"; the edge maps it to a fault.
 */
export class MalformedItemError extends Error {
  override name = "MalformedItemError";
  /** The item type the reader expected (`ledger`, `task`, …). */
  readonly itemType: string;
  /** The item's key, as far as it had one. */
  readonly key: Partial<ItemKey>;
  /** What the schema refused, by attribute path. */
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(itemType: string, item: Record<string, unknown>, error: z.ZodError) {
    const key = {
      ...(typeof item[KEYS.pk] === "string" ? { pk: item[KEYS.pk] as string } : {}),
      ...(typeof item[KEYS.sk] === "string" ? { sk: item[KEYS.sk] as string } : {}),
    };
    const issues = error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    }));
    super(
      `${itemType} item ${key.pk ?? "?"} / ${key.sk ?? "?"} is malformed: ${issues
        .map((i) => `${i.path || "(item)"}: ${i.message}`)
        .join("; ")}`,
    );
    this.itemType = itemType;
    this.key = key;
    this.issues = issues;
  }
}

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
export function withoutStorage(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE.has(name)));
}

/**
 * Parses a stored item (storage attributes removed) with its type's schema.
 *
 * @throws MalformedItemError when the item does not match.
 */
export function parseItem<S extends z.ZodType>(
  itemType: string,
  schema: S,
  item: Record<string, unknown>,
): z.output<S> {
  const parsed = schema.safeParse(withoutStorage(item));
  if (!parsed.success) throw new MalformedItemError(itemType, item, parsed.error);
  return parsed.data;
}
