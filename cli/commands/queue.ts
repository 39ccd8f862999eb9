import type { Command } from "commander";
import { queueStats, redrive } from "../../core/ops/queues";
import { CliError, parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";

const QUEUE_NAMES = ["ingest", "review"] as const;

/** `spotcheck queue stats|redrive`: depths of the work queues and moving DLQ messages back. */
export function registerQueue(program: Command): void {
  const queue = program.command("queue").description("the ingest and review queues");
  queue
    .command("stats")
    .description("visible, in-flight and delayed messages, and DLQ depth, per queue")
    .option("--format <format>", "table or json", "table")
    .action(async (options: { format: string }) => {
      const format = parseFormat(options.format);
      const stats = await withStack((endpoints, clients) =>
        Promise.all([
          queueStats(clients.sqs, "ingest", endpoints.queues.ingest, endpoints.queues.ingestDlq),
          queueStats(clients.sqs, "review", endpoints.queues.review, endpoints.queues.reviewDlq),
        ]),
      );
      if (format === "json") return printJson(stats);
      printTable(stats.map((s) => ({ ...s })));
    });
  queue
    .command("redrive")
    .description("move every message of a queue's DLQ back to the queue")
    .requiredOption("--queue <name>", QUEUE_NAMES.join(" | "))
    .option("--format <format>", "table or json", "table")
    .action(async (options: { queue: string; format: string }) => {
      const format = parseFormat(options.format);
      const name = QUEUE_NAMES.find((q) => q === options.queue);
      if (!name)
        throw new CliError(
          `--queue must be one of ${QUEUE_NAMES.join(", ")}, got '${options.queue}'`,
        );
      const moved = await withStack((endpoints, clients) =>
        redrive(clients.sqs, endpoints.queues[`${name}Dlq`], endpoints.queues[name]),
      );
      if (format === "json") return printJson({ queue: name, moved });
      printTable([{ queue: name, moved }]);
    });
}
