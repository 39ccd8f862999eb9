import { useState } from "preact/hooks";
import { toCsv } from "../../shared/csv";
import type { ApiClient } from "../lib/api";
import { downloadCsv } from "../lib/download";
import { ScrollRegion } from "../lib/scroll-region";
import { fmt, fmtP, plural } from "./format";
import type { Alert, AlertEvent } from "./types";

/** A channel value meaning every channel of the vendor together. */
export const CHANNEL_ALL = "all";

const FILTERS = [
  ["active", "open and acknowledged"],
  ["all", "all"],
  ["open", "open"],
  ["acknowledged", "acknowledged"],
  ["resolved", "resolved"],
] as const;
type AlertFilter = (typeof FILTERS)[number][0];

const COLUMNS = [
  "Week",
  "Channel",
  "Dimension",
  "Baseline → current",
  "p",
  "Weeks flagged",
  "State",
  "Notes",
  "Action",
] as const;

/** One line of an alert's history; the CSV export keeps the full time. */
export function eventLine(e: AlertEvent, fullTime: boolean): string {
  return `${fullTime ? e.at : e.at.slice(0, 10)} · ${e.action} by ${e.by}${e.vendor ? ` (${e.vendor})` : ""}${e.note ? `: ${e.note}` : ""}`;
}

/** Props of {@link AlertsPanel}. */
export interface AlertsPanelProps {
  api: ApiClient;
  vendor: string;
  /** The vendor's alerts; null while loading. */
  alerts: readonly Alert[];
  /** Why they could not be loaded, if they could not. */
  error: string;
  onAlertChanged: (alert: Alert) => void;
  /** Only the QA team (admins, managers without a vendor) acknowledges and resolves. */
  qaTeam: boolean;
  dimLabel: (d: string) => string;
  errorText: (e: unknown) => string;
}

