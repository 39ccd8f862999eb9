import { useEffect, useState } from "preact/hooks";
import type { Rubric } from "../../shared/rubric";
import { type ApiClient, ApiError } from "../lib/api";
import { type AgentSort, AgentsPanel, nextSort } from "./agents-panel";
import { AlertsPanel, CHANNEL_ALL } from "./alerts-panel";
import { CalibrationPanel } from "./calibration-panel";
import { ChannelsPanel } from "./channels-panel";
import { Controls, type Filters, filtersFromUrl, filtersToQuery, Options } from "./controls";
import { query } from "./format";
import { TrendsPanel } from "./trends-panel";
import type {
  AgentsReport,
  Alert,
  CalibrationReport,
  ChannelReport,
  DashboardConfig,
  ShownSeries,
  TrendSeries,
} from "./types";

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  api: ApiClient;
  config: DashboardConfig;
  /** The signed-in user as the header shows it; empty when the token has no subject. */
  who: string;
  /** Only the QA team (admins, managers without a vendor) acknowledges and resolves alerts. */
  qaTeam: boolean;
  /** The page's query string, for the filters a link carries. */
  search: string;
  /** Keeps the filters in the address bar (history.replaceState in the browser). */
  onFilters: (query: string) => void;
  /** Today, as `yyyy-mm-dd` in UTC. */
  today: string;
}

type Phase =
  | { kind: "loading" }
  | { kind: "denied"; text: string }
  | { kind: "fatal"; text: string }
  | { kind: "ready"; vendors: string[]; labels: Record<string, string>; start: Filters };

/** The API's message with the refused fields, if it named any. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message + (e.fieldSummary ? ` (${e.fieldSummary})` : "");
  return e instanceof Error ? e.message : String(e);
}

/**
 * The managers' dashboard: per vendor, trend charts with 95% interval bands and drift
 * markers, the drift alerts (acknowledge, resolve, respond), the channel comparison, the
 * calibration panel and the agent table, with CSV exports. Every piece of API text is
 * rendered as text: vendor, agent and note text come from uploaded data and people.
 */
export function DashboardApp(props: DashboardAppProps) {
  const { api, config } = props;
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    (async () => {
      let vendors: string[];
      let rubric: Rubric | null;
      try {
        const [list, r] = await Promise.all([
          api.get<{ vendors: string[] }>("/api/vendors"),
          api.rubric().catch(() => null),
        ]);
        vendors = list.vendors;
        rubric = r;
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.status === 403)
          setPhase({
            kind: "denied",
            text: `You are signed in without a manager or admin role, so there are no results to show here (the server said: ${e.message}). Reviewers score interactions in the review queue.`,
          });
        else if (!(e instanceof ApiError && e.status === 401))
          setPhase({ kind: "fatal", text: `The dashboard could not load: ${errorText(e)}` });
        return;
      }
      if (!live) return;
      if (vendors.length === 0) {
        setPhase({
          kind: "fatal",
          text: "No vendor has data yet: upload transcripts and let the sampler run.",
        });
        return;
      }
      const labels: Record<string, string> = {};
      for (const d of rubric?.dimensions ?? []) labels[d.id] = d.name;
      setPhase({
        kind: "ready",
        vendors,
        labels,
        start: filtersFromUrl(props.search, vendors, config, props.today),
      });
    })();
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <header>
        <h1>Spotcheck · dashboard</h1>
        <nav>
          <a href="/review">Review queue</a>
        </nav>
        <span class="who" id="who">
          {props.who}
        </span>
        <button id="signout" type="button" onClick={() => api.signOut(config.signOutUrl)}>
          Sign out
        </button>
      </header>
      <main>
        <section id="denied" class="panel notice" hidden={phase.kind !== "denied"}>
          <h2>This dashboard is for managers</h2>
          <p id="deniedText">{phase.kind === "denied" ? phase.text : ""}</p>
          <p>
            <a href="/review">Go to the review queue</a>
          </p>
        </section>
        <p class="msg err" id="fatal" role="alert" hidden={phase.kind !== "fatal"}>
          {phase.kind === "fatal" ? phase.text : ""}
        </p>
        {phase.kind === "ready" ? (
          <Panels {...props} vendors={phase.vendors} labels={phase.labels} start={phase.start} />
        ) : (
          <div id="app" hidden />
        )}
      </main>
    </>
  );
}

