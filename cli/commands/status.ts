import type { Command } from "commander";
import { destroyClients, localClients } from "../../local/clients";
import { readEndpoints } from "../../local/endpoints";
import { collectCounts } from "../../local/status/collect";
import { parseFormat, printJson, printTable } from "../output";

/** `spotcheck status`: object, item and queue counts of the running local stack. */
export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("counts and queue depths of the running local stack")
    .option("--format <format>", "table or json", "table")
    .action(async (options: { format: string }) => {
      const format = parseFormat(options.format);
      const endpoints = await readEndpoints();
      const clients = localClients(endpoints);
      try {
        const counts = await collectCounts(clients, endpoints);
        if (format === "json") return printJson({ endpoints, ...counts });
        printTable([
          { resource: `bucket ${endpoints.bucket}`, count: counts.objects },
          { resource: `table ${endpoints.table}`, count: counts.tableItems },
          ...counts.queues.map((q) => ({
            resource: `queue ${q.name} (visible)`,
            count: q.visible,
          })),
        ]);
      } finally {
        destroyClients(clients);
      }
    });
}
