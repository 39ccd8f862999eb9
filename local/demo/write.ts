import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DemoFile, DemoManifest } from "./generate";

/** How many files are written concurrently. */
const BATCH = 64;

/** `roster.csv`: one row per agent, header `agentId,vendor,site,team`. */
export function rosterCsv(manifest: DemoManifest): string {
  const rows = manifest.agents.map((a) => [a.agent, a.vendor, a.site, a.team].join(","));
  return `${["agentId,vendor,site,team", ...rows].join("\n")}\n`;
}

/**
 * Writes a generated data set under `dir`: each file at `<dir>/<key>`, plus `manifest.json`
 * (the ground truth), `metadata.json` (key → S3 user metadata, for an uploader to set as
 * `x-amz-meta-*`) and `roster.csv`. Existing files with the same names are overwritten.
 */
export async function writeDemo(
  dir: string,
  result: { files: DemoFile[]; manifest: DemoManifest },
): Promise<void> {
  const folders = new Set(result.files.map((f) => dirname(join(dir, f.key))));
  folders.add(dir);
  for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });

  for (let i = 0; i < result.files.length; i += BATCH) {
    await Promise.all(
      result.files.slice(i, i + BATCH).map((f) => writeFile(join(dir, f.key), f.body)),
    );
  }

  const metadata = Object.fromEntries(result.files.map((f) => [f.key, f.metadata]));
  await writeFile(join(dir, "manifest.json"), `${JSON.stringify(result.manifest, null, 2)}\n`);
  await writeFile(join(dir, "metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(join(dir, "roster.csv"), rosterCsv(result.manifest));
}
