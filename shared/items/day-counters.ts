import { z } from "zod";
import { parseItem } from "./codec";
import { CounterSchema, StoredDaySchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type ItemUpdate, itemUpdate } from "./update";

/** Per-day counters that have no stratum (quarantined, duplicates). */
export const dayCountersKey = (day: string): ItemKey => ({ pk: `COUNT#${day}`, sk: "META" });

/** The counter of objects quarantined for one reason. */
export const quarantinedFor = (reason: string): string => `quarantined_${reason}`;

/** One day's counters; `quarantined_<reason>` attributes count quarantines per reason. */
export const DayCountersSchema = z.looseObject({
  day: StoredDaySchema,
  quarantined: CounterSchema,
  duplicates: CounterSchema,
});
export type DayCounters = z.infer<typeof DayCountersSchema>;

/** What one event adds to a day's counters. */
export type DayCountersChange =
  | { kind: "quarantined"; reason: string; by: 1 | -1 }
  | { kind: "duplicate" };

/**
 * Adds one event to the counters of `day`. Arrivals also (re)write the day and the byPeriod
 * attributes that list the item; a reprocess only takes its quarantine back out.
 */
export function dayCountersUpdate(day: string, change: DayCountersChange): ItemUpdate {
  const listed = { day, [KEYS.byPeriod.pk]: PERIOD.counters, [KEYS.byPeriod.sk]: day };
  if (change.kind === "duplicate")
    return itemUpdate(dayCountersKey(day), { add: { duplicates: 1 }, set: listed });
  const add = { quarantined: change.by, [quarantinedFor(change.reason)]: change.by };
  return itemUpdate(dayCountersKey(day), change.by > 0 ? { add, set: listed } : { add });
}

/**
 * A stored day-counters item.
 *
 * @throws MalformedItemError when it does not match {@link DayCountersSchema}.
 */
export const dayCountersFromItem = (item: Record<string, unknown>): DayCounters =>
  parseItem("day counters", DayCountersSchema, item);
