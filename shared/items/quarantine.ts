import { z } from "zod";
import { parseItem } from "./codec";
import { InstantSchema, NameSchema, StoredDaySchema } from "./fields";
import { type ItemKey, KEYS, objectName, PERIOD } from "./table";

/** A quarantined object: one per S3 object (its latest refused version). */
export const quarantineKey = (bucket: string, key: string): ItemKey => ({
  pk: `QUAR#${objectName(bucket, key)}`,
  sk: "META",
});

/** An object the importers refused, with why, until it is reprocessed. */
export const QuarantineSchema = z.object({
  bucket: NameSchema,
  key: NameSchema,
  version: z.string(),
  /** The NormalizeError reason: `invalid`, `unattributed`, … */
  reason: NameSchema,
  detail: z.string(),
  format: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  /** UTC day the object arrived. */
  day: StoredDaySchema,
  quarantinedAt: InstantSchema,
});
export type Quarantine = z.infer<typeof QuarantineSchema>;

/** The stored item of a quarantine record, listed by reason and day. */
export function quarantineToItem(q: Quarantine): Record<string, unknown> {
  return {
    ...quarantineKey(q.bucket, q.key),
    type: "quarantine",
    ...q,
    [KEYS.byPeriod.pk]: PERIOD.quarantine(q.reason),
    [KEYS.byPeriod.sk]: `${q.day}#${objectName(q.bucket, q.key)}`,
  };
}

/**
 * A stored quarantine item.
 *
 * @throws MalformedItemError when it does not match {@link QuarantineSchema}.
 */
export const quarantineFromItem = (item: Record<string, unknown>): Quarantine =>
  parseItem("quarantine", QuarantineSchema, item);
