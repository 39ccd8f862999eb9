import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidRequestError, NotFoundError } from "../../shared/errors";
import { alertKey, alertPartition, KEYS, PERIOD } from "../../shared/table-keys";
import type { InsightDeps } from "../insights/read";
import { withoutKeys } from "../lib/items";

/** Where an alert is in its life. */
export const ALERT_STATES = ["open", "acknowledged", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Notes an alert takes without a change of state; each is at most 500 characters. */
export const MAX_ALERT_NOTES = 100;

/** One entry of an alert's history: a change of state, or a note that changes nothing. */
export interface AlertEvent {
  /** `acknowledged` or `resolved` for a change of state; `note` for a response or a reply. */
  action: "acknowledged" | "resolved" | "note";
  /** The alert's state after the event. */
  state: AlertState;
  /** The author's id (the token's subject, or `--by` on the CLI). */
  by: string;
  /** The vendor the author works for, when a vendor's manager wrote it. */
  vendor?: string;
  at: string;
  note?: string;
}

/** A stored drift alert. */
export interface Alert {
  alertId: string;
  vendor: string;
  /** A channel, or `all` for the vendor's channels together. */
  channel: string;
  dimension: string;
  /** ISO week the decline was detected in. */
  week: string;
  state: AlertState;
  baseline: { estimate: number; se: number } | null;
  current: { estimate: number; se: number } | null;
  z: number | null;
  ewmaZ: number | null;
  pValue: number;
  detectedAt: string;
  /**
   * The most negative z of the detector's scan over recent weeks (see functions/drift/detect.ts);
   * absent on alerts stored before the scan replaced the EWMA.
   */
  scanZ?: number | null;
  /** First week of the run of weeks that gave `scanZ`: where the decline seems to start. */
  since?: string;
  /** Mean of that run minus the baseline, in points (negative is worse). */
  change?: number;
  /** Share of the detection week's sample that was scored when it was tested, 0–1. */
  completeness?: number;
  /** Weeks the series has tested as declined since, the detection week included. */
  weeksFlagged: number;
  lastFlaggedWeek: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  resolvedBy?: string;
  resolvedAt?: string;
  /** The latest note. */
  note?: string;
  /** Every change of state and every note, oldest first. */
  history: AlertEvent[];
}

/**
 * An alert item as the API shows it. History entries written before notes existed have no
 * `action` (each was a change of state); an alert older still keeps only its last note.
 */
export function alertFromItem(item: Record<string, unknown>): Alert {
  const alert = withoutKeys(item) as unknown as Omit<Alert, "history"> & {
    history?: Array<Omit<AlertEvent, "action"> & { action?: AlertEvent["action"] }>;
  };
  let history: AlertEvent[] = (alert.history ?? []).map((event) => ({
    ...event,
    action: event.action ?? (event.state === "open" ? "note" : event.state),
  }));
  if (history.length === 0 && alert.note)
    history = [
      {
        action: "note",
        state: alert.state,
        by: alert.resolvedBy ?? alert.acknowledgedBy ?? "unknown",
        at: alert.resolvedAt ?? alert.acknowledgedAt ?? alert.detectedAt,
        note: alert.note,
      },
    ];
  return { ...alert, history };
}

/** The series an alert is about: `<channel>#<dimension>`. */
export const seriesName = (channel: string, dimension: string): string => `${channel}#${dimension}`;

const encodeId = (vendor: string, sk: string): string =>
  Buffer.from(JSON.stringify([vendor, sk])).toString("base64url");

function decodeId(alertId: string): { vendor: string; sk: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(alertId, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string")
      return { vendor: parsed[0], sk: parsed[1] };
  } catch {
    // Falls through to the error below.
  }
  throw new NotFoundError(`no alert ${alertId}`);
}

/** The vendor an alert id belongs to, for access checks before it is loaded. */
export const vendorOfAlert = (alertId: string): string => decodeId(alertId).vendor;

/** The item of a new alert. The sort key holds the detection week, so a re-run is a no-op. */
export function alertItem(
  alert: Omit<Alert, "alertId" | "history"> & { history?: AlertEvent[] },
): Record<string, unknown> {
  const key = alertKey(alert.vendor, seriesName(alert.channel, alert.dimension), alert.week);
  return {
    ...key,
    type: "alert",
    alertId: encodeId(alert.vendor, key.sk),
    ...alert,
    [KEYS.byPeriod.pk]: PERIOD.alerts,
    [KEYS.byPeriod.sk]: `${alert.detectedAt}#${alert.vendor}#${key.sk}`,
  };
}

/** The open or acknowledged alert of a series, if any. */
export async function activeAlert(
  deps: InsightDeps,
  vendor: string,
  channel: string,
  dimension: string,
): Promise<Alert | undefined> {
  const found = await deps.db.send(
    new QueryCommand({
      TableName: deps.table,
      KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :series)",
      FilterExpression: "#state <> :resolved",
      ExpressionAttributeNames: { "#pk": KEYS.pk, "#sk": KEYS.sk, "#state": "state" },
      ExpressionAttributeValues: {
        ":pk": alertPartition(vendor),
        ":series": `${seriesName(channel, dimension)}#`,
        ":resolved": "resolved",
      },
    }),
  );
  const item = found.Items?.at(-1);
  return item ? alertFromItem(item) : undefined;
}

