import type { Command } from "commander";
import { daysBetween } from "../../core/audit/days";
import { IsoWeekSchema } from "../../shared/time";
import { CliError } from "../output";

/** Validates `--from`/`--to` as real UTC calendar days; one clear line and exit 2 when not. */
export function dateRange(options: { from: string; to: string }): { from: string; to: string } {
  try {
    daysBetween(options.from, options.to);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
  return { from: options.from, to: options.to };
}

/** Adds the `--from`/`--to` arrival-day options (and `--format`) that audit reports share. */
export function arrivalRangeOptions(command: Command): Command {
  return command
    .requiredOption("--from <date>", "first UTC day (yyyy-mm-dd) the objects arrived")
    .requiredOption("--to <date>", "last UTC day (yyyy-mm-dd)")
    .option("--format <format>", "table or json", "table");
}

/** Validates an ISO week option (`--week 2026-W45`); one clear line and exit 2 when it is not one. */
export function isoWeekOption(week: string): string {
  const parsed = IsoWeekSchema.safeParse(week);
  if (!parsed.success) throw new CliError(`--week: ${parsed.error.issues[0]?.message}`, 2);
  return parsed.data;
}
