import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  importRoster,
  parseRosterCsv,
  RosterFormatError,
  VendorChangeError,
  type VendorMove,
} from "../../core/audit/roster-import";
import { CliError, parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";

/** `spotcheck roster import <csv> [--allow-vendor-change]`: agent → vendor, site, team. */
export function registerRoster(program: Command): void {
  const roster = program
    .command("roster")
    .description("the agent roster used to attribute transcripts");
  roster
    .command("import")
    .description(
      "import agentId,vendor,site,team rows (then: reprocess --reason unattributed); " +
        "vendor ids are lower-cased and trimmed",
    )
    .argument("<csv>")
    .option(
      "--allow-vendor-change",
      "import even if it moves agents to another vendor (each move is listed)",
    )
    .option("--format <format>", "table or json", "table")
    .action(async (file: string, options: { format: string; allowVendorChange?: boolean }) => {
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
      const allowVendorChange = options.allowVendorChange === true;
      let result: Awaited<ReturnType<typeof importRoster>>;
      try {
        result = await withStack((endpoints, clients) =>
          importRoster(clients.doc, endpoints.table, rows, new Date(), { allowVendorChange }),
        );
      } catch (error) {
        if (!(error instanceof VendorChangeError)) throw error;
        // The moves are the report (stdout); the refusal is the one error line (stderr).
        if (format === "json") printJson({ file, imported: 0, refused: true, moves: error.moves });
        else printMoves("agents this import would move to another vendor:", error.moves);
        throw new CliError(
          `${file}: ${error.moves.length} agent(s) would move to another vendor; nothing was ` +
            "imported: check the moves listed and re-run with --allow-vendor-change if they are right",
        );
      }
      const vendors = new Set(rows.map((r) => r.vendor)).size;
      const { imported, moves } = result;
      if (format === "json") return printJson({ file, imported, vendors, moves });
      printTable([{ file, imported, vendors, moved: moves.length }]);
      if (moves.length > 0) printMoves("\nagents moved to another vendor:", moves);
    });
}

function printMoves(title: string, moves: readonly VendorMove[]): void {
  process.stdout.write(`${title}\n`);
  printTable(moves.map((m) => ({ agent: m.agentId, from: m.from, to: m.to })));
}
