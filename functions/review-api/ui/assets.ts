import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Third-party browser files the web UI serves from its own origin (no CDN, so the pages
 * work offline and under a strict content security policy). The Lambda bundle copies each
 * `file` into `assets/` beside the handler (see the API function's bundling hook); locally
 * they are read from `node_modules`.
 */
export const BROWSER_ASSETS = [
  {
    name: "uplot.js",
    packageFile: "uplot/dist/uPlot.iife.min.js",
    contentType: "text/javascript; charset=utf-8",
  },
  {
    name: "uplot.css",
    packageFile: "uplot/dist/uPlot.min.css",
    contentType: "text/css; charset=utf-8",
  },
] as const;

/** Name of a served asset: the path is `/assets/<name>`. */
export type BrowserAssetName = (typeof BROWSER_ASSETS)[number]["name"];

const cache = new Map<string, string>();

/** The text of an asset, from the bundle's `assets/` folder or else from `node_modules`. */
export function readBrowserAsset(name: BrowserAssetName): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const asset = BROWSER_ASSETS.find((a) => a.name === name);
  if (!asset) throw new Error(`unknown asset ${name}`);
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, "assets", asset.name);
  const path = existsSync(bundled)
    ? bundled
    : createRequire(import.meta.url).resolve(asset.packageFile);
  const text = readFileSync(path, "utf8");
  cache.set(name, text);
  return text;
}
