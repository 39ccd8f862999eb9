import { APP_STYLE, pageShell } from "./page-shell";

/**
 * The reviewer's page: claim, read, score, submit, next. The HTML is a shell; the page is
 * rendered by the `reviewer.js` bundle (web/reviewer), which talks to the JSON API with the
 * bearer token kept in sessionStorage. Transcript text is untrusted and is only ever
 * rendered as text.
 */
export function reviewerPage(options: { signInUrl: string; signOutUrl?: string }): string {
  return pageShell({
    title: "review",
    style: STYLE,
    bundle: "reviewer.js",
    config: { signInUrl: options.signInUrl, signOutUrl: options.signOutUrl ?? options.signInUrl },
    noscript: "Reviewing needs JavaScript.",
  });
}

const STYLE = `${APP_STYLE}
  header .who { color:var(--muted); font-size:14px; margin-left:auto; }
  header a { color:var(--accent); font-size:14px; }
  button { font: inherit; border:1px solid var(--line); background:#fff; border-radius:8px; padding:6px 12px; cursor:pointer; }
  button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
  button[aria-pressed="true"] { background:var(--accent); color:#fff; border-color:var(--accent); }
  button:disabled { opacity:.5; cursor:default; }
  main { max-width:1200px; margin:0 auto; padding:16px; }
  .empty { background:#fff; border:1px solid var(--line); border-radius:10px; padding:32px; text-align:center; }
  .layout { display:grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap:16px; }
  @media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
  section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
  .meta { color:var(--muted); font-size:13px; display:flex; gap:12px; flex-wrap:wrap; margin-bottom:8px; }
  .turns { list-style:none; margin:0; padding:0; display:grid; gap:8px; max-height:70vh; overflow:auto; }
  .turn { border:1px solid var(--line); border-radius:8px; padding:8px 10px; cursor:pointer; }
  .turn.agent { background:#eef3ff; } .turn.customer { background:#fff; } .turn.bot, .turn.system { background:#f3f4f6; }
  .turn.cited { outline:2px solid var(--warn); }
  .turn.cursor { box-shadow:0 0 0 3px var(--accent); }
  .turn .head { font-size:12px; color:var(--muted); display:flex; gap:8px; }
  .turn .text { white-space:pre-wrap; word-break:break-word; }
  .dim { border:1px solid var(--line); border-radius:8px; padding:8px 10px; margin-bottom:10px; }
  .dim.focused { border-color:var(--accent); box-shadow:0 0 0 2px #d6e0fa; }
  .dim h3 { font-size:14px; margin:0 0 4px; }
  .dim .q { font-size:13px; color:var(--muted); margin:0 0 6px; }
  .scale { display:flex; gap:6px; flex-wrap:wrap; }
  .anchor { font-size:13px; margin:6px 0 0; min-height:2.6em; }
  .evidence { font-size:12px; color:var(--warn); }
  .bar { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-top:8px; }
  /* Submit stays on screen while the score panel is: it sticks to the bottom of the viewport. */
  .bar.actions { position:sticky; bottom:0; z-index:2; background:#fff; margin:8px -14px 0; padding:8px 14px; border-top:1px solid var(--line); box-shadow:0 -4px 8px -6px rgba(29,36,48,.25); }
  .lease { font-variant-numeric: tabular-nums; font-weight:600; }
  .lease.low { color:var(--bad); }
  .msg { min-height:1.4em; font-size:14px; }
  .msg.err { color:var(--bad); } .msg.ok { color:var(--ok); }
  .keys { color:var(--muted); font-size:12px; }
  textarea { width:100%; font:inherit; border:1px solid var(--line); border-radius:8px; padding:6px; }
  table { border-collapse:collapse; width:100%; font-size:14px; } td, th { text-align:left; padding:4px 6px; border-bottom:1px solid var(--line); }
`;
