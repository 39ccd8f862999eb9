import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  importRoster,
  parseRosterCsv,
  RosterFormatError,
} from "../../functions/audit/roster-import";
import { CliError, parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";

/** `spotcheck roster import <csv>`: agent → vendor, site, team. */
export function registerRoster(program: Command): void {
  const roster = program
    .command("roster")
    .description("the agent roster used to attribute transcripts");
  roster
    .command("import")
    .description("import agentId,vendor,site,team rows (then: reprocess --reason unattributed)")
    .argument("<csv>")
    .option("--format <format>", "table or json", "table")
    .action(async (file: string, options: { format: string }) => {
      const format = parseFormat(options.format);
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch {
        throw new CliError(`${file}: cannot read the file`);
      }
      let rows: ReturnType<typeof parseRosterCsv>;
      try {
        rows = parseRosterCsv(text, file);
      } catch (error) {
        if (error instanceof RosterFormatError) throw new CliError(error.message);
        throw error;
      }
      const imported = await withStack((endpoints, clients) =>
        importRoster(clients.doc, endpoints.table, rows, new Date()),
      );
      const vendors = new Set(rows.map((r) => r.vendor)).size;
      if (format === "json") return printJson({ file, imported, vendors });
      printTable([{ file, imported, vendors }]);
    });
}
