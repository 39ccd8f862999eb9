import { GRANULARITIES, MIN_REVIEWS } from "../../../shared/estimate";
import { DIMENSIONS } from "../../../shared/rubric";
import { ALPHA_VERDICT_TEXT } from "../../../shared/stats/alpha-verdict";
import { CHANNELS } from "../../../shared/transcript";
import { APP_STYLE, pageShell } from "./page-shell";

/**
 * The managers' dashboard: per vendor, trend charts with 95% interval bands and drift
 * markers, the channel comparison, the agent table, the drift alerts (acknowledge and
 * resolve), the calibration panel and CSV exports. The HTML is a shell; the page is the
 * `dashboard.js` bundle (web/dashboard, Preact with uPlot), which reads the JSON API with the
 * bearer token kept in sessionStorage and renders every piece of API text as text. The
 * rubric's dimensions, the channels and the other constants come from `shared/` through the
 * JSON configuration, so the bundle carries no copy of them.
 */
export function dashboardPage(options: { signInUrl: string; signOutUrl?: string }): string {
  return pageShell({
    title: "dashboard",
    style: STYLE,
    stylesheets: ["/assets/uplot.css"],
    bundle: "dashboard.js",
    config: {
      signInUrl: options.signInUrl,
      signOutUrl: options.signOutUrl ?? options.signInUrl,
      dimensions: DIMENSIONS,
      channels: CHANNELS,
      granularities: GRANULARITIES,
      minReviews: MIN_REVIEWS,
      alphaReading: ALPHA_VERDICT_TEXT,
    },
    noscript: "The dashboard needs JavaScript.",
  });
}

const STYLE = `${APP_STYLE}
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
  .key { display:flex; flex-wrap:wrap; gap:4px 16px; font-size:12px; color:var(--muted); margin:2px 0 6px; padding:0; list-style:none; }
  .key li { display:inline-flex; align-items:center; gap:6px; }
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
