import { z } from "zod";
import { parseItem } from "./codec";
import { InstantSchema, NameSchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";

/** An agent's roster entry. */
export const rosterKey = (agentId: string): ItemKey => ({ pk: `AGENT#${agentId}`, sk: "META" });

/** Who an agent works for, as the last roster import said. */
export const RosterItemSchema = z.object({
  agentId: NameSchema,
  /** Canonical vendor id (shared/vendor.ts). */
  vendor: NameSchema,
  site: z.string().optional(),
  team: z.string().optional(),
  importedAt: InstantSchema,
});
export type RosterItem = z.infer<typeof RosterItemSchema>;

/** The stored item of a roster entry, listed in the one `ROSTER` partition. */
export const rosterToItem = (entry: RosterItem): Record<string, unknown> => ({
  ...rosterKey(entry.agentId),
  type: "roster",
  ...entry,
  [KEYS.byPeriod.pk]: PERIOD.roster,
  [KEYS.byPeriod.sk]: entry.agentId,
});

/**
 * A stored roster entry.
 *
 * @throws MalformedItemError when it does not match {@link RosterItemSchema}.
 */
export const rosterFromItem = (item: Record<string, unknown>): RosterItem =>
  parseItem("roster", RosterItemSchema, item);
