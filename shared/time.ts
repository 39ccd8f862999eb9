import { z } from "zod";
import { DAY_BOUNDS, isCalendarDay, isIsoWeek } from "./calendar";

export {
  DAY_BOUNDS,
  isCalendarDay,
  isIsoWeek,
  isoWeek,
  isoWeekStart,
  utcDay,
} from "./calendar";

/**
 * A real calendar day, `yyyy-mm-dd`: the one schema for every day that enters through the
 * API's queries, the CLI's `--from`/`--to` and the audit reports. `2026-02-30`,
 * `0000-00-00` and `2026-13-45` are refused, not rolled over.
 */
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a day as yyyy-mm-dd", abort: true })
  .refine(isCalendarDay, {
    error: (issue) =>
      `${String(issue.input)} is not a calendar day (yyyy-mm-dd, ${DAY_BOUNDS.first} to ${DAY_BOUNDS.last})`,
  });

/** An ISO week that exists, `yyyy-Www`: `2025-W53` is refused, because 2025 has 52 weeks. */
export const IsoWeekSchema = z
  .string()
  .regex(/^\d{4}-W\d{2}$/, { error: "an ISO week such as 2026-W45", abort: true })
  .refine(isIsoWeek, {
    error: (issue) =>
      `${String(issue.input)} is not an ISO week (weeks run from W01 to W52, or W53 in long years, from ${DAY_BOUNDS.first.slice(0, 4)})`,
  });
