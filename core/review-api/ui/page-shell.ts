import type { WebBundleName } from "./assets";

/** What one page's HTML carries around its bundle. */
export interface PageShell {
  /** The page title after `Spotcheck · `. */
  title: string;
  /** The page's stylesheet (style attributes and elements are allowed by the policy). */
  style: string;
  /** The page bundle that renders it, served at `/assets/<bundle>`. */
  bundle: WebBundleName;
  /** Read by the bundle from the `#config` JSON element; data, never code. */
  config: unknown;
  /** Shown when scripts are off. */
  noscript?: string;
  /** Stylesheets from this origin, linked before the page's own style. */
  stylesheets?: readonly string[];
}

/**
 * The HTML of a page whose content the bundle renders into `#root`. The only scripts are the
 * JSON configuration (not executable) and the bundle from this origin; `htmlWithPolicy`
 * gives both this response's nonce.
 */
export function pageShell(page: PageShell): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotcheck · ${page.title}</title>
${(page.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${href}">\n`).join("")}<style>${page.style}</style>
<script type="module" src="/assets/${page.bundle}"></script>
</head>
<body>
<div id="root"></div>
<noscript><p>${page.noscript ?? "This page needs JavaScript."}</p></noscript>
<script type="application/json" id="config">${jsonForHtml(page.config)}</script>
</body>
</html>`;
}

/** JSON that is safe inside a `<script>` element: nothing in it can close the element. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The palette, box model and header bar the reviewer page and the dashboard share, so the
 * two read as one app; each page's own rules follow it.
 */
export const APP_STYLE = `
  :root { --ink:#1d2430; --muted:#5b6678; --line:#e3e7ee; --accent:#2b59c3; --bg:#f6f7fb; --warn:#975a16; --bad:#c53030; --ok:#17683a; }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
  header { background:#fff; border-bottom:1px solid var(--line); padding:10px 16px; display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
  header h1 { font-size:17px; margin:0; }`;