/** Stores a new alert; false if the same series and week was stored before. */
export async function putAlert(
  deps: InsightDeps,
  alert: Omit<Alert, "alertId" | "history">,
): Promise<Alert | undefined> {
  const item = alertItem({ ...alert, history: [] });
  try {
    await deps.db.send(
      new PutCommand({
        TableName: deps.table,
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return alertFromItem(item);
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return undefined;
    throw error;
  }
}

/** Records that an active alert's series tested as declined again in `week`. */
export async function markFlaggedAgain(
  deps: InsightDeps,
  alert: Alert,
  week: string,
): Promise<void> {
  const { vendor, sk } = decodeId(alert.alertId);
  await deps.db
    .send(
      new UpdateCommand({
        TableName: deps.table,
        Key: { pk: alertPartition(vendor), sk },
        UpdateExpression: "SET #last = :week ADD #weeks :one",
        ConditionExpression: "#last < :week",
        ExpressionAttributeNames: { "#last": "lastFlaggedWeek", "#weeks": "weeksFlagged" },
        ExpressionAttributeValues: { ":week": week, ":one": 1 },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
}

/** Alerts newest first: one vendor's, or every vendor's when `vendor` is undefined. */
export async function listAlerts(
  deps: InsightDeps,
  options: { vendor?: string; state?: AlertState; limit?: number },
): Promise<Alert[]> {
  const limit = options.limit ?? 200;
  const query = options.vendor
    ? {
        TableName: deps.table,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": KEYS.pk } as Record<string, string>,
        ExpressionAttributeValues: { ":pk": alertPartition(options.vendor) } as Record<
          string,
          unknown
        >,
      }
    : {
        TableName: deps.table,
        IndexName: KEYS.byPeriod.indexName,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": KEYS.byPeriod.pk } as Record<string, string>,
        ExpressionAttributeValues: { ":pk": PERIOD.alerts } as Record<string, unknown>,
        ScanIndexForward: false,
      };
  const alerts: Alert[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(new QueryCommand({ ...query, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      if (options.state && item.state !== options.state) continue;
      alerts.push(alertFromItem(item));
    }
    start = alerts.length < limit ? page.LastEvaluatedKey : undefined;
  } while (start);
  return alerts
    .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt) || a.alertId.localeCompare(b.alertId))
    .slice(0, limit);
}

/** One alert by id. */
export async function getAlert(deps: InsightDeps, alertId: string): Promise<Alert> {
  const { vendor, sk } = decodeId(alertId);
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: { pk: alertPartition(vendor), sk } }),
  );
  if (!found.Item) throw new NotFoundError(`no alert ${alertId}`);
  return alertFromItem(found.Item);
}

/** Who wrote a note or moved an alert on: their id, and their vendor if they work for one. */
export interface AlertAuthor {
  sub: string;
  vendor?: string;
}

/** The history entry of one event, as stored. */
function historyEntry(
  action: AlertEvent["action"],
  state: AlertState,
  by: AlertAuthor,
  at: Date,
  note: string | undefined,
): AlertEvent {
  return {
    action,
    state,
    by: by.sub,
    ...(by.vendor ? { vendor: by.vendor } : {}),
    at: at.toISOString(),
    ...(note ? { note } : {}),
  };
}

/**
 * Moves an alert on: open → acknowledged, open or acknowledged → resolved. Anything else is
 * a 400 that says which state the alert is in. Who may do this is the caller's business
 * (the API allows only the QA team).
 */
export async function transitionAlert(
  deps: InsightDeps,
  alertId: string,
  to: "acknowledged" | "resolved",
  by: string | AlertAuthor,
  at: Date,
  note?: string,
): Promise<Alert> {
  const author = typeof by === "string" ? { sub: by } : by;
  const current = await getAlert(deps, alertId);
  const allowed = to === "acknowledged" ? ["open"] : ["open", "acknowledged"];
  if (!allowed.includes(current.state))
    throw new InvalidRequestError(`the alert is ${current.state}: it cannot become ${to}`, [
      { path: "state", message: `${current.state} → ${to} is not allowed` },
    ]);
  const { vendor, sk } = decodeId(alertId);
  const who = to === "acknowledged" ? "acknowledgedBy" : "resolvedBy";
  const when = to === "acknowledged" ? "acknowledgedAt" : "resolvedAt";
  try {
    const updated = await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: { pk: alertPartition(vendor), sk },
        UpdateExpression: `SET #state = :to, #who = :by, #when = :at, #history = list_append(if_not_exists(#history, :none), :entry)${note ? ", #note = :note" : ""}`,
        ConditionExpression: "#state = :from",
        ExpressionAttributeNames: {
          "#state": "state",
          "#who": who,
          "#when": when,
          "#history": "history",
          ...(note ? { "#note": "note" } : {}),
        },
        ExpressionAttributeValues: {
          ":to": to,
          ":by": author.sub,
          ":at": at.toISOString(),
          ":from": current.state,
          ":none": [],
          ":entry": [historyEntry(to, to, author, at, note)],
          ...(note ? { ":note": note } : {}),
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return alertFromItem(updated.Attributes ?? {});
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    throw new InvalidRequestError("the alert changed meanwhile: reload it", []);
  }
}

/**
 * Adds a note to an alert without changing its state: a vendor's response, or the QA team's
 * reply. An alert takes at most {@link MAX_ALERT_NOTES} of them, so its item stays far
 * below DynamoDB's 400 KB; changes of state are always recorded.
 */
export async function addAlertNote(
  deps: InsightDeps,
  alertId: string,
  by: AlertAuthor,
  at: Date,
  note: string,
): Promise<Alert> {
  const current = await getAlert(deps, alertId);
  const notes = current.history.filter((e) => e.action === "note").length;
  if (notes >= MAX_ALERT_NOTES)
    throw new InvalidRequestError(`the alert already has ${MAX_ALERT_NOTES} notes`, [
      { path: "note", message: `at most ${MAX_ALERT_NOTES} notes per alert` },
    ]);
  const { vendor, sk } = decodeId(alertId);
  try {
    const updated = await deps.db.send(
      new UpdateCommand({
        TableName: deps.table,
        Key: { pk: alertPartition(vendor), sk },
        UpdateExpression:
          "SET #note = :note, #history = list_append(if_not_exists(#history, :none), :entry)",
        // The item must exist (an update would create one). Notes racing each other can
        // pass the count above together; this bounds them by the limit plus the two
        // changes of state an alert can have.
        ConditionExpression:
          "attribute_exists(#pk) AND (attribute_not_exists(#history) OR size(#history) < :limit)",
        ExpressionAttributeNames: { "#pk": KEYS.pk, "#note": "note", "#history": "history" },
        ExpressionAttributeValues: {
          ":note": note,
          ":none": [],
          ":entry": [historyEntry("note", current.state, by, at, note)],
          ":limit": MAX_ALERT_NOTES + 2,
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return alertFromItem(updated.Attributes ?? {});
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    throw new InvalidRequestError("the alert changed meanwhile: reload it", []);
  }
}