/** The drift alerts of the vendor: filter, act on one (acknowledge, resolve, note), export. */
export function AlertsPanel(props: AlertsPanelProps) {
  const { alerts, vendor } = props;
  const [filter, setFilter] = useState<AlertFilter>("active");
  const shown = alerts.filter((a) =>
    filter === "all" ? true : filter === "active" ? a.state !== "resolved" : a.state === filter,
  );

  function exportCsv() {
    const rows = shown.map((a) => ({
      week: a.week,
      vendor: a.vendor,
      channel: a.channel,
      dimension: a.dimension,
      state: a.state,
      baseline: a.baseline ? a.baseline.estimate : null,
      current: a.current ? a.current.estimate : null,
      p_value: a.pValue,
      weeks_flagged: a.weeksFlagged,
      last_flagged_week: a.lastFlaggedWeek,
      detected_at: a.detectedAt,
      acknowledged_by: a.acknowledgedBy,
      acknowledged_at: a.acknowledgedAt,
      resolved_by: a.resolvedBy,
      resolved_at: a.resolvedAt,
      notes: (a.history ?? [])
        .filter((e) => e.note)
        .map((e) => eventLine(e, true))
        .join("\n"),
    }));
    downloadCsv(
      `spotcheck-alerts-${vendor}.csv`,
      toCsv(rows, [
        "week",
        "vendor",
        "channel",
        "dimension",
        "state",
        "baseline",
        "current",
        "p_value",
        "weeks_flagged",
        "last_flagged_week",
        "detected_at",
        "acknowledged_by",
        "acknowledged_at",
        "resolved_by",
        "resolved_at",
        "notes",
      ]),
    );
  }

  return (
    <section class="panel" id="alertsPanel" aria-labelledby="alertsTitle">
      <div class="panel-head">
        <h2 id="alertsTitle">Drift alerts</h2>
        <label class="inline">
          Show{" "}
          <select
            id="alertFilter"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value as AlertFilter)}
          >
            {FILTERS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button type="button" id="alertsCsv" class="csv" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <p class="sub">
        A decline against the series' trailing baseline, tested every week (false-discovery rate
        controlled across series).
      </p>
      <p class="msg err" id="alertsMsg" role="alert">
        {props.error}
      </p>
      <ScrollRegion label="drift alerts">
        <table id="alertsTable" hidden={shown.length === 0}>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} class={c === "Weeks flagged" ? "num" : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody id="alertRows">
            {shown.map((a) => (
              <AlertRow
                key={`${a.alertId}:${a.state}:${a.history?.length ?? 0}`}
                alert={a}
                {...props}
              />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p class="empty" id="alertsEmpty" hidden={shown.length > 0}>
        {alerts.length === 0
          ? `No drift alerts for ${vendor}.`
          : `No alerts match this filter (${plural(alerts.length, "alert", "alerts")} in all).`}
      </p>
    </section>
  );
}

type Action = "acknowledge" | "resolve" | "respond";

function AlertRow(props: AlertsPanelProps & { alert: Alert }) {
  const { alert: a, qaTeam, api } = props;
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function act(action: Action) {
    setError("");
    const text = note.trim();
    if (action === "respond" && !text) {
      setError("Write a note first.");
      return;
    }
    setBusy(true);
    try {
      const data = await api.post<{ alert: Alert }>(
        `/api/drift/${encodeURIComponent(a.alertId)}/${action}`,
        text ? { note: text } : {},
      );
      props.onAlertChanged(data.alert);
    } catch (e) {
      setError(props.errorText(e));
      setBusy(false);
    }
  }

  const change = `${a.baseline ? fmt(a.baseline.estimate) : "—"} → ${a.current ? fmt(a.current.estimate) : "—"}`;
  const notes = (a.history ?? []).filter((e) => e.note);
  const cell = (i: number) => COLUMNS[i];
  return (
    <tr data-alert={a.alertId} data-state={a.state}>
      <td data-label={cell(0)}>{a.week}</td>
      <td data-label={cell(1)}>{a.channel === CHANNEL_ALL ? "all channels" : a.channel}</td>
      <td data-label={cell(2)}>{props.dimLabel(a.dimension)}</td>
      <td data-label={cell(3)}>{change}</td>
      <td data-label={cell(4)}>p {fmtP(a.pValue)}</td>
      <td data-label={cell(5)} class="num">
        {a.weeksFlagged}
      </td>
      <td data-label={cell(6)}>
        <span class={`badge ${a.state}`}>{a.state}</span>
        {a.acknowledgedBy ? (
          <span class="by">
            acknowledged by {a.acknowledgedBy}
            {a.acknowledgedAt ? ` · ${a.acknowledgedAt.slice(0, 10)}` : ""}
          </span>
        ) : null}
        {a.resolvedBy ? (
          <span class="by">
            resolved by {a.resolvedBy}
            {a.resolvedAt ? ` · ${a.resolvedAt.slice(0, 10)}` : ""}
          </span>
        ) : null}
      </td>
      <td data-label={cell(7)} class="note">
        {notes.length > 0 ? (
          <ol class="notes">
            {notes.map((e) => (
              <li
                key={`${e.at}:${e.by}`}
                class={e.vendor ? "vendor" : undefined}
                data-action={e.action}
              >
                {eventLine(e, false)}
              </li>
            ))}
          </ol>
        ) : null}
      </td>
      <td data-label={cell(8)}>
        <div class="actions">
          <input
            type="text"
            maxLength={500}
            placeholder={qaTeam ? "note (optional)" : "your response"}
            aria-label={`note for alert ${a.week} ${a.channel} ${a.dimension}`}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          {qaTeam && a.state === "open" ? (
            <button
              type="button"
              class="ack"
              disabled={busy}
              onClick={() => void act("acknowledge")}
            >
              Acknowledge
            </button>
          ) : null}
          {qaTeam && a.state !== "resolved" ? (
            <button
              type="button"
              class="resolve"
              disabled={busy}
              onClick={() => void act("resolve")}
            >
              Resolve
            </button>
          ) : null}
          <button type="button" class="respond" disabled={busy} onClick={() => void act("respond")}>
            {qaTeam ? "Add note" : "Respond"}
          </button>
          <p class="err" role="alert">
            {error}
          </p>
        </div>
      </td>
    </tr>
  );
}
