// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { runDriftScenarios } from "./drift-scenarios";
import { runEstimationScenarios, scenarios } from "./estimation";

/**
 * `npm run bench` runs every benchmark; `npm run bench -- estimation` runs only the
 * estimation and drift benchmarks (pure simulations, no emulators) and merges them into
 * bench/results.json under `estimation`. `--replications N` (default 1,000) sets how many
 * samples each scenario draws; `--no-write` prints without saving.
 */

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const replications = Number(flag("--replications") ?? 1_000);
if (!Number.isInteger(replications) || replications < 1) {
  console.error("spotcheck bench: --replications must be a positive integer");
  process.exit(2);
}
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const only = positional[0];
if (only !== undefined && only !== "estimation") {
  console.error(`spotcheck bench: unknown benchmark ${only} (use: estimation, or nothing for all)`);
  process.exit(2);
}

if (only === undefined) {
  // bench/run.ts rewrites results.json from scratch, so it goes first; the others merge.
  for (const script of ["run.ts", "review-load.ts", "insights.ts", "read-isolation.ts"]) {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", resolve(import.meta.dirname, script)],
      {
        stdio: "inherit",
      },
    );
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}

const t0 = performance.now();
const slices = runEstimationScenarios({ replications });
const drift = await runDriftScenarios({ replications });
const estimation = {
  ranAt: new Date().toISOString(),
  seconds: Math.round((performance.now() - t0) / 100) / 10,
  replications,
  targets: { absBias: 0.02, coverage: [0.93, 0.97] },
  scenarios: scenarios().map((s) => ({ name: s.name, description: s.description })),
  slices,
  drift,
};
console.table(
  slices.map((r) => ({
    scenario: r.scenario,
    slice: r.slice,
    bias: r.bias,
    coverage: r.coverage,
    shown: r.shown,
    reviews: r.meanReviews,
    sd: r.sdEstimate,
    se: r.meanSe,
    df: r.meanDf,
  })),
);
if (drift.length > 0) console.table(drift);
if (!args.includes("--no-write")) {
  const path = resolve(import.meta.dirname, "results.json");
  const all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(path, `${JSON.stringify({ ...all, estimation }, null, 2)}\n`);
  console.log(`written to ${path} (estimation)`);
}
