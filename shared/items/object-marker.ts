import { z } from "zod";
import { parseItem } from "./codec";
import { InstantSchema, NameSchema, StoredDaySchema } from "./fields";
import { type ItemKey, KEYS, objectName, PERIOD } from "./table";

/** Object marker: one per S3 object version, so a replayed event is a no-op. */
export const objectMarkerKey = (bucket: string, key: string, version: string): ItemKey => ({
  pk: `OBJ#${objectName(bucket, key)}`,
  sk: `${VERSION_PREFIX}${version}`,
});

const VERSION_PREFIX = "V#";

const MarkerBase = {
  /** `<bucket>/<key>`. */
  object: NameSchema,
  /** UTC day the object arrived. */
  day: StoredDaySchema,
  processedAt: InstantSchema,
};

/** What became of one object version: a ledger entry, a quarantine record, or a duplicate. */
export const ObjectMarkerSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("ledger"),
    interactionId: NameSchema,
    version: z.string(),
    ...MarkerBase,
  }),
  z.object({
    outcome: z.literal("quarantined"),
    reason: NameSchema,
    version: z.string(),
    ...MarkerBase,
  }),
  z.object({
    outcome: z.literal("duplicate"),
    interactionId: NameSchema,
    /** The object the interaction was first recorded from. */
    duplicateOf: z.string(),
    ...MarkerBase,
  }),
]);
export type ObjectMarker = z.infer<typeof ObjectMarkerSchema>;

/** The stored item of an object marker under `key` (see {@link objectMarkerKey}). */
export function objectMarkerToItem(key: ItemKey, marker: ObjectMarker): Record<string, unknown> {
  return {
    ...key,
    type: "object",
    ...marker,
    [KEYS.byPeriod.pk]: PERIOD.objectDay(marker.day),
    [KEYS.byPeriod.sk]: marker.object,
  };
}

/**
 * A stored object marker, with the object version its key names (a duplicate's marker has
 * no `version` attribute).
 *
 * @throws MalformedItemError when it does not match {@link ObjectMarkerSchema}.
 */
export function objectMarkerFromItem(
  item: Record<string, unknown>,
): ObjectMarker & { markedVersion: string } {
  const marker = parseItem("object marker", ObjectMarkerSchema, item);
  const sk = item[KEYS.sk];
  const markedVersion =
    typeof sk === "string" && sk.startsWith(VERSION_PREFIX) ? sk.slice(VERSION_PREFIX.length) : "";
  return { ...marker, markedVersion };
}
