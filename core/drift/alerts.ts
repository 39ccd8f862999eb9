import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidRequestError, NotFoundError } from "../../shared/errors";
import {
  type Alert,
  type AlertEvent,
  type AlertState,
  alertFromItem,
  alertKeyOfId,
  alertPartition,
  alertToItem,
  alertUpdate,
  type ItemKey,
  KEYS,
  type NewAlert,
  PERIOD,
  seriesName,
} from "../../shared/items";
import type { InsightDeps } from "../insights/read";

export type { Alert, AlertEvent, AlertState } from "../../shared/items";
export { ALERT_STATES, alertFromItem, seriesName } from "../../shared/items";

/** Notes an alert takes without a change of state; each is at most 500 characters. */
export const MAX_ALERT_NOTES = 100;

function decodeId(alertId: string): ItemKey {
  const key = alertKeyOfId(alertId);
  if (!key) throw new NotFoundError(`no alert ${alertId}`);
  return key;
}

/** The vendor an alert id belongs to, for access checks before it is loaded. */
export const vendorOfAlert = (alertId: string): string =>
  decodeId(alertId).pk.slice(alertPartition("").length);

/** The item of a new alert. The sort key holds the detection week, so a re-run is a no-op. */
export const alertItem = (alert: NewAlert): Record<string, unknown> => alertToItem(alert);

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
  await deps.db
    .send(
      new UpdateCommand({
        TableName: deps.table,
        ...alertUpdate(
          decodeId(alert.alertId),
          { kind: "flagged-again", week },
          {
            expression: "#last < :week",
            names: { "#last": "lastFlaggedWeek" },
            values: { ":week": week },
          },
        ),
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
    for (const alert of (page.Items ?? []).map(alertFromItem)) {
      if (options.state && alert.state !== options.state) continue;
      alerts.push(alert);
    }
    start = alerts.length < limit ? page.LastEvaluatedKey : undefined;
  } while (start);
  return alerts
    .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt) || a.alertId.localeCompare(b.alertId))
    .slice(0, limit);
}

/** One alert by id. */
export async function getAlert(deps: InsightDeps, alertId: string): Promise<Alert> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: decodeId(alertId) }),
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
  return updateAlert(
    deps,
    alertUpdate(
      decodeId(alertId),
      {
        kind: "moved",
        to,
        by: author.sub,
        at: at.toISOString(),
        event: historyEntry(to, to, author, at, note),
      },
      {
        expression: "#state = :from",
        names: { "#state": "state" },
        values: { ":from": current.state },
      },
    ),
  );
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
  return updateAlert(
    deps,
    alertUpdate(
      decodeId(alertId),
      { kind: "note", event: { ...historyEntry("note", current.state, by, at, note), note } },
      // The item must exist (an update would create one). Notes racing each other can
      // pass the count above together; this bounds them by the limit plus the two
      // changes of state an alert can have.
      {
        expression:
          "attribute_exists(#pk) AND (attribute_not_exists(#history) OR size(#history) < :limit)",
        names: { "#pk": KEYS.pk, "#history": "history" },
        values: { ":limit": MAX_ALERT_NOTES + 2 },
      },
    ),
  );
}

/**
 * Sends one alert update and reads the alert back; a failed condition means another writer
 * moved the alert since it was read, which the caller can only resolve by reloading it.
 */
async function updateAlert(
  deps: InsightDeps,
  update: ReturnType<typeof alertUpdate>,
): Promise<Alert> {
  try {
    const updated = await deps.db.send(
      new UpdateCommand({ TableName: deps.table, ...update, ReturnValues: "ALL_NEW" }),
    );
    return alertFromItem(updated.Attributes ?? {});
  } catch (error) {
    if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
    throw new InvalidRequestError("the alert changed meanwhile: reload it", []);
  }
}