function Panels(
  props: DashboardAppProps & { vendors: string[]; labels: Record<string, string>; start: Filters },
) {
  const { api, config, vendors, labels } = props;
  const dimLabel = (d: string) => labels[d] ?? d;
  const [filters, setFilters] = useState<Filters>(props.start);
  const [focus, setFocus] = useState(
    props.start.dimension === "all" ? (config.dimensions[0] ?? "") : props.start.dimension,
  );
  const { vendor, dimension, channel, granularity, from, to } = filters;

  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [alertsError, setAlertsError] = useState("");
  const [trends, setTrends] = useState<ShownSeries[]>([]);
  const [trendsError, setTrendsError] = useState("");
  const [trendsLoading, setTrendsLoading] = useState(false);
  const [channels, setChannels] = useState<ChannelReport | null>(null);
  const [channelsError, setChannelsError] = useState("");
  const [agents, setAgents] = useState<AgentsReport | null>(null);
  const [agentsError, setAgentsError] = useState("");
  const [agentSort, setAgentSort] = useState<AgentSort>({ key: "rank", dir: 1 });
  const [calibration, setCalibration] = useState<CalibrationReport | null>(null);
  const [calibrationError, setCalibrationError] = useState("");

  useEffect(() => {
    props.onFilters(filtersToQuery(filters));
  }, [filters]);

  // Each panel keeps only the answer to its latest request: a slow older answer is dropped.
  useEffect(() => {
    let live = true;
    setAlertsError("");
    api
      .get<{ alerts: Alert[] }>(`/api/drift?${query({ vendor })}`)
      .then((data) => live && setAlerts(data.alerts))
      .catch((e: unknown) => {
        if (!live) return;
        setAlerts([]);
        setAlertsError(`Alerts could not be loaded: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [vendor, from, to]);

  useEffect(() => {
    let live = true;
    const dims = dimension === "all" ? [...config.dimensions] : [dimension];
    setTrendsError("");
    setTrendsLoading(true);
    void Promise.allSettled(
      dims.map((d) =>
        api.get<TrendSeries>(
          `/api/trends?${query({ vendor, dimension: d, channel, granularity, from, to })}`,
        ),
      ),
    ).then((results) => {
      if (!live) return;
      const shown: ShownSeries[] = [];
      const failures: string[] = [];
      results.forEach((r, i) => {
        const d = dims[i] ?? "";
        if (r.status === "rejected") failures.push(`${dimLabel(d)}: ${errorText(r.reason)}`);
        else
          shown.push({
            vendor,
            channel: channel || CHANNEL_ALL,
            dimension: d,
            granularity,
            points: r.value.points,
          });
      });
      setTrends(shown);
      setTrendsError(failures.join(" · "));
      setTrendsLoading(false);
    });
    return () => {
      live = false;
    };
  }, [vendor, dimension, channel, granularity, from, to]);

  useEffect(() => {
    let live = true;
    setChannelsError("");
    api
      .get<ChannelReport>(`/api/channels?${query({ vendor, dimension: focus, from, to })}`)
      .then((report) => live && setChannels(report))
      .catch((e: unknown) => {
        if (!live) return;
        setChannels(null);
        setChannelsError(`The channel comparison could not be loaded: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [vendor, focus, from, to]);

  useEffect(() => {
    let live = true;
    setAgentsError("");
    api
      .get<AgentsReport>(`/api/agents?${query({ vendor, dimension: focus, from, to })}`)
      .then(
        (report) => live && setAgents({ agents: report.agents, pooling: report.pooling ?? null }),
      )
      .catch((e: unknown) => {
        if (!live) return;
        setAgents(null);
        setAgentsError(`The agent table could not be loaded: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [vendor, focus, from, to]);

  useEffect(() => {
    let live = true;
    setCalibrationError("");
    api
      .get<CalibrationReport>(`/api/calibration?${query({ vendor, from, to })}`)
      .then((report) => live && setCalibration(report))
      .catch((e: unknown) => {
        if (!live) return;
        setCalibration(null);
        setCalibrationError(`Calibration could not be loaded: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [vendor, from, to]);

  function applyFilters(next: Filters) {
    setFilters(next);
    if (next.dimension !== "all") setFocus(next.dimension);
  }

  const focusSelect = (id: "channelsDimension" | "agentsDimension") => (
    <label class="inline">
      Dimension{" "}
      <select
        id={id}
        class="focus-dim"
        value={focus}
        onChange={(e) => setFocus(e.currentTarget.value)}
      >
        <Options values={config.dimensions} label={dimLabel} />
      </select>
    </label>
  );
  const grain = { day: "daily", week: "weekly", month: "monthly" }[granularity];

  return (
    <div id="app">
      <Controls
        filters={filters}
        vendors={vendors}
        config={config}
        dimLabel={dimLabel}
        onApply={applyFilters}
      />
      <TrendsPanel
        series={trends}
        alerts={alerts}
        loading={trendsLoading}
        error={trendsError}
        subtitle={`${vendor} · ${channel || "all channels"} · ${grain} · ${from} to ${to}`}
        vendor={vendor}
        from={from}
        to={to}
        minReviews={config.minReviews}
        dimLabel={dimLabel}
      />
      <AlertsPanel
        api={api}
        vendor={vendor}
        alerts={alerts}
        error={alertsError}
        onAlertChanged={(changed) =>
          setAlerts((all) => all.map((a) => (a.alertId === changed.alertId ? changed : a)))
        }
        qaTeam={props.qaTeam}
        dimLabel={dimLabel}
        errorText={errorText}
      />
      <div class="grid2">
        <ChannelsPanel
          report={channels}
          error={channelsError}
          subtitle={`${dimLabel(focus)} · ${vendor} · ${from} to ${to} (whole range)`}
          dimensionSelect={focusSelect("channelsDimension")}
        />
        <CalibrationPanel
          report={calibration}
          error={calibrationError}
          dimensions={config.dimensions}
          dimLabel={dimLabel}
          alphaReading={config.alphaReading}
        />
      </div>
      <AgentsPanel
        report={agents}
        error={agentsError}
        subtitle={`${dimLabel(focus)} · ${vendor} · ${from} to ${to} · an estimate needs at least ${config.minReviews} reviews`}
        sort={agentSort}
        onSort={(key) => setAgentSort((s) => nextSort(s, key))}
        vendor={vendor}
        dimension={focus}
        from={from}
        to={to}
        dimensionSelect={focusSelect("agentsDimension")}
      />
    </div>
  );
}
