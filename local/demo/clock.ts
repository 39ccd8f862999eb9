/** Fast UTC timestamp formatting for the generator's hot path. */

const DAY_MS = 86_400_000;
const datePrefixes = new Map<number, string>();

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Same output as `new Date(ms).toISOString()` for whole milliseconds in years 1970–9999. */
export function isoTime(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    // One Date per distinct day instead of one per timestamp: the generator formats ~100k.
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    datePrefixes.set(day, prefix);
  }
  const r = t - day * DAY_MS;
  return `${prefix}${pad(Math.floor(r / 3_600_000), 2)}:${pad(Math.floor(r / 60_000) % 60, 2)}:${pad(Math.floor(r / 1000) % 60, 2)}.${pad(r % 1000, 3)}Z`;
}

/** ISO-8601 to the second (`2026-08-24T14:05:11Z`), as help-desk exports write it. */
export function isoSeconds(ms: number): string {
  const s = isoTime(ms);
  return `${s.slice(0, 19)}Z`;
}
