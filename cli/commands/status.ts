import type { Command } from "commander";
import { destroyClients, localClients } from "../../local/clients";
import { readEndpoints } from "../../local/endpoints";
import { collectCounts, collectSampling } from "../../local/status/collect";
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
        const [counts, sampling] = await Promise.all([
          collectCounts(clients, endpoints),
          collectSampling(clients, endpoints.table),
        ]);
        if (format === "json") return printJson({ endpoints, ...counts, sampling });
        printTable([
          { resource: `bucket ${endpoints.bucket}`, count: counts.objects },
          { resource: "ledger", count: sampling.totals.ledger },
          { resource: "sampled for review", count: sampling.totals.sampled },
          { resource: "quarantined", count: sampling.totals.quarantined },
          { resource: "duplicates", count: sampling.totals.duplicates },
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
