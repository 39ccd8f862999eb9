import { pageShell } from "../../core/review-api/ui/page-shell";

/**
 * The local status page: a shell for the `status.js` bundle (web/status), which polls
 * `/api/status` and renders what it reads as text only.
 */
export function statusPage(): string {
  return pageShell({ title: "local stack", style: STYLE, bundle: "status.js", config: {} });
}

const STYLE = `
  :root { --ink:#1d2430; --muted:#5b6678; --line:#e3e7ee; --ok:#17683a; --warn:#975a16; --bad:#c53030; --accent:#2b59c3; }
  * { box-sizing: border-box; }
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:#f6f7fb; }
  header { background:#fff; border-bottom:1px solid var(--line); padding:16px 24px; display:flex; gap:16px; align-items:center; flex-wrap:wrap; }
  header h1 { font-size:18px; margin:0; }
  .pill { border-radius:999px; padding:2px 10px; font-size:13px; font-weight:600; background:#eef1f6; color:var(--muted); }
  .pill.ok { background:#e3f5ea; color:var(--ok); } .pill.warn { background:#fdf3e1; color:var(--warn); } .pill.bad { background:#fde8e8; color:var(--bad); }
  main { max-width:1040px; margin:0 auto; padding:24px; display:grid; gap:20px; }
  .cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(140px, 1fr)); gap:12px; }
  .card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
  .card .label { color:var(--muted); font-size:13px; } .card .value { font-size:28px; font-weight:650; font-variant-numeric: tabular-nums; }
  section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:16px; overflow-x:auto; }
  section h2 { font-size:15px; margin:0 0 10px; }
  table { border-collapse:collapse; width:100%; font-variant-numeric: tabular-nums; }
  th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); font-size:14px; }
  th { color:var(--muted); font-weight:600; } td.num { text-align:right; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
  .hint { color:var(--muted); font-size:13px; margin:8px 0 0; }
`;
