import { DaySchema, utcDay } from "../../shared/time";

/** Longest range an audit report walks day by day. */
const MAX_AUDIT_DAYS = 3_660;

/**
 * Every UTC day from `from` to `to` inclusive, as `yyyy-mm-dd`; throws a RangeError that
 * names the bad value when either is not a real calendar day or the range is backwards or
 * longer than ten years.
 */
export function daysBetween(from: string, to: string): string[] {
  for (const [flag, value] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    const parsed = DaySchema.safeParse(value);
    if (!parsed.success) throw new RangeError(`${flag}: ${parsed.error.issues[0]?.message}`);
  }
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (end < start) throw new RangeError(`--to ${to} is before --from ${from}`);
  if ((end - start) / 86_400_000 > MAX_AUDIT_DAYS)
    throw new RangeError("the range is longer than ten years");
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(utcDay(new Date(t)));
  return days;
}
