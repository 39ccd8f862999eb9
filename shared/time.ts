/** Calendar helpers shared by the sampler, rollups and queries. All dates are UTC. */

/** `yyyy-mm-dd` of an instant, in UTC. */
export function utcDay(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * ISO-8601 week of an instant, e.g. `2026-W45`. Weeks start on Monday and week 1 holds the
 * year's first Thursday, so the week-year can differ from the calendar year near 1 January.
 */
export function isoWeek(at: Date | string): string {
  const d = new Date(at);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Monday 00:00 UTC of an ISO week such as `2026-W45`; throws on a malformed week. */
export function isoWeekStart(week: string): Date {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`not an ISO week (expected yyyy-Www): ${week}`);
  const year = Number(match[1]);
  const n = Number(match[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = new Date(jan4);
  mondayOfWeek1.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() || 7) - 1));
  const start = new Date(mondayOfWeek1);
  start.setUTCDate(mondayOfWeek1.getUTCDate() + (n - 1) * 7);
  if (n < 1 || isoWeek(start) !== week) throw new RangeError(`no such ISO week: ${week}`);
  return start;
}
