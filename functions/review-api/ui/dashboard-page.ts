import { csvCell } from "../../../shared/csv";
import { GRANULARITIES, MIN_REVIEWS } from "../../../shared/estimate";
import { DIMENSIONS } from "../../../shared/rubric";
import { ALPHA_VERDICT_TEXT } from "../../../shared/stats/alpha-verdict";
import { CHANNELS } from "../../../shared/transcript";

/**
 * The managers' dashboard: per vendor, trend charts with 95% interval bands and drift
 * markers, the channel comparison, the agent table, the drift alerts (acknowledge and
 * resolve), the calibration panel and CSV exports. One static page: the script reads the
 * JSON API with the bearer token kept in sessionStorage (as the reviewer page does), and
 * builds every piece of API text with `textContent` — vendor, agent and note text come from
 * uploaded data and people, so none of it is ever parsed as HTML. Charts are uPlot, served
 * from this origin at `/assets/uplot.js`. CSV exports use `shared/csv.ts`'s `csvCell`, whose
 * source is sent along with the script.
 */
export function dashboardPage(options: { signInUrl: string; signOutUrl?: string }): string {
  const config = {
    signInUrl: options.signInUrl,
    signOutUrl: options.signOutUrl ?? options.signInUrl,
    reviewPath: "/review",
    tokenKey: "spotcheck.token",
    dimensions: DIMENSIONS,
    channels: CHANNELS,
    granularities: GRANULARITIES,
    minReviews: MIN_REVIEWS,
    alphaReading: ALPHA_VERDICT_TEXT,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · dashboard</title>
<link rel="stylesheet" href="/assets/uplot.css">
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Spotcheck · dashboard</h1>
  <nav><a href="/review">Review queue</a></nav>
  <span class="who" id="who"></span>
  <button id="signout" type="button">Sign out</button>
</header>
<main>
  <section id="denied" class="panel notice" hidden>
    <h2>This dashboard is for managers</h2>
    <p id="deniedText"></p>
    <p><a href="/review">Go to the review queue</a></p>
  </section>
  <p class="msg err" id="fatal" role="alert" hidden></p>
  <div id="app" hidden>
    <form class="controls panel" id="controls" aria-label="filters">
      <label>Vendor <select id="vendor"></select></label>
      <label>Dimension <select id="dimension"></select></label>
      <label>Channel <select id="channel"></select></label>
      <label>Granularity <select id="granularity"></select></label>
      <label>From <input type="date" id="from" required></label>
      <label>To <input type="date" id="to" required></label>
      <p class="msg err" id="controlsMsg" role="alert"></p>
    </form>

    <section class="panel" id="trendsPanel" aria-labelledby="trendsTitle">
      <div class="panel-head">
        <h2 id="trendsTitle">Trends</h2>
        <span class="sub" id="trendsSub"></span>
        <button type="button" id="trendsCsv" class="csv">Export CSV</button>
      </div>
      <p class="key" aria-label="chart key">
        <span><i class="sw line"></i>weighted estimate</span>
        <span><i class="sw band"></i>95% interval</span>
        <span><i class="sw drift"></i>drift alert (week detected)</span>
        <span><i class="sw resolved"></i>resolved alert</span>
        <span><i class="sw gap"></i>too few reviews: no estimate</span>
      </p>
      <p class="msg err" id="trendsMsg" role="alert"></p>
      <div id="charts" class="charts"></div>
    </section>

    <section class="panel" id="alertsPanel" aria-labelledby="alertsTitle">
      <div class="panel-head">
        <h2 id="alertsTitle">Drift alerts</h2>
        <label class="inline">Show <select id="alertFilter">
          <option value="active">open and acknowledged</option>
          <option value="all">all</option>
          <option value="open">open</option>
          <option value="acknowledged">acknowledged</option>
          <option value="resolved">resolved</option>
        </select></label>
        <button type="button" id="alertsCsv" class="csv">Export CSV</button>
      </div>
      <p class="sub">A decline against the series' trailing baseline, tested every week (false-discovery rate controlled across series).</p>
      <p class="msg err" id="alertsMsg" role="alert"></p>
      <div class="scroll"><table id="alertsTable">
        <thead><tr><th>Week</th><th>Channel</th><th>Dimension</th><th>Baseline → current</th><th>p</th><th class="num">Weeks flagged</th><th>State</th><th>Notes</th><th>Action</th></tr></thead>
        <tbody id="alertRows"></tbody>
      </table></div>
      <p class="empty" id="alertsEmpty" hidden></p>
    </section>

    <div class="grid2">
      <section class="panel" id="channelsPanel" aria-labelledby="channelsTitle">
        <div class="panel-head">
          <h2 id="channelsTitle">Channel comparison</h2>
          <label class="inline">Dimension <select id="channelsDimension" class="focus-dim"></select></label>
        </div>
        <p class="sub" id="channelsSub"></p>
        <p class="msg err" id="channelsMsg" role="alert"></p>
        <div class="scroll"><table id="channelsTable">
          <thead><tr><th>Channel</th><th class="plotcol">Estimate and 95% CI <span class="scale" id="channelsScale"></span></th><th>Estimate</th><th>95% CI</th><th class="num">Reviewed</th></tr></thead>
          <tbody id="channelRows"></tbody>
        </table></div>
        <p id="channelsGap"></p>
        <p id="channelsVerdict" class="verdict"></p>
        <p class="sub" id="channelsMeaning"></p>
        <div id="withinBox" hidden>
          <h3>Within agents</h3>
          <p class="sub" id="withinSub"></p>
          <div class="scroll"><table id="withinTable">
            <thead><tr><th>Channel</th><th>Difference from <span id="withinReference"></span></th><th>95% CI</th></tr></thead>
            <tbody id="withinRows"></tbody>
          </table></div>
          <p id="withinVerdict" class="verdict"></p>
        </div>
      </section>

      <section class="panel" id="calibrationPanel" aria-labelledby="calibrationTitle">
        <div class="panel-head"><h2 id="calibrationTitle">Calibration</h2></div>
        <p class="sub">Agreement between reviewers who scored the same interactions (Krippendorff's ordinal α: 1 is perfect, 0.8 or more is good, under 0.667 is too low to rely on).</p>
        <p class="msg err" id="calibrationMsg" role="alert"></p>
        <div class="scroll"><table id="alphaTable">
          <thead><tr><th>Dimension</th><th>α</th><th>95% CI</th><th class="num">Units</th><th>Reading</th></tr></thead>
          <tbody id="alphaRows"></tbody>
        </table></div>
        <p class="sub" id="alphaMeaning"></p>
        <p class="sub" id="calibrationSub"></p>
        <p class="msg warn" id="calibrationAnomalies" role="status"></p>
        <div id="reviewersBox" hidden>
          <h3>Reviewers</h3>
          <p class="sub" id="severityMeaning"></p>
          <div class="scroll"><table id="reviewersTable">
            <thead><tr id="reviewersHead"></tr></thead>
            <tbody id="reviewerRows"></tbody>
          </table></div>
        </div>
      </section>
    </div>

    <section class="panel" id="agentsPanel" aria-labelledby="agentsTitle">
      <div class="panel-head">
        <h2 id="agentsTitle">Agents</h2>
        <label class="inline">Dimension <select id="agentsDimension" class="focus-dim"></select></label>
        <button type="button" id="agentsCsv" class="csv">Export CSV</button>
      </div>
      <p class="sub" id="agentsSub"></p>
      <p class="sub" id="agentsMeaning"></p>
      <p class="msg err" id="agentsMsg" role="alert"></p>
      <div class="scroll"><table id="agentsTable">
        <thead><tr>
          <th aria-sort="ascending" class="num"><button type="button" class="sort" data-key="rank">Rank</button></th>
          <th aria-sort="none"><button type="button" class="sort" data-key="agent">Agent</button></th>
          <th aria-sort="none"><button type="button" class="sort" data-key="pooled">Pooled</button></th>
          <th>Pooled 95% CI</th>
          <th aria-sort="none"><button type="button" class="sort" data-key="estimate">Raw</button></th>
          <th>Raw 95% CI</th>
          <th aria-sort="none" class="num"><button type="button" class="sort" data-key="reviewed">Reviewed</button></th>
          <th aria-sort="none" class="num"><button type="button" class="sort" data-key="population">Population</button></th>
          <th>Status</th>
        </tr></thead>
        <tbody id="agentRows"></tbody>
      </table></div>
    </section>
  </div>
</main>
<script type="application/json" id="config">${jsonForHtml(config)}</script>
<script src="/assets/uplot.js"></script>
<script>const csvCell = ${csvCell.toString()};
${SCRIPT}</script>
</body>
</html>`;
}

/** JSON that is safe inside a `<script>` element: nothing in it can close the element. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const STYLE = `
  :root { --ink:#1d2430; --muted:#5b6678; --line:#e3e7ee; --accent:#2b59c3; --bg:#f6f7fb; --warn:#b7791f; --bad:#c53030; --ok:#1f8a4c; }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
  header { background:#fff; border-bottom:1px solid var(--line); padding:10px 16px; display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
  header h1 { font-size:17px; margin:0; }
  header nav a { color:var(--accent); font-size:14px; }
  header .who { color:var(--muted); font-size:14px; margin-left:auto; overflow-wrap:anywhere; }
  a { color:var(--accent); }
  button { font: inherit; border:1px solid var(--line); background:#fff; border-radius:8px; padding:5px 10px; cursor:pointer; }
  button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
  button:disabled { opacity:.5; cursor:default; }
  select, input { font:inherit; font-size:14px; border:1px solid #d5dae3; border-radius:8px; padding:4px 6px; background:#fff; max-width:100%; }
  main { max-width:1280px; margin:0 auto; padding:12px 16px 32px; display:grid; gap:14px; }
  #app { display:grid; gap:14px; min-width:0; }
  .panel { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; min-width:0; }
  .panel h2 { font-size:16px; margin:0; }
  .panel h3 { font-size:14px; margin:12px 0 4px; }
  .panel-head { display:flex; gap:10px; align-items:center; flex-wrap:wrap; margin-bottom:4px; }
  .panel-head .csv { margin-left:auto; }
  .controls { display:flex; flex-wrap:wrap; gap:10px 14px; align-items:end; position:sticky; top:0; z-index:5; margin:0; }
  .controls label { display:grid; gap:2px; font-size:12px; color:var(--muted); }
  .controls .msg { flex-basis:100%; margin:0; min-height:0; }
  label.inline { font-size:13px; color:var(--muted); display:flex; gap:6px; align-items:center; }
  .sub { color:var(--muted); font-size:13px; margin:2px 0 6px; }
  .msg { font-size:14px; margin:4px 0; }
  .msg:empty { display:none; }
  .err { color:var(--bad); }
  .warn { color:var(--warn); }
  .notice { max-width:640px; }
  .grid2 { display:grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap:14px; }
  #reviewersTable td, #reviewersTable th { padding:5px 6px; }
  @media (max-width: 900px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
  .scroll { overflow-x:auto; max-width:100%; }
  table { border-collapse:collapse; width:100%; font-size:14px; font-variant-numeric: tabular-nums; }
  td, th { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; white-space:nowrap; }
  td.note, td.wrap, th.wrap { white-space:normal; }
  th { font-size:12px; color:var(--muted); font-weight:600; white-space:nowrap; }
  td.num, th.num { text-align:right; }
  th button.sort { border:0; padding:0; background:none; color:inherit; font-weight:600; font-size:12px; }
  th[aria-sort="ascending"] button.sort::after { content:" ▲"; }
  th[aria-sort="descending"] button.sort::after { content:" ▼"; }
  tr.insufficient td { color:var(--muted); }
  td.insufficient-text { font-style:italic; white-space:normal; min-width:9em; }
  .badge { display:inline-block; border-radius:999px; padding:0 8px; font-size:12px; font-weight:600; border:1px solid transparent; white-space:nowrap; }
  .badge.open { background:#fde8e8; color:var(--bad); border-color:#f5c2c2; }
  .badge.acknowledged { background:#fdf3e1; color:var(--warn); border-color:#f1d9a9; }
  .badge.resolved { background:#e6f4ec; color:var(--ok); border-color:#bfe3cd; }
  .badge.ok { background:#eef3ff; color:var(--accent); }
  .badge.insufficient { background:#f3f4f6; color:var(--muted); }
  .badge.harsh, .badge.lenient { background:#fdf3e1; color:var(--warn); border-color:#f1d9a9; }
  .badge.verdict-good { background:#e6f4ec; color:var(--ok); border-color:#bfe3cd; }
  .badge.verdict-low { background:#fde8e8; color:var(--bad); border-color:#f5c2c2; }
  .by { display:block; color:var(--muted); font-size:12px; }
  .actions { display:flex; flex-wrap:wrap; gap:4px; align-items:center; min-width:220px; }
  .actions input { flex:1 1 120px; min-width:0; }
  .actions .err { flex-basis:100%; margin:0; font-size:13px; }
  .note { overflow-wrap:anywhere; max-width:320px; }
  ol.notes { margin:0; padding-left:18px; font-size:13px; }
  ol.notes li { margin:0 0 3px; }
  ol.notes li.vendor { color:var(--warn); }
  .key { display:flex; flex-wrap:wrap; gap:4px 16px; font-size:12px; color:var(--muted); margin:2px 0 6px; }
  .key span { display:inline-flex; align-items:center; gap:6px; }
  .sw { display:inline-block; width:18px; height:10px; }
  .sw.line { height:0; border-top:2px solid var(--accent); }
  .sw.band { background:rgba(43,89,195,0.18); }
  .sw.drift { width:0; height:14px; border-left:2px dashed var(--bad); }
  .sw.resolved { width:0; height:14px; border-left:2px dashed #98a2b3; }
  .sw.gap { background:repeating-linear-gradient(135deg, #eceef3 0 3px, #f8f9fb 3px 6px); border:1px solid var(--line); }
  .charts { display:grid; gap:12px; }
  .chart-card { min-width:0; }
  .chart-card h3 { margin:4px 0 2px; }
  .chart { min-height:60px; width:100%; overflow:hidden; }
  .chart .u-legend { font-size:12px; }
  .chart-note { font-size:13px; color:var(--muted); margin:2px 0 0; }
  .plotcol { width:36%; }
  th.plotcol { white-space:normal; }
  .plotcol .scale { font-weight:400; }
  .track { position:relative; height:16px; min-width:110px; }
  .track .axis { position:absolute; left:0; right:0; top:7px; border-top:1px solid var(--line); }
  .track .whisker { position:absolute; top:3px; height:10px; border-left:2px solid var(--accent); border-right:2px solid var(--accent); }
  .track .whisker::before { content:""; position:absolute; left:0; right:0; top:4px; border-top:2px solid var(--accent); }
  .track .dot { position:absolute; top:3px; width:10px; height:10px; margin-left:-5px; border-radius:50%; background:var(--accent); }
  .verdict { font-weight:600; }
  .verdict.differ { color:var(--bad); }
  .empty { color:var(--muted); font-size:14px; }
  .loading { opacity:.55; }
  @media (max-width: 560px) {
    main { padding:8px 8px 24px; }
    .panel { padding:10px; }
    .controls { position:static; }
    .controls label { flex:1 1 40%; }
    .controls select, .controls input { width:100%; }
    /* The alerts become cards: their actions stay on screen instead of scrolling sideways. */
    #alertsTable thead { display:none; }
    #alertsTable, #alertsTable tbody, #alertsTable tr, #alertsTable td { display:block; width:100%; }
    #alertsTable tr { border:1px solid var(--line); border-radius:8px; padding:6px 10px; margin-bottom:8px; }
    #alertsTable td { border:0; padding:2px 0; display:flex; gap:10px; white-space:normal; text-align:left; }
    #alertsTable td::before { content:attr(data-label); flex:0 0 104px; color:var(--muted); font-size:12px; padding-top:2px; }
    #alertsTable td:empty, #alertsTable td.note:empty { display:none; }
    #alertsTable .actions { min-width:0; flex:1; }
    #alertsTable .note { max-width:none; }
  }
`;

// Plain browser JavaScript, written as a raw string: no template interpolation reaches it;
// the page's configuration comes from the JSON element above.
const SCRIPT = String.raw`
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("config").textContent);
  const $ = (id) => document.getElementById(id);
  const signInUrl = () => config.signInUrl + (config.signInUrl.indexOf("?") >= 0 ? "&" : "?") + "return=" + encodeURIComponent(location.pathname + location.search);
  const token = sessionStorage.getItem(config.tokenKey);
  if (!token) { location.replace(signInUrl()); return; }

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const td = (text, cls) => el("td", cls, text);
  const DAY_MS = 86400000;
  const CHANNEL_ALL = "all";
  const labels = {};
  const dimLabel = (d) => labels[d] || d;
  const fmt = (v, digits) => (typeof v === "number" && isFinite(v) ? v.toFixed(digits === undefined ? 2 : digits).replace("-", "−") : "—");
  const fmtCi = (ci) => (ci ? fmt(ci[0]) + " to " + fmt(ci[1]) : "—");
  const fmtP = (p) => (typeof p !== "number" ? "—" : p < 0.001 ? "< 0.001" : p < 0.01 ? "= " + p.toFixed(3) : "= " + p.toFixed(2));
  // Signed by the rounded value, so a tiny negative never reads "−0.00".
  const signed = (v) => { const r = Number(v.toFixed(2)); return (r > 0 ? "+" : r < 0 ? "−" : "") + Math.abs(r).toFixed(2); };
  const plural = (n, one, many) => n + " " + (n === 1 ? one : many);
  const insufficientText = (reviewed) => "insufficient data (" + plural(reviewed, "review", "reviews") + ")";
  const ALPHA_READING = config.alphaReading;

  // ---------------------------------------------------------------- API
  async function api(method, path, body, attempt) {
    let res;
    try {
      res = await fetch(path, { method, headers: Object.assign({ authorization: "Bearer " + token }, body ? { "content-type": "application/json" } : {}), body: body ? JSON.stringify(body) : undefined });
    } catch {
      throw Object.assign(new Error("The server did not answer: check your connection and try again."), { status: 0 });
    }
    // Over the per-user read limit: wait as told and ask again, twice at most (reads only).
    if (res.status === 429 && method === "GET" && (attempt || 0) < 2) {
      const wait = Math.min(10, Math.max(1, Number(res.headers.get("retry-after")) || 1));
      await new Promise((done) => setTimeout(done, wait * 1000));
      return api(method, path, body, (attempt || 0) + 1);
    }
    if (res.status === 401) {
      sessionStorage.removeItem(config.tokenKey);
      location.replace(signInUrl());
      throw Object.assign(new Error("Signed out: sign in again."), { status: 401 });
    }
    let data = null;
    try { data = await res.json(); } catch {}
    if (!res.ok) {
      const message = data && typeof data.error === "string" ? data.error : "the request failed (HTTP " + res.status + ")";
      throw Object.assign(new Error(message), { status: res.status, data });
    }
    return data;
  }
  function errorText(e) {
    const fields = e && e.data && Array.isArray(e.data.fields) ? e.data.fields : [];
    const detail = fields.map((f) => (f.path ? f.path + ": " : "") + f.message).join("; ");
    return (e && e.message ? e.message : String(e)) + (detail ? " (" + detail + ")" : "");
  }
  const query = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
    return q.toString();
  };

  // ---------------------------------------------------------------- CSV
  // csvCell is shared/csv.ts's own function, sent with the page: one rule for both exports.
  function toCsv(rows, columns) {
    return [columns.map(csvCell).join(",")].concat(rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))).join("\r\n") + "\r\n";
  }
  function download(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const a = el("a");
    a.href = url;
    a.download = name.replace(/[^A-Za-z0-9._-]+/g, "_");
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---------------------------------------------------------------- time
  const dayTs = (day) => Date.parse(day + "T00:00:00Z") / 1000;
  function weekStartTs(week) {
    const m = /^(\d{4})-W(\d{2})$/.exec(week);
    if (!m) return null;
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const monday1 = jan4 - ((new Date(jan4).getUTCDay() || 7) - 1) * DAY_MS;
    return (monday1 + (Number(m[2]) - 1) * 7 * DAY_MS) / 1000;
  }
  function periodTs(period) {
    if (/^\d{4}-W\d{2}$/.test(period)) return weekStartTs(period);
    if (/^\d{4}-\d{2}$/.test(period)) return dayTs(period + "-01");
    return dayTs(period);
  }
  const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);

  // ---------------------------------------------------------------- state
  const state = { vendor: "", dimension: "all", channel: "", granularity: "week", from: "", to: "", focus: config.dimensions[0] };
  let vendors = [];
  let alerts = [];
  let alertsLoaded = null;
  let trends = [];
  let agentRows = [];
  // Ranked by the pooled estimate unless the user sorts otherwise.
  let agentSort = { key: "rank", dir: 1 };
  let agentPooling = null;
  // Each panel keeps only the answer to its latest request: a slow older answer is dropped.
  const latest = { trends: 0, alerts: 0, channels: 0, agents: 0, calibration: 0 };
  const charts = [];

  // The token's claims, for display and to offer only the actions the server allows; the
  // server checks every request itself.
  const claims = (() => {
    try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); } catch { return {}; }
  })();
  const groups = Array.isArray(claims["cognito:groups"]) ? claims["cognito:groups"] : [];
  // Only the QA team (admins, managers without a vendor) acknowledges and resolves alerts.
  const qaTeam = groups.indexOf("admin") >= 0 || (groups.indexOf("manager") >= 0 && !claims["custom:vendor"]);
  function showWho() {
    if (!claims.sub) return;
    $("who").textContent = claims.sub + " · " + groups.join(", ") + (claims["custom:vendor"] ? " · " + claims["custom:vendor"] : "");
  }
  $("signout").addEventListener("click", () => { sessionStorage.removeItem(config.tokenKey); location.href = config.signOutUrl; });

  function fillSelect(select, options, value) {
    select.replaceChildren();
    for (const [v, text] of options) {
      const o = el("option", "", text);
      o.value = v;
      select.append(o);
    }
    select.value = value;
  }

  function readUrl() {
    const q = new URLSearchParams(location.search);
    const pick = (name, allowed) => { const v = q.get(name); return v !== null && allowed.indexOf(v) >= 0 ? v : undefined; };
    // A real calendar day, as the API's DaySchema: 2026-02-30 would roll over to 2 March.
    const validDay = (v) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= "1970-01-01" && !isNaN(Date.parse(v + "T00:00:00Z")) && utcDay(Date.parse(v + "T00:00:00Z")) === v ? v : undefined);
    return {
      vendor: pick("vendor", vendors),
      dimension: pick("dimension", ["all"].concat(config.dimensions)),
      channel: pick("channel", config.channels),
      granularity: pick("granularity", config.granularities),
      from: validDay(q.get("from")),
      to: validDay(q.get("to")),
    };
  }
  function writeUrl() {
    const q = query({ vendor: state.vendor, dimension: state.dimension === "all" ? "" : state.dimension, channel: state.channel, granularity: state.granularity === "week" ? "" : state.granularity, from: state.from, to: state.to });
    history.replaceState(null, "", location.pathname + (q ? "?" + q : ""));
  }

  async function start() {
    showWho();
    let rubric = null;
    try {
      const [vendorList, r] = await Promise.all([
        api("GET", "/api/vendors"),
        fetch("/api/rubric").then((res) => (res.ok ? res.json() : null)).catch(() => null),
      ]);
      vendors = vendorList.vendors;
      rubric = r;
    } catch (e) {
      if (e.status === 403) {
        $("deniedText").textContent = "You are signed in without a manager or admin role, so there are no results to show here (the server said: " + e.message + "). Reviewers score interactions in the review queue.";
        $("denied").hidden = false;
      } else if (e.status !== 401) {
        $("fatal").textContent = "The dashboard could not load: " + errorText(e);
        $("fatal").hidden = false;
      }
      return;
    }
    if (rubric && Array.isArray(rubric.dimensions)) for (const d of rubric.dimensions) labels[d.id] = d.name;
    if (vendors.length === 0) {
      $("fatal").textContent = "No vendor has data yet: upload transcripts and let the sampler run.";
      $("fatal").hidden = false;
      return;
    }
    const fromUrl = readUrl();
    const today = Date.now();
    state.vendor = fromUrl.vendor || vendors[0];
    state.dimension = fromUrl.dimension || "all";
    state.channel = fromUrl.channel || "";
    state.granularity = fromUrl.granularity || "week";
    state.to = fromUrl.to || utcDay(today);
    // The API's default range: the 13 weeks (91 days) up to and including "to".
    state.from = fromUrl.from || utcDay(Date.parse(state.to + "T00:00:00Z") - 90 * DAY_MS);
    state.focus = state.dimension === "all" ? config.dimensions[0] : state.dimension;

    fillSelect($("vendor"), vendors.map((v) => [v, v]), state.vendor);
    $("vendor").disabled = vendors.length === 1;
    fillSelect($("dimension"), [["all", "All dimensions"]].concat(config.dimensions.map((d) => [d, dimLabel(d)])), state.dimension);
    fillSelect($("channel"), [["", "All channels"]].concat(config.channels.map((c) => [c, c])), state.channel);
    const grainNames = { day: "Day", week: "Week", month: "Month" };
    fillSelect($("granularity"), config.granularities.map((g) => [g, grainNames[g] || g]), state.granularity);
    for (const id of ["channelsDimension", "agentsDimension"]) fillSelect($(id), config.dimensions.map((d) => [d, dimLabel(d)]), state.focus);
    $("from").value = state.from;
    $("to").value = state.to;
    $("app").hidden = false;

    $("controls").addEventListener("submit", (e) => e.preventDefault());
    $("controls").addEventListener("change", onControls);
    for (const id of ["channelsDimension", "agentsDimension"]) $(id).addEventListener("change", (e) => {
      state.focus = e.target.value;
      syncFocus();
      loadChannels();
      loadAgents();
    });
    $("alertFilter").addEventListener("change", renderAlerts);
    $("trendsCsv").addEventListener("click", exportTrends);
    $("agentsCsv").addEventListener("click", exportAgents);
    $("alertsCsv").addEventListener("click", exportAlerts);
    document.querySelectorAll("#agentsTable button.sort").forEach((b) => b.addEventListener("click", () => {
      const key = b.dataset.key;
      agentSort = agentSort.key === key ? { key, dir: -agentSort.dir } : { key, dir: key === "agent" || key === "rank" ? 1 : -1 };
      renderAgents();
    }));
    new ResizeObserver(resizeCharts).observe($("charts"));
    writeUrl();
    reloadAll();
  }

  function syncFocus() {
    for (const id of ["channelsDimension", "agentsDimension"]) $(id).value = state.focus;
  }

  function onControls(e) {
    const from = $("from").value;
    const to = $("to").value;
    if (!from || !to || from > to) {
      $("controlsMsg").textContent = "Pick a range whose start is on or before its end.";
      return;
    }
    $("controlsMsg").textContent = "";
    state.vendor = $("vendor").value;
    state.dimension = $("dimension").value;
    state.channel = $("channel").value;
    state.granularity = $("granularity").value;
    state.from = from;
    state.to = to;
    if (state.dimension !== "all") { state.focus = state.dimension; syncFocus(); }
    writeUrl();
    const id = e && e.target ? e.target.id : "";
    if (id === "channel" || id === "granularity") { loadTrends(); return; }
    if (id === "dimension") { loadTrends(); loadChannels(); loadAgents(); return; }
    reloadAll();
  }

  function reloadAll() {
    alertsLoaded = loadAlerts();
    loadTrends();
    loadChannels();
    loadAgents();
    loadCalibration();
  }

  // ---------------------------------------------------------------- trends
  function destroyCharts() {
    for (const c of charts.splice(0)) c.plot.destroy();
  }

  async function loadTrends() {
    const my = ++latest.trends;
    const dims = state.dimension === "all" ? config.dimensions.slice() : [state.dimension];
    const grain = { day: "daily", week: "weekly", month: "monthly" }[state.granularity];
    $("trendsSub").textContent = state.vendor + " · " + (state.channel || "all channels") + " · " + grain + " · " + state.from + " to " + state.to;
    $("trendsMsg").textContent = "";
    $("charts").classList.add("loading");
    const results = await Promise.allSettled(dims.map((d) => api("GET", "/api/trends?" + query({ vendor: state.vendor, dimension: d, channel: state.channel, granularity: state.granularity, from: state.from, to: state.to }))));
    await alertsLoaded;
    if (my !== latest.trends) return;
    destroyCharts();
    $("charts").replaceChildren();
    $("charts").classList.remove("loading");
    trends = [];
    const failures = [];
    results.forEach((r, i) => {
      const dimension = dims[i];
      if (r.status === "rejected") { failures.push(dimLabel(dimension) + ": " + errorText(r.reason)); return; }
      const series = { vendor: state.vendor, channel: state.channel || CHANNEL_ALL, dimension, granularity: state.granularity, points: r.value.points };
      trends.push(series);
      drawTrend(series);
    });
    $("trendsMsg").textContent = failures.join(" · ");
  }

  function markersFor(series) {
    return alerts.filter((a) => a.vendor === series.vendor && a.channel === series.channel && a.dimension === series.dimension);
  }

  function drawTrend(series) {
    const card = el("div", "chart-card");
    card.dataset.dimension = series.dimension;
    const title = el("h3", "", dimLabel(series.dimension));
    const box = el("div", "chart");
    const points = series.points;
    const insufficient = points.filter((p) => p.status !== "ok");
    const ok = points.filter((p) => p.status === "ok");
    const markers = markersFor(series);
    box.dataset.points = String(points.length);
    box.dataset.insufficient = String(insufficient.length);
    box.dataset.markers = String(markers.length);
    box.setAttribute("role", "img");
    const note = el("p", "chart-note");
    const unit = { day: "day", week: "week", month: "month" }[series.granularity];
    const last = ok[ok.length - 1];
    const parts = [];
    parts.push(last ? "Latest estimate " + fmt(last.estimate) + " (95% CI " + fmtCi(last.ci95) + ") in " + last.period + "." : "No " + unit + " in this range has enough reviews for an estimate.");
    if (insufficient.length) {
      const names = insufficient.map((p) => p.period);
      parts.push(plural(insufficient.length, unit, unit + "s") + " with fewer than " + config.minReviews + " reviews left blank (" + (names.length > 6 ? names.slice(0, 6).join(", ") + ", …" : names.join(", ")) + ").");
    }
    if (markers.length) parts.push(plural(markers.length, "drift alert", "drift alerts") + " marked (" + markers.map((a) => a.week).join(", ") + ").");
    note.textContent = parts.join(" ");
    box.setAttribute("aria-label", dimLabel(series.dimension) + ": " + note.textContent);
    card.append(title, box, note);
    $("charts").append(card);

    const xs = points.map((p) => periodTs(p.period));
    const est = points.map((p) => (p.status === "ok" ? p.estimate : null));
    const hi = points.map((p) => (p.status === "ok" ? p.ci95[1] : null));
    const lo = points.map((p) => (p.status === "ok" ? p.ci95[0] : null));
    const values = ok.flatMap((p) => [p.ci95[0], p.ci95[1]]);
    let ymin = 1, ymax = 5;
    if (values.length) {
      ymin = Math.max(1, Math.floor((Math.min.apply(null, values) - 0.1) * 2) / 2);
      ymax = Math.min(5, Math.ceil((Math.max.apply(null, values) + 0.1) * 2) / 2);
      if (ymax - ymin < 1) { ymin = Math.max(1, ymin - 0.5); ymax = Math.min(5, ymax + 0.5); }
    }
    const xmin = xs.length ? xs[0] : dayTs(state.from);
    const xmax = Math.max(xs.length ? xs[xs.length - 1] : 0, dayTs(state.to));
    const accent = "#2b59c3";
    const bound = (u, v) => (v === null || v === undefined ? "—" : v.toFixed(2));
    const estimateAt = (u, v, si, i) => (i === null || i === undefined || !points[i] ? "—" : v === null || v === undefined ? insufficientText(points[i].reviewed) : v.toFixed(2));
    const opts = {
      width: Math.max(240, box.clientWidth || 600),
      height: 210,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true, range: [xmin, xmax] }, y: { range: [ymin, ymax] } },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: unit, value: (u, v, si, i) => (i === null || i === undefined || !points[i] ? "—" : points[i].period) },
        { label: "estimate", stroke: accent, width: 2, spanGaps: false, points: { show: true, size: 6, fill: accent, stroke: accent }, value: estimateAt },
        { label: "95% high", stroke: "rgba(43,89,195,0.45)", width: 1, spanGaps: false, points: { show: false }, value: bound },
        { label: "95% low", stroke: "rgba(43,89,195,0.45)", width: 1, spanGaps: false, points: { show: false }, value: bound },
      ],
      bands: [{ series: [2, 3], fill: "rgba(43,89,195,0.18)" }],
      axes: [
        Object.assign({ stroke: "#5b6678", grid: { stroke: "#eef0f4" } }, periodAxis(series.granularity, points, xs)),
        { stroke: "#5b6678", grid: { stroke: "#eef0f4" }, size: 40, values: (u, splits) => splits.map((v) => v.toFixed(1)) },
      ],
      plugins: [trendPlugin(series, points, xs)],
    };
    const plot = new uPlot(opts, [xs, est, hi, lo], box);
    charts.push({ plot, box });
  }

  // Weeks and months are labelled as the API names them (W38, Sep), one tick per period or
  // every few periods when they would crowd; days keep uPlot's own date axis.
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function periodAxis(granularity, points, xs) {
    if (granularity === "day" || xs.length === 0) return {};
    const label = (period, first) => {
      if (granularity === "week") return first ? period : period.slice(5);
      const month = MONTHS[Number(period.slice(5, 7)) - 1] || period;
      return first || period.endsWith("-01") ? month + " " + period.slice(0, 4) : month;
    };
    return {
      splits: (u) => {
        const room = u.bbox.width / (window.devicePixelRatio || 1) / xs.length;
        const step = Math.max(1, Math.ceil((granularity === "week" ? 44 : 70) / room));
        return xs.filter((_, i) => i % step === 0);
      },
      values: (u, splits) => splits.map((ts, n) => {
        const i = xs.indexOf(ts);
        return i < 0 ? "" : label(points[i].period, n === 0);
      }),
    };
  }

  // Draws what uPlot has no series for: the blank periods (under the lines) and the drift
  // markers (over them), plus whiskers for estimates with no neighbour to span a band to.
  function trendPlugin(series, points, xs) {
    const px = () => (window.devicePixelRatio || 1);
    // A point stands at the start of its period, so a period spans up to the next one's start.
    const edges = (u, i) => {
      const right = u.bbox.left + u.bbox.width;
      const a = u.valToPos(xs[i], "x", true);
      const b = i + 1 < xs.length ? u.valToPos(xs[i + 1], "x", true) : right;
      return [Math.max(u.bbox.left, a), Math.min(right, b)];
    };
    return {
      hooks: {
        drawClear: [(u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = "rgba(120,130,150,0.10)";
          points.forEach((p, i) => {
            if (p.status === "ok") return;
            const [a, b] = edges(u, i);
            if (b > a) ctx.fillRect(a, u.bbox.top, b - a, u.bbox.height);
          });
          ctx.restore();
        }],
        draw: [(u) => {
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.strokeStyle = "#2b59c3";
          ctx.lineWidth = 2 * px();
          points.forEach((p, i) => {
            if (p.status !== "ok") return;
            const lonely = (i === 0 || points[i - 1].status !== "ok") && (i + 1 >= points.length || points[i + 1].status !== "ok");
            if (!lonely) return;
            const x = u.valToPos(xs[i], "x", true);
            const y0 = u.valToPos(p.ci95[0], "y", true);
            const y1 = u.valToPos(p.ci95[1], "y", true);
            ctx.beginPath();
            ctx.moveTo(x, y0); ctx.lineTo(x, y1);
            ctx.moveTo(x - 4 * px(), y0); ctx.lineTo(x + 4 * px(), y0);
            ctx.moveTo(x - 4 * px(), y1); ctx.lineTo(x + 4 * px(), y1);
            ctx.stroke();
          });
          for (const a of markersFor(series)) {
            const ts = weekStartTs(a.week);
            if (ts === null) continue;
            const x = u.valToPos(ts, "x", true);
            if (x < left - 1 || x > left + width + 1) continue;
            const colour = a.state === "resolved" ? "#98a2b3" : "#c53030";
            ctx.strokeStyle = colour;
            ctx.fillStyle = colour;
            ctx.lineWidth = 2 * px();
            ctx.setLineDash([5 * px(), 4 * px()]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(x - 6 * px(), top);
            ctx.lineTo(x + 6 * px(), top);
            ctx.lineTo(x, top + 9 * px());
            ctx.closePath();
            ctx.fill();
          }
          ctx.restore();
        }],
      },
    };
  }

  function resizeCharts() {
    for (const c of charts) {
      const width = Math.max(240, c.box.clientWidth);
      if (Math.abs(width - c.plot.width) > 2) c.plot.setSize({ width, height: 210 });
    }
  }

  function exportTrends() {
    const rows = trends.flatMap((s) => s.points.map((p) => ({
      vendor: s.vendor, channel: s.channel, dimension: s.dimension, granularity: s.granularity, period: p.period, status: p.status,
      estimate: p.estimate, se: p.se, ci95_low: p.ci95 ? p.ci95[0] : null, ci95_high: p.ci95 ? p.ci95[1] : null,
      reviewed: p.reviewed, na: p.na, population: p.population,
    })));
    download("spotcheck-trends-" + state.vendor + "-" + state.from + "-" + state.to + ".csv",
      toCsv(rows, ["vendor", "channel", "dimension", "granularity", "period", "status", "estimate", "se", "ci95_low", "ci95_high", "reviewed", "na", "population"]));
  }

  // ---------------------------------------------------------------- alerts
  async function loadAlerts() {
    const my = ++latest.alerts;
    $("alertsMsg").textContent = "";
    try {
      const data = await api("GET", "/api/drift?" + query({ vendor: state.vendor }));
      if (my !== latest.alerts) return;
      alerts = data.alerts;
    } catch (e) {
      if (my !== latest.alerts) return;
      alerts = [];
      $("alertsMsg").textContent = "Alerts could not be loaded: " + errorText(e);
    }
    renderAlerts();
  }

  function visibleAlerts() {
    const filter = $("alertFilter").value;
    return alerts.filter((a) => (filter === "all" ? true : filter === "active" ? a.state !== "resolved" : a.state === filter));
  }

  function renderAlerts() {
    const rows = $("alertRows");
    rows.replaceChildren();
    const shown = visibleAlerts();
    for (const a of shown) rows.append(alertRow(a));
    $("alertsTable").hidden = shown.length === 0;
    const empty = $("alertsEmpty");
    empty.hidden = shown.length > 0;
    empty.textContent = alerts.length === 0 ? "No drift alerts for " + state.vendor + "." : "No alerts match this filter (" + plural(alerts.length, "alert", "alerts") + " in all).";
  }

  const ALERT_COLUMNS = ["Week", "Channel", "Dimension", "Baseline → current", "p", "Weeks flagged", "State", "Notes", "Action"];
  // One line of an alert's history; the CSV export keeps the full time.
  const eventLine = (e, fullTime) => (fullTime ? e.at : e.at.slice(0, 10)) + " · " + e.action + " by " + e.by + (e.vendor ? " (" + e.vendor + ")" : "") + (e.note ? ": " + e.note : "");
  function alertRow(a) {
    const tr = el("tr");
    tr.dataset.alert = a.alertId;
    tr.dataset.state = a.state;
    const change = (a.baseline ? fmt(a.baseline.estimate) : "—") + " → " + (a.current ? fmt(a.current.estimate) : "—");
    const stateCell = td("");
    stateCell.append(el("span", "badge " + a.state, a.state));
    if (a.acknowledgedBy) stateCell.append(el("span", "by", "acknowledged by " + a.acknowledgedBy + (a.acknowledgedAt ? " · " + a.acknowledgedAt.slice(0, 10) : "")));
    if (a.resolvedBy) stateCell.append(el("span", "by", "resolved by " + a.resolvedBy + (a.resolvedAt ? " · " + a.resolvedAt.slice(0, 10) : "")));
    // Every note, oldest first: the QA team's with each change of state, and the vendor's responses.
    const notesCell = td("", "note");
    const notes = (a.history || []).filter((e) => e.note);
    if (notes.length) {
      const list = el("ol", "notes");
      for (const e of notes) {
        const item = el("li", e.vendor ? "vendor" : "", eventLine(e, false));
        item.dataset.action = e.action;
        list.append(item);
      }
      notesCell.append(list);
    }
    tr.append(td(a.week), td(a.channel === CHANNEL_ALL ? "all channels" : a.channel), td(dimLabel(a.dimension)), td(change), td("p " + fmtP(a.pValue)), td(a.weeksFlagged, "num"), stateCell, notesCell);
    const actions = el("div", "actions");
    const note = el("input");
    note.type = "text";
    note.maxLength = 500;
    note.placeholder = qaTeam ? "note (optional)" : "your response";
    note.setAttribute("aria-label", "note for alert " + a.week + " " + a.channel + " " + a.dimension);
    const msg = el("p", "err");
    msg.setAttribute("role", "alert");
    const act = (action) => async () => {
      msg.textContent = "";
      const text = note.value.trim();
      if (action === "respond" && !text) {
        msg.textContent = "Write a note first.";
        return;
      }
      actions.querySelectorAll("button").forEach((b) => (b.disabled = true));
      try {
        const data = await api("POST", "/api/drift/" + encodeURIComponent(a.alertId) + "/" + action, text ? { note: text } : {});
        const i = alerts.findIndex((x) => x.alertId === a.alertId);
        if (i >= 0) alerts[i] = data.alert;
        tr.replaceWith(alertRow(data.alert));
        for (const c of charts) c.plot.redraw();
      } catch (e) {
        msg.textContent = errorText(e);
        actions.querySelectorAll("button").forEach((b) => (b.disabled = false));
      }
    };
    const button = (cls, text, action) => {
      const b = el("button", cls, text);
      b.type = "button";
      b.addEventListener("click", act(action));
      actions.append(b);
    };
    actions.append(note);
    if (qaTeam && a.state === "open") button("ack", "Acknowledge", "acknowledge");
    if (qaTeam && a.state !== "resolved") button("resolve", "Resolve", "resolve");
    button("respond", qaTeam ? "Add note" : "Respond", "respond");
    actions.append(msg);
    const cell = td("");
    cell.append(actions);
    tr.append(cell);
    tr.querySelectorAll("td").forEach((c, i) => (c.dataset.label = ALERT_COLUMNS[i]));
    return tr;
  }

  function exportAlerts() {
    const rows = visibleAlerts().map((a) => ({
      week: a.week, vendor: a.vendor, channel: a.channel, dimension: a.dimension, state: a.state,
      baseline: a.baseline ? a.baseline.estimate : null, current: a.current ? a.current.estimate : null,
      p_value: a.pValue, weeks_flagged: a.weeksFlagged, last_flagged_week: a.lastFlaggedWeek, detected_at: a.detectedAt,
      acknowledged_by: a.acknowledgedBy, acknowledged_at: a.acknowledgedAt, resolved_by: a.resolvedBy, resolved_at: a.resolvedAt,
      notes: (a.history || []).filter((e) => e.note).map((e) => eventLine(e, true)).join("\n"),
    }));
    download("spotcheck-alerts-" + state.vendor + ".csv", toCsv(rows, ["week", "vendor", "channel", "dimension", "state", "baseline", "current", "p_value", "weeks_flagged", "last_flagged_week", "detected_at", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "notes"]));
  }

  // ---------------------------------------------------------------- channels
  async function loadChannels() {
    const my = ++latest.channels;
    const dimension = state.focus;
    $("channelsMsg").textContent = "";
    $("channelsSub").textContent = dimLabel(dimension) + " · " + state.vendor + " · " + state.from + " to " + state.to + " (whole range)";
    let report;
    try {
      report = await api("GET", "/api/channels?" + query({ vendor: state.vendor, dimension, from: state.from, to: state.to }));
    } catch (e) {
      if (my !== latest.channels) return;
      $("channelRows").replaceChildren();
      $("channelsGap").textContent = "";
      $("channelsVerdict").textContent = "";
      $("channelsMsg").textContent = "The channel comparison could not be loaded: " + errorText(e);
      $("channelsTable").hidden = true;
      return;
    }
    if (my !== latest.channels) return;
    $("channelsTable").hidden = false;
    const overall = report.overall;
    const rows = $("channelRows");
    rows.replaceChildren();
    const bounds = overall.channels.filter((c) => c.status === "ok").flatMap((c) => c.ci95);
    const lo = bounds.length ? Math.min.apply(null, bounds) : 1;
    const hi = bounds.length ? Math.max.apply(null, bounds) : 5;
    const pad = Math.max(0.05, (hi - lo) * 0.08);
    const min = lo - pad, max = hi + pad;
    const pos = (v) => ((v - min) / (max - min)) * 100;
    $("channelsScale").textContent = bounds.length ? "(scale " + fmt(min, 1) + " to " + fmt(max, 1) + ")" : "";
    for (const c of overall.channels) {
      const tr = el("tr", c.status === "ok" ? "" : "insufficient");
      tr.dataset.channel = c.channel;
      tr.dataset.status = c.status;
      const plot = td("");
      tr.append(td(c.channel), plot);
      if (c.status === "ok") {
        tr.append(td(fmt(c.estimate)), td(fmtCi(c.ci95)), td(c.reviewed, "num"));
        const track = el("div", "track");
        track.setAttribute("aria-hidden", "true");
        const whisker = el("div", "whisker");
        whisker.style.left = pos(c.ci95[0]) + "%";
        whisker.style.width = Math.max(0.5, pos(c.ci95[1]) - pos(c.ci95[0])) + "%";
        const dot = el("div", "dot");
        dot.style.left = pos(c.estimate) + "%";
        track.append(el("div", "axis"), whisker, dot);
        plot.append(track);
      } else {
        tr.append(td(insufficientText(c.reviewed), "insufficient-text"), td("—"), td(c.reviewed, "num"));
      }
      rows.append(tr);
    }
    if (overall.channels.length === 0) {
      const tr = el("tr");
      const cell = td("No reviews in this range.");
      cell.colSpan = 5;
      tr.append(cell);
      rows.append(tr);
    }
    const gap = overall.largestGap;
    $("channelsGap").textContent = gap ? "Largest gap: " + gap.high + " − " + gap.low + " = " + fmt(gap.estimate) + " (95% CI " + fmtCi(gap.ci95) + "). The pair is picked after looking, so act on the test below." : "";
    const verdict = $("channelsVerdict");
    const agreement = overall.agreement;
    const meaning = $("channelsMeaning");
    if (!agreement) {
      verdict.textContent = "Too few channels with enough reviews to compare.";
      verdict.className = "verdict";
      meaning.textContent = "";
    } else if (agreement.pValue < 0.05) {
      verdict.textContent = "Channels disagree (p " + fmtP(agreement.pValue) + ").";
      verdict.className = "verdict differ";
      meaning.textContent = "Gaps this large are unlikely from sampling alone. A gap can still come from which agents answer each channel rather than from the channel itself: " + (overall.withinAgent ? "see the comparison within agents below." : "compare the same agents across channels before acting.");
    } else {
      verdict.textContent = "No evidence the channels differ (p " + fmtP(agreement.pValue) + ").";
      verdict.className = "verdict";
      meaning.textContent = "With this many reviews, gaps like these are what sampling alone produces. That is not proof the channels are equal: a real difference smaller than the intervals would not show.";
    }
    meaning.textContent += meaning.textContent ? " The test (Welch's F) allows for each channel's estimate resting on few reviews." : "";
    verdict.dataset.p = agreement ? String(agreement.pValue) : "";
    renderWithinAgent(overall.withinAgent);
  }

  // The channel comparison holding the agent fixed, when the report has one.
  function renderWithinAgent(within) {
    const box = $("withinBox");
    const rows = $("withinRows");
    rows.replaceChildren();
    if (!within || !within.effects || within.effects.length === 0) { box.hidden = true; return; }
    $("withinSub").textContent = "The same agents on each channel: " + plural(within.agents, "agent", "agents") + " who answer more than one channel. A difference here is the channel's, not the agent mix's.";
    $("withinReference").textContent = within.channels[0];
    for (const e of within.effects) {
      const tr = el("tr");
      tr.dataset.channel = e.channel;
      tr.append(td(e.channel), td(fmt(e.estimate)), td(fmtCi(e.ci95)));
      rows.append(tr);
    }
    const verdict = $("withinVerdict");
    const test = within.test;
    if (!test) verdict.textContent = "";
    else if (test.pValue < 0.05) verdict.textContent = "Within agents the channels differ (p " + fmtP(test.pValue) + ").";
    else verdict.textContent = "Within agents, no evidence the channels differ (p " + fmtP(test.pValue) + "): the overall gap may be agent mix.";
    verdict.className = "verdict" + (test && test.pValue < 0.05 ? " differ" : "");
    box.hidden = false;
  }

  // ---------------------------------------------------------------- agents
  async function loadAgents() {
    const my = ++latest.agents;
    const dimension = state.focus;
    $("agentsMsg").textContent = "";
    $("agentsSub").textContent = dimLabel(dimension) + " · " + state.vendor + " · " + state.from + " to " + state.to + " · an estimate needs at least " + config.minReviews + " reviews";
    try {
      const data = await api("GET", "/api/agents?" + query({ vendor: state.vendor, dimension, from: state.from, to: state.to }));
      if (my !== latest.agents) return;
      agentRows = data.agents.map((a) => Object.assign({ dimension }, a));
      agentPooling = data.pooling || null;
    } catch (e) {
      if (my !== latest.agents) return;
      agentRows = [];
      agentPooling = null;
      $("agentsMsg").textContent = "The agent table could not be loaded: " + errorText(e);
    }
    $("agentsMeaning").textContent = agentPooling
      ? "Pooled: with a handful of reviews, an agent's raw score is largely the luck of which interactions were drawn. The pooled score pulls each agent toward the vendor's agent mean (" + fmt(agentPooling.mean) + "), the more the fewer reviews the agent has: an agent with 5 reviews moves much of the way, one with 60 hardly at all. Ranks use the pooled score; the raw one is the agent's own weighted average. Agents' true scores spread about ±" + fmt(agentPooling.tau) + " around that mean."
      : agentRows.length ? "Not pooled: fewer than 4 agents have an estimate, too few to tell how much agents differ, so there is no ranking." : "";
    renderAgents();
  }

  function sortedAgents() {
    const { key, dir } = agentSort;
    const byId = (a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);
    const value = (a) => {
      if (key === "estimate") return a.status === "ok" ? a.estimate : null;
      if (key === "pooled") return a.pooled ? a.pooled.estimate : null;
      if (key === "rank") return a.pooled ? a.pooled.rank : null;
      return a[key];
    };
    return agentRows.slice().sort((a, b) => {
      if (key === "agent") return dir * byId(a, b);
      const va = value(a);
      const vb = value(b);
      // Rows without the value go last whichever way the column is sorted.
      if (va === null || vb === null) return va === vb ? byId(a, b) : va === null ? 1 : -1;
      return dir * (va - vb) || byId(a, b);
    });
  }

  function renderAgents() {
    document.querySelectorAll("#agentsTable th[aria-sort]").forEach((th) => {
      const key = th.querySelector("button").dataset.key;
      th.setAttribute("aria-sort", key === agentSort.key ? (agentSort.dir > 0 ? "ascending" : "descending") : "none");
    });
    const rows = $("agentRows");
    rows.replaceChildren();
    for (const a of sortedAgents()) {
      const tr = el("tr", a.status === "ok" ? "" : "insufficient");
      tr.dataset.agent = a.agent;
      tr.dataset.status = a.status;
      const status = td("");
      status.append(el("span", "badge " + a.status, a.status));
      tr.append(td(a.pooled ? a.pooled.rank : "—", "num"), td(a.agent));
      if (a.status !== "ok") tr.append(td(insufficientText(a.reviewed), "insufficient-text"), td("—"), td("—"), td("—"));
      else {
        const pooled = td(a.pooled ? fmt(a.pooled.estimate) : "—", "pooled");
        if (a.pooled) pooled.title = "moved " + Math.round(a.pooled.shrinkage * 100) + "% of the way from the raw score to the vendor's agent mean";
        tr.append(pooled, td(a.pooled ? fmtCi(a.pooled.ci95) : "—"), td(fmt(a.estimate), "raw"), td(fmtCi(a.ci95)));
      }
      tr.append(td(a.reviewed, "num"), td(a.population, "num"), status);
      rows.append(tr);
    }
    if (agentRows.length === 0) {
      const tr = el("tr");
      const cell = td("No agent has reviews in this range.");
      cell.colSpan = 9;
      tr.append(cell);
      rows.append(tr);
    }
  }

  function exportAgents() {
    const rows = sortedAgents().map((a) => ({
      agent: a.agent, vendor: state.vendor, dimension: a.dimension, status: a.status, estimate: a.estimate, se: a.se,
      ci95_low: a.ci95 ? a.ci95[0] : null, ci95_high: a.ci95 ? a.ci95[1] : null,
      rank: a.pooled ? a.pooled.rank : null, pooled: a.pooled ? a.pooled.estimate : null, pooled_se: a.pooled ? a.pooled.se : null,
      pooled_ci95_low: a.pooled ? a.pooled.ci95[0] : null, pooled_ci95_high: a.pooled ? a.pooled.ci95[1] : null, shrinkage: a.pooled ? a.pooled.shrinkage : null,
      reviewed: a.reviewed, na: a.na, sampled: a.sampled, population: a.population,
    }));
    download("spotcheck-agents-" + state.vendor + "-" + state.focus + "-" + state.from + "-" + state.to + ".csv",
      toCsv(rows, ["agent", "vendor", "dimension", "status", "estimate", "se", "ci95_low", "ci95_high", "rank", "pooled", "pooled_se", "pooled_ci95_low", "pooled_ci95_high", "shrinkage", "reviewed", "na", "sampled", "population"]));
  }

  // ---------------------------------------------------------------- calibration
  async function loadCalibration() {
    const my = ++latest.calibration;
    $("calibrationMsg").textContent = "";
    let report;
    try {
      report = await api("GET", "/api/calibration?" + query({ vendor: state.vendor, from: state.from, to: state.to }));
    } catch (e) {
      if (my !== latest.calibration) return;
      $("alphaRows").replaceChildren();
      $("calibrationSub").textContent = "";
      $("calibrationAnomalies").textContent = "";
      $("reviewersBox").hidden = true;
      $("calibrationMsg").textContent = "Calibration could not be loaded: " + errorText(e);
      $("alphaTable").hidden = true;
      return;
    }
    if (my !== latest.calibration) return;
    $("alphaTable").hidden = false;
    const rows = $("alphaRows");
    rows.replaceChildren();
    const minimums = report.minimums || { alphaUnits: 30, sharedUnits: 10 };
    for (const d of report.overall) {
      const tr = el("tr");
      tr.dataset.dimension = d.dimension;
      tr.dataset.verdict = d.verdict;
      const units = td(d.units, "num");
      units.title = d.pairable + " pairable values";
      const reading = td("", "wrap");
      reading.append(el("span", "badge verdict-" + d.verdict, ALPHA_READING[d.verdict] || d.verdict));
      if (d.verdict === "insufficient") reading.append(el("span", "by", d.units + " of the " + minimums.alphaUnits + " needed"));
      tr.append(td(dimLabel(d.dimension), "wrap"), td(d.alpha === null ? "—" : "α = " + d.alpha.toFixed(2)), td(d.ci95 ? fmtCi(d.ci95) : "—"), units, reading);
      rows.append(tr);
    }
    $("alphaMeaning").textContent = "The interval is how far α could move with another sample of calibration interactions (the interactions re-drawn 2,000 times). A verdict needs at least " + minimums.alphaUnits + " interactions scored by two or more reviewers and is read from the interval's low end: good when all of it is 0.8 or more, tentative when all of it is 0.667 or more, recalibrate when all of it is below 0.667; otherwise it may be too low, and more calibration interactions will tell.";
    $("calibrationSub").textContent = plural(report.interactions, "interaction", "interactions") + " with calibration copies, " + report.from + " to " + report.to + ".";
    // Data that breaks the review rules is counted and left out by the server, never hidden.
    const anomalies = report.anomalies || {};
    const found = [
      [anomalies.sameReviewerTwice, "interaction scored twice by one reviewer", "interactions scored twice by one reviewer", "only their first score counts"],
      [anomalies.invalidValues, "score value outside 1–5", "score values outside 1–5", "left out"],
      [anomalies.missingLedger, "calibrated interaction without a ledger entry", "calibrated interactions without a ledger entry", "scores read directly"],
    ].filter((a) => a[0] > 0).map((a) => plural(a[0], a[1], a[2]) + " (" + a[3] + ")");
    $("calibrationAnomalies").textContent = found.length ? "Data anomalies: " + found.join("; ") + "." : "";
    const box = $("reviewersBox");
    if (!Array.isArray(report.reviewers)) {
      box.hidden = true;
      $("calibrationSub").textContent += " Reviewer profiles are for the QA team only.";
      return;
    }
    const head = $("reviewersHead");
    head.replaceChildren(el("th", "", "Reviewer"), el("th", "num", "Reviews"), el("th", "num", "Skip rate"));
    for (const d of config.dimensions) head.append(el("th", "wrap", dimLabel(d)));
    const body = $("reviewerRows");
    body.replaceChildren();
    $("severityMeaning").textContent = "Severity: how many points above (lenient) or below (harsh) the average reviewer someone scores the same interaction, from a model of interaction + reviewer, with its 95% interval. A reviewer who shared few interactions is pulled toward 0, because a few odd scores are not yet a pattern. Someone is named harsh or lenient only with " + minimums.sharedUnits + " or more shared interactions and an interval clear of 0.";
    for (const r of report.reviewers) {
      const tr = el("tr");
      tr.dataset.reviewer = r.reviewer;
      tr.append(td(r.reviewer), td(r.reviews, "num"), td(r.skipRate === null ? "—" : (r.skipRate * 100).toFixed(1) + "%", "num"));
      for (const d of config.dimensions) {
        const s = r.severity[d];
        const cell = td(s ? signed(s.severity) : "—");
        if (s) {
          cell.dataset.dimension = d;
          if (s.label) {
            cell.append(" ", el("span", "badge " + s.label, s.label));
            cell.dataset.label = s.label;
          }
          cell.append(el("span", "by", (s.ci95 ? signed(s.ci95[0]) + " to " + signed(s.ci95[1]) + " · " : "") + "n " + s.shared + " shared"));
        }
        tr.append(cell);
      }
      body.append(tr);
    }
    box.hidden = false;
  }

  start();
})();
`;
