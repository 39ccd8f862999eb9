import type { Command } from "commander";
import { daysBetween } from "../../functions/audit/days";
import { CliError } from "../output";

/** Validates `--from`/`--to` as UTC days; one clear line when they are not. */
export function dateRange(options: { from: string; to: string }): { from: string; to: string } {
  try {
    daysBetween(options.from, options.to);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
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
