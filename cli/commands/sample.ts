import type { Command } from "commander";
import { explainInteraction } from "../../core/audit/explain";
import { verifyLedger } from "../../core/audit/verify";
import { loadPolicy } from "../../local/policy";
import { loadOrCreateSamplingKey } from "../../local/sampling-key";
import { CliError, parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";
import { arrivalRangeOptions, dateRange } from "./date-range";

/** `spotcheck sample explain|verify`: audit sampling decisions against key and policy. */
export function registerSample(program: Command): void {
  const sample = program.command("sample").description("audit sampling decisions");
  sample
    .command("explain")
    .description("why an interaction was or was not sampled: u, rate, π, policy, kind and tasks")
    .argument("<interactionId>")
    .option("--format <format>", "table or json", "table")
    .action(async (interactionId: string, options: { format: string }) => {
      const format = parseFormat(options.format);
      const [policy, key] = await Promise.all([loadPolicy(), loadOrCreateSamplingKey()]);
      const explanation = await withStack((endpoints, clients) =>
        explainInteraction({ db: clients.doc, table: endpoints.table, key, policy }, interactionId),
      );
      if (!explanation) throw new CliError(`interaction ${interactionId} is not in the ledger`);
      if (format === "json") return printJson(explanation);
      const { tasks, rederived, ...facts } = explanation;
      printTable(Object.entries(facts).map(([field, value]) => ({ field, value: String(value) })));
      process.stdout.write(
        `\nre-derived now: u=${rederived.u} rate=${rederived.rate ?? "(other policy)"} key ${rederived.keyMatches ? "matches" : "DIFFERS"} → ${rederived.agrees ? "agrees" : "DISAGREES"}\n\n`,
      );
      if (tasks.length > 0) printTable(tasks);
    });
  arrivalRangeOptions(sample.command("verify"))
    .description(
      "re-derive every ledger decision of objects that arrived between two dates; exit 1 on any mismatch",
    )
    .action(async (options: { from: string; to: string; format: string }) => {
      const format = parseFormat(options.format);
      const { from, to } = dateRange(options);
      const [policy, key] = await Promise.all([loadPolicy(), loadOrCreateSamplingKey()]);
      const result = await withStack((endpoints, clients) =>
        verifyLedger({ db: clients.doc, table: endpoints.table, key, policy }, from, to),
      );
      if (format === "json") printJson(result);
      else {
        printTable([
          {
            from,
            to,
            checked: result.checked,
            otherPolicy: result.otherPolicy,
            mismatches: result.mismatches.length,
          },
        ]);
        if (result.mismatches.length > 0)
          printTable(
            result.mismatches
              .slice(0, 50)
              .map((m) => ({ ...m, stored: String(m.stored), derived: String(m.derived) })),
          );
      }
      if (result.mismatches.length > 0) process.exitCode = 1;
    });
}
