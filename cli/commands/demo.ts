import { resolve } from "node:path";
import type { Command } from "commander";
import { destroyClients, localClients } from "../../local/clients";
import { generateDemo } from "../../local/demo/generate";
import {
  httpTokenSource,
  kindsFromTable,
  readSeededDemo,
  type SimulationReport,
  simulatedReviewers,
  simulateReviews,
  waitUntilReady,
} from "../../local/demo/simulate-reviews";
import { writeDemo } from "../../local/demo/write";
import { localDir, readEndpoints } from "../../local/endpoints";
import { CliError, parseFormat, printJson, printTable } from "../output";

/** `spotcheck demo …`: deterministic demo data with a ground-truth manifest. */
export function registerDemo(program: Command): void {
  const demo = program.command("demo").description("demo data with planted, known effects");
  demo
    .command("generate")
    .description("write demo transcripts in mixed export formats plus manifest.json (ground truth)")
    .option("--days <n>", "days of interactions", "90")
    .option("--seed <n>", "random seed: the same seed gives byte-identical output", "7")
    .option("--per-day <n>", "mean weekday interactions across all vendors", "45")
    .option("--out <dir>", "output folder (default .local/demo)")
    .option("--format <format>", "summary as table or json", "table")
    .action(
      async (options: {
        days: string;
        seed: string;
        perDay: string;
        out?: string;
        format: string;
      }) => {
        const format = parseFormat(options.format);
        const days = wholeNumber(options.days, "--days");
        const seed = wholeNumber(options.seed, "--seed");
        const perDay = wholeNumber(options.perDay, "--per-day");
        const out = resolve(options.out ?? resolve(localDir(), "demo"));
        const result = generateDemo({ days, seed, perDay });
        await writeDemo(out, result);
        const byFormat = new Map<string, number>();
        for (const truth of result.manifest.truth) {
          byFormat.set(truth.format, (byFormat.get(truth.format) ?? 0) + 1);
        }
        const summary = {
          out,
          files: result.files.length,
          vendors: result.manifest.vendors.length,
          agents: result.manifest.agents.length,
          formats: Object.fromEntries(byFormat),
          plantedEffects: result.manifest.plantedEffects.map((e) => e.description),
        };
        if (format === "json") return printJson(summary);
        printTable([...byFormat].map(([fmt, files]) => ({ format: fmt, files })));
        process.stdout.write(
          `\n${summary.files} transcripts, ${summary.vendors} vendors, ${summary.agents} agents written to ${out}\nplanted effects (see manifest.json):\n${summary.plantedEffects.map((d) => `  - ${d}`).join("\n")}\n`,
        );
      },
    );
  registerSimulateReviews(demo);
}

/** `spotcheck demo simulate-reviews`: the running stack's review queue scored on known truth. */
function registerSimulateReviews(demo: Command): void {
  demo
    .command("simulate-reviews")
    .description(
      "simulated reviewers score every queued task of the running stack over its HTTP API, from the demo's true quality plus reviewer severity and noise",
    )
    .option("--reviewers <n>", "simulated reviewers", "12")
    .option("--seed <n>", "seed of reviewer severities and score noise", "1")
    .option("--noise <sd>", "standard deviation of each score's noise, on the 1–5 scale", "0.5")
    .option("--concurrency <n>", "reviewers working at once (default: all)")
    .option("--format <format>", "summary as table or json", "table")
    .action(
      async (options: {
        reviewers: string;
        seed: string;
        noise: string;
        concurrency?: string;
        format: string;
      }) => {
        const format = parseFormat(options.format);
        const count = wholeNumber(options.reviewers, "--reviewers");
        if (count > 200) throw new CliError(`--reviewers takes at most 200, got ${count}`);
        const seed = wholeNumber(options.seed, "--seed");
        const noise = Number(options.noise);
        if (!Number.isFinite(noise) || noise < 0 || noise > 5)
          throw new CliError(`--noise takes a number from 0 to 5, got '${options.noise}'`);
        const concurrency =
          options.concurrency === undefined
            ? count
            : wholeNumber(options.concurrency, "--concurrency");
        const endpoints = await readEndpoints();
        // Until the stack is ready the demo is still being sampled: scoring now would miss tasks.
        await waitUntilReady(endpoints.web, {
          onWait: (phase) => {
            if (format === "table")
              process.stderr.write(
                `spotcheck: the stack is ${phase}; waiting until it is ready …\n`,
              );
          },
        });
        const { manifest } = generateDemo((await readSeededDemo(endpoints)).options);
        if (format === "table")
          process.stderr.write(
            `spotcheck: ${count} simulated reviewers scoring the review queue at ${endpoints.web} …\n`,
          );
        const clients = localClients(endpoints);
        const report = await simulateReviews({
          baseUrl: endpoints.web,
          token: httpTokenSource(endpoints.web),
          manifest,
          reviewers: simulatedReviewers(count, seed, noise),
          seed,
          concurrency,
          kindOf: kindsFromTable(clients.doc, endpoints.table),
        }).finally(() => destroyClients(clients));
        if (format === "json") printJson(report);
        else printSimulation(report);
        if (!report.complete) {
          const gaveUp = report.reviewers.filter((r) => r.gaveUp).length;
          throw new CliError(
            `${gaveUp} of ${count} reviewers gave up after repeated failed claims: the queue may not be empty`,
          );
        }
      },
    );
}

function printSimulation(report: SimulationReport): void {
  const signed = (x: number) => {
    const r = Math.round(x * 100) / 100;
    return `${r >= 0 ? "+" : "-"}${Math.abs(r).toFixed(2)}`;
  };
  const row = (
    reviewer: string,
    severity: string,
    c: SimulationReport["total"],
  ): Record<string, string | number> => ({
    reviewer,
    severity,
    reviews: c.submitted,
    random: c.random,
    floor: c.floor,
    calibration: c.calibration,
    "n/a": c.na,
  });
  printTable([
    ...report.reviewers.map((r) =>
      row(r.gaveUp ? `${r.reviewer} (gave up)` : r.reviewer, signed(r.severity), r),
    ),
    row("total", "", report.total),
  ]);
  const t = report.total;
  const errors = Object.entries(report.errors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}: ${n}`);
  process.stdout.write(
    `\n${t.submitted} reviews (${t.random} random, ${t.floor} floor, ${t.calibration} calibration), ${t.na} dimensions N/A, in ${report.elapsedSeconds.toFixed(1)} s (${report.reviewsPerSecond.toFixed(1)} reviews/s)\nerrors: ${errors.length > 0 ? errors.join(", ") : "none"}\n`,
  );
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} takes a positive whole number, got '${text}'`);
  return n;
}
