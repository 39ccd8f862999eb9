import { utcDay } from "../../shared/time";

/** Every UTC day from `from` to `to` inclusive, as `yyyy-mm-dd`; throws on a bad range. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(start))
    throw new RangeError(`not a date (yyyy-mm-dd): ${from}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(end))
    throw new RangeError(`not a date (yyyy-mm-dd): ${to}`);
  if (end < start) throw new RangeError(`--to ${to} is before --from ${from}`);
  if ((end - start) / 86_400_000 > 3_660)
    throw new RangeError("the range is longer than ten years");
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) days.push(utcDay(new Date(t)));
  return days;
}
