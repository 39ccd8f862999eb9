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
