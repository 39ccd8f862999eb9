import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Third-party browser files the web UI serves from its own origin (no CDN, so the pages
 * work offline and under a strict content security policy); third-party scripts are bundled
 * into the page bundles instead (uPlot into the dashboard's). The Lambda bundle copies each
 * `file` into `assets/` beside the handler (see the API function's bundling hook); locally
 * they are read from `node_modules`.
 */
export const BROWSER_ASSETS = [
  {
    name: "uplot.css",
    packageFile: "uplot/dist/uPlot.min.css",
    contentType: "text/css; charset=utf-8",
  },
] as const;

/** Name of a served asset: the path is `/assets/<name>`. */
export type BrowserAssetName = (typeof BROWSER_ASSETS)[number]["name"];

/**
 * The pages' own scripts: one esbuild bundle per page, built from the typed front end in
 * `web/` (see `web/build.ts`). The Lambda bundling hook builds them into `assets/` beside
 * the handler; the local stack builds them in memory when it starts. Neither ever serves a
 * bundle built from older source.
 */
export const WEB_BUNDLES = {
  "reviewer.js": "web/reviewer/main.tsx",
  "dashboard.js": "web/dashboard/main.tsx",
  "status.js": "web/status/main.tsx",
  "dev-sign-in.js": "web/dev-sign-in/main.tsx",
  "sign-in.js": "web/sign-in/main.ts",
} as const;

/** Name of a page bundle, e.g. `reviewer.js`. */
export type WebBundleName = keyof typeof WEB_BUNDLES;

/** Where the apps get the page bundles they serve. */
export interface WebBundles {
  /** The bundle's JavaScript; throws if it was never built. */
  read(name: WebBundleName): string;
}

/** Whether `name` is one of the {@link WEB_BUNDLES}. */
export function isWebBundleName(name: string): name is WebBundleName {
  return Object.hasOwn(WEB_BUNDLES, name);
}

const here = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, string>();

/** The text of an asset, from the bundle's `assets/` folder or else from `node_modules`. */
export function readBrowserAsset(name: BrowserAssetName): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const asset = BROWSER_ASSETS.find((a) => a.name === name);
  if (!asset) throw new Error(`unknown asset ${name}`);
  const bundled = join(here, "assets", asset.name);
  const path = existsSync(bundled)
    ? bundled
    : createRequire(import.meta.url).resolve(asset.packageFile);
  const text = readFileSync(path, "utf8");
  cache.set(name, text);
  return text;
}

/**
 * The page bundles in the Lambda layout: `assets/<name>` beside the handler, written by the
 * bundling hook. Read once per cold start.
 */
export const bundledWebAssets: WebBundles = {
  read(name) {
    const key = `web:${name}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const path = join(here, "assets", name);
    if (!existsSync(path)) {
      throw new Error(`the page bundle ${name} was not built: run npm run build:web`);
    }
    const text = readFileSync(path, "utf8");
    cache.set(key, text);
    return text;
  },
};
