import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import {
  isWebBundleName,
  WEB_BUNDLES,
  type WebBundleName,
  type WebBundles,
} from "../core/review-api/ui/assets";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * Builds every page bundle of {@link WEB_BUNDLES} with esbuild, in memory: minified ES
 * modules for the browsers Preact 11 supports, JSX through Preact's automatic runtime.
 */
export async function buildWebBundles(): Promise<Map<WebBundleName, string>> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(
      Object.entries(WEB_BUNDLES).map(([name, entry]) => [name.replace(/\.js$/, ""), entry]),
    ),
    outdir: "web-bundles",
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: "web/tsconfig.json",
    logLevel: "silent",
  });
  const bundles = new Map<WebBundleName, string>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    if (isWebBundleName(name)) bundles.set(name, file.text);
  }
  const missing = Object.keys(WEB_BUNDLES).filter((name) => !bundles.has(name as WebBundleName));
  if (missing.length > 0) throw new Error(`esbuild produced no ${missing.join(", ")}`);
  return bundles;
}

/** The page bundles built in memory now, for the local stack. */
export async function builtWebBundles(): Promise<WebBundles> {
  const bundles = await buildWebBundles();
  return {
    read(name) {
      const text = bundles.get(name);
      if (text === undefined) throw new Error(`no page bundle ${name}`);
      return text;
    },
  };
}

/** Writes every page bundle into `dir`; returns each file's size in bytes. */
export async function writeWebBundles(dir: string): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const [name, text] of await buildWebBundles()) {
    await writeFile(join(dir, name), text);
    sizes[name] = Buffer.byteLength(text);
  }
  return sizes;
}

// `npm run build:web [dir]`, and the review API's Lambda bundling hook with the bundle's assets/.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? join(REPO_ROOT, ".local", "web"));
  const sizes = await writeWebBundles(dir);
  for (const [name, bytes] of Object.entries(sizes)) console.info(`${dir}/${name}: ${bytes} B`);
}
