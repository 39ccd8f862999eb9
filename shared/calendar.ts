/**
 * Calendar helpers shared by the sampler, rollups, queries and the web pages. All dates are
 * UTC. No imports: the pages bundle this file.
 */

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

/**
 * The first and last day anyone may ask about. Every ISO week of a day in between has a
 * four-digit week-year (1970-01-01 is a Thursday, 9999-12-31 a Friday), which the week keys
 * and {@link isoWeekStart} rely on.
 */
export const DAY_BOUNDS = { first: "1970-01-01", last: "9999-12-31" } as const;

/**
 * Whether `text` is a real UTC calendar day `yyyy-mm-dd` within {@link DAY_BOUNDS}.
 * `Date.parse` accepts `2026-02-30` and rolls it over to 2 March, so the day must also
 * survive the round trip through a Date unchanged.
 */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < DAY_BOUNDS.first) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

/** Whether `text` is an ISO week such as `2026-W45` that exists, within {@link DAY_BOUNDS}. */
export function isIsoWeek(text: string): boolean {
  try {
    // 1970-W01 starts on Monday 1969-12-29.
    return isoWeekStart(text).getTime() >= Date.parse("1969-12-29T00:00:00Z");
  } catch {
    return false;
  }
}
