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
