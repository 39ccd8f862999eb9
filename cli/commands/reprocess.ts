import type { Command } from "commander";
import { reprocessQuarantined } from "../../core/audit/reprocess";
import { parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";

/** `spotcheck reprocess --reason unattributed`: send quarantined objects through ingestion again. */
export function registerReprocess(program: Command): void {
  program
    .command("reprocess")
    .description("re-ingest quarantined objects with a given reason (e.g. after a roster import)")
    .requiredOption(
      "--reason <reason>",
      "unattributed | vendor-mismatch | invalid | unrecognised | too-large | binary",
    )
    .option("--format <format>", "table or json", "table")
    .action(async (options: { reason: string; format: string }) => {
      const format = parseFormat(options.format);
      const result = await withStack((endpoints, clients) =>
        reprocessQuarantined(
          {
            db: clients.doc,
            sqs: clients.sqs,
            table: endpoints.table,
            ingestQueueUrl: endpoints.queues.ingest,
            region: endpoints.region,
            now: () => new Date(),
          },
          options.reason,
        ),
      );
      if (format === "json") return printJson(result);
      printTable([{ reason: result.reason, requeued: result.requeued }]);
    });
}
