import type { Command } from "commander";
import { reconcile } from "../../functions/audit/reconcile";
import { parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";
import { arrivalRangeOptions, dateRange } from "./date-range";

/** `spotcheck reconcile --from D --to D`: bucket against ledger and quarantine; exit 1 on a gap. */
export function registerReconcile(program: Command): void {
  arrivalRangeOptions(program.command("reconcile"))
    .description(
      "list objects in neither ledger nor quarantine, and ledger entries with no object; exit 1 if any",
    )
    .action(async (options: { from: string; to: string; format: string }) => {
      const format = parseFormat(options.format);
      const { from, to } = dateRange(options);
      const result = await withStack((endpoints, clients) =>
        reconcile(
          { s3: clients.s3, db: clients.doc, table: endpoints.table, bucket: endpoints.bucket },
          from,
          to,
        ),
      );
      if (format === "json") printJson(result);
      else {
        printTable([
          {
            from,
            to,
            objects: result.objects,
            ledger: result.outcomes.ledger ?? 0,
            duplicates: result.outcomes.duplicate ?? 0,
            quarantined: result.outcomes.quarantined ?? 0,
            missing: result.missing.length,
            orphaned: result.orphaned.length,
          },
        ]);
        for (const name of result.missing.slice(0, 50)) process.stdout.write(`missing  ${name}\n`);
        for (const name of result.orphaned.slice(0, 50)) process.stdout.write(`orphaned ${name}\n`);
      }
      if (result.missing.length > 0 || result.orphaned.length > 0) process.exitCode = 1;
    });
}
