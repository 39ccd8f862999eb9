import { resolve } from "node:path";
import type { Command } from "commander";
import { generateDemo } from "../../local/demo/generate";
import { writeDemo } from "../../local/demo/write";
import { localDir } from "../../local/endpoints";
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
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} takes a positive whole number, got '${text}'`);
  return n;
}
