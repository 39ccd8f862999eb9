import type { Command } from "commander";
import { closeWeek } from "../../core/period-close/close-week";
import { periodCloseDeps } from "../../functions/period-close/compose";
import { loadPolicy } from "../../local/policy";
import { isoWeek } from "../../shared/time";
import { parseFormat, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";
import { isoWeekOption } from "./date-range";

/** `spotcheck period close --week 2026-W45`: per-agent floor top-ups, by hand. */
export function registerPeriod(program: Command): void {
  const period = program.command("period").description("sampling periods (ISO weeks)");
  period
    .command("close")
    .description("top up every agent-week below the policy floor with its lowest-u unsampled items")
    .option("--week <week>", "ISO week such as 2026-W45 (default: last week)")
    .option("--format <format>", "table or json", "table")
    .action(async (options: { week?: string; format: string }) => {
      const format = parseFormat(options.format);
      const week = isoWeekOption(options.week ?? isoWeek(new Date(Date.now() - 7 * 86_400_000)));
      const policy = await loadPolicy();
      const result = await withStack((endpoints, clients) =>
        closeWeek(
          periodCloseDeps(clients, {
            table: endpoints.table,
            reviewQueueUrl: endpoints.queues.review,
            policy,
          }),
          week,
        ),
      );
      if (format === "json") return printJson(result);
      printTable([{ ...result, floor: policy.floor.perAgentWeek }]);
    });
}
