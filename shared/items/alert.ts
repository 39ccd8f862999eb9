import { z } from "zod";
import { parseItem } from "./codec";
import { InstantSchema, NameSchema, StoredWeekSchema } from "./fields";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type Condition, type ItemUpdate, itemUpdate } from "./update";

/** Partition holding a vendor's drift alerts. */
export const alertPartition = (vendor: string): string => `ALERT#${vendor}`;

/** A drift alert: one item per series and detection week. */
export const alertKey = (vendor: string, series: string, week: string): ItemKey => ({
  pk: alertPartition(vendor),
  sk: `${series}#${week}`,
});

/** The series an alert is about: `<channel>#<dimension>`. */
export const seriesName = (channel: string, dimension: string): string => `${channel}#${dimension}`;

/** An alert's id: its vendor and sort key, opaque to clients. */
export const alertIdOf = (vendor: string, sk: string): string =>
  Buffer.from(JSON.stringify([vendor, sk])).toString("base64url");

/** The key an alert id names, or undefined when it names none. */
export function alertKeyOfId(alertId: string): ItemKey | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(alertId, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string")
      return { pk: alertPartition(parsed[0]), sk: parsed[1] };
  } catch {
    // Not an id this codec wrote.
  }
  return undefined;
}

/** Where an alert is in its life. */
export const ALERT_STATES = ["open", "acknowledged", "resolved"] as const;
export const AlertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertStateSchema>;

/** One entry of an alert's history: a change of state, or a note that changes nothing. */
export const AlertEventSchema = z.object({
  /** `acknowledged` or `resolved` for a change of state; `note` for a response or a reply. */
  action: z.enum(["acknowledged", "resolved", "note"]),
  /** The alert's state after the event. */
  state: AlertStateSchema,
  /** The author's id (the token's subject, or `--by` on the CLI). */
  by: z.string(),
  /** The vendor the author works for, when a vendor's manager wrote it. */
  vendor: z.string().optional(),
  at: z.string(),
  note: z.string().optional(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

const EstimateSchema = z.object({ estimate: z.number(), se: z.number() }).nullable();

/** A stored drift alert. */
export const AlertSchema = z.object({
  alertId: NameSchema,
  vendor: NameSchema,
  /** A channel, or `all` for the vendor's channels together. */
  channel: NameSchema,
  dimension: NameSchema,
  /** ISO week the decline was detected in. */
  week: StoredWeekSchema,
  state: AlertStateSchema,
  baseline: EstimateSchema,
  current: EstimateSchema,
  z: z.number().nullable(),
  ewmaZ: z.number().nullable(),
  pValue: z.number(),
  detectedAt: InstantSchema,
  /**
   * The most negative z of the detector's scan over recent weeks (see core/drift/detect.ts);
   * absent on alerts stored before the scan replaced the EWMA.
   */
  scanZ: z.number().nullable().optional(),
  /** First week of the run of weeks that gave `scanZ`: where the decline seems to start. */
  since: z.string().optional(),
  /** Mean of that run minus the baseline, in points (negative is worse). */
  change: z.number().optional(),
  /** Share of the detection week's sample that was scored when it was tested, 0–1. */
  completeness: z.number().optional(),
  /** Weeks the series has tested as declined since, the detection week included. */
  weeksFlagged: z.number(),
  lastFlaggedWeek: StoredWeekSchema,
  acknowledgedBy: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
  /** The latest note. */
  note: z.string().optional(),
  /** Every change of state and every note, oldest first. */
  history: z.array(AlertEventSchema),
});
export type Alert = z.infer<typeof AlertSchema>;

/** A new alert, before it has an id or a history. */
export type NewAlert = Omit<Alert, "alertId" | "history"> & { history?: AlertEvent[] };

/** The stored item of a new alert. The sort key holds the detection week, so a re-run is a no-op. */
export function alertToItem(alert: NewAlert): Record<string, unknown> {
  const key = alertKey(alert.vendor, seriesName(alert.channel, alert.dimension), alert.week);
  return {
    ...key,
    type: "alert",
    alertId: alertIdOf(alert.vendor, key.sk),
    ...alert,
    [KEYS.byPeriod.pk]: PERIOD.alerts,
    [KEYS.byPeriod.sk]: `${alert.detectedAt}#${alert.vendor}#${key.sk}`,
  };
}

/** History entries written before notes existed have no `action` (each was a change of state). */
const LegacyHistorySchema = z.array(
  AlertEventSchema.extend({ action: AlertEventSchema.shape.action.optional() }),
);

/**
 * A stored alert item. History entries written before notes existed get their action; an
 * alert older still keeps only its last note, which becomes its history.
 *
 * @throws MalformedItemError when it does not match {@link AlertSchema}.
 */
export function alertFromItem(item: Record<string, unknown>): Alert {
  const legacy = parseItem(
    "alert",
    z.looseObject({ history: LegacyHistorySchema.optional() }),
    item,
  ).history;
  let history: AlertEvent[] = (legacy ?? []).map((event) => ({
    ...event,
    action: event.action ?? (event.state === "open" ? "note" : event.state),
  }));
  // Attributes the schema does not name (written by older versions) are kept, as they always were.
  const base = parseItem("alert", AlertSchema.loose(), { ...item, history }) as Alert;
  if (history.length === 0 && base.note)
    history = [
      {
        action: "note",
        state: base.state,
        by: base.resolvedBy ?? base.acknowledgedBy ?? "unknown",
        at: base.resolvedAt ?? base.acknowledgedAt ?? base.detectedAt,
        note: base.note,
      },
    ];
  return { ...base, history };
}

/** A change to a stored alert. */
export type AlertChange =
  /** The series tested as declined again in `week`. */
  | { kind: "flagged-again"; week: string }
  /** Acknowledged or resolved, by whom and when, with the event for its history. */
  | { kind: "moved"; to: "acknowledged" | "resolved"; by: string; at: string; event: AlertEvent }
  /** A note that changes nothing else. */
  | { kind: "note"; event: AlertEvent & { note: string } };

/** The update of one alert item, under the caller's condition (it depends on what was read). */
export function alertUpdate(key: ItemKey, change: AlertChange, condition?: Condition): ItemUpdate {
  switch (change.kind) {
    case "flagged-again":
      return itemUpdate(
        key,
        { set: { lastFlaggedWeek: change.week }, add: { weeksFlagged: 1 } },
        condition,
      );
    case "moved": {
      const who = change.to === "acknowledged" ? "acknowledgedBy" : "resolvedBy";
      const when = change.to === "acknowledged" ? "acknowledgedAt" : "resolvedAt";
      return itemUpdate(
        key,
        {
          set: { state: change.to, [who]: change.by, [when]: change.at, note: change.event.note },
          append: { history: [change.event] },
        },
        condition,
      );
    }
    case "note":
      return itemUpdate(
        key,
        { set: { note: change.event.note }, append: { history: [change.event] } },
        condition,
      );
  }
}
