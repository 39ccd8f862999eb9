/**
 * Fast, exact stand-ins for `Date.parse` and `Date.prototype.toISOString` on the instants the
 * importers meet. `toISOString` costs about a microsecond a call, which for a transcript of a
 * few dozen turns was a large part of normalising it; integer arithmetic does the same in a
 * fraction of that. Anything outside the fast paths goes to `Date`, so the results are always
 * exactly what `Date` gives (test/importers/instants.test.ts checks both against it).
 */

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the span of four-digit ISO years. */
const FIRST_4_DIGIT_YEAR_MS = -62_167_219_200_000;
const LAST_4_DIGIT_YEAR_MS = 253_402_300_799_999;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12), after H. Hinnant. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Character codes of `YYYY-MM-DD` for the last day formatted; a transcript's turns share a day. */
let cachedDay = Number.NaN;
const dayCodes: [number, number, number, number, number, number, number, number] = [
  0, 0, 0, 0, 0, 0, 0, 0,
];

function setDay(days: number): void {
  // H. Hinnant's civil_from_days, the inverse of daysFromCivil.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  dayCodes[0] = 48 + Math.floor(year / 1000);
  dayCodes[1] = 48 + (Math.floor(year / 100) % 10);
  dayCodes[2] = 48 + (Math.floor(year / 10) % 10);
  dayCodes[3] = 48 + (year % 10);
  dayCodes[4] = 48 + Math.floor(month / 10);
  dayCodes[5] = 48 + (month % 10);
  dayCodes[6] = 48 + Math.floor(day / 10);
  dayCodes[7] = 48 + (day % 10);
  cachedDay = days;
}

/**
 * `new Date(ms).toISOString()`, or undefined when that would throw (not a time, or outside
 * Date's range). Four-digit years, the only ones a canonical transcript accepts, take the fast
 * path, which writes the string in one piece: a string concatenated from parts would be a rope
 * that every later reader (the pattern check, JSON.stringify) has to flatten first.
 */
export function formatInstant(ms: number): string | undefined {
  if (ms >= FIRST_4_DIGIT_YEAR_MS && ms <= LAST_4_DIGIT_YEAR_MS && Number.isInteger(ms)) {
    const days = Math.floor(ms / DAY_MS);
    if (days !== cachedDay) setDay(days);
    let rest = ms - days * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    const d = dayCodes;
    // biome-ignore format: one line per ISO field
    return String.fromCharCode(
      d[0], d[1], d[2], d[3], 45, d[4], d[5], 45, d[6], d[7],
      84, 48 + Math.floor(hours / 10), 48 + (hours % 10),
      58, 48 + Math.floor(minutes / 10), 48 + (minutes % 10),
      58, 48 + Math.floor(seconds / 10), 48 + (seconds % 10),
      46, 48 + Math.floor(millis / 100), 48 + (Math.floor(millis / 10) % 10), 48 + (millis % 10),
      90,
    );
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The value of the `count` ASCII digits at `from`, or NaN when any of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (!(code >= 0 && code <= 9)) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
}

/**
 * Epoch milliseconds of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.mmmZ` with calendar-valid
 * fields (the UTC forms exports use), else NaN; where it gives a number, Date.parse gives the same.
 */
function utcInstantMs(text: string): number {
  const length = text.length;
  if (
    !(length === 20 || (length === 24 && text.charCodeAt(19) === 46)) ||
    text.charCodeAt(length - 1) !== 90 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hours = digits(text, 11, 2);
  const minutes = digits(text, 14, 2);
  const seconds = digits(text, 17, 2);
  const millis = length === 24 ? digits(text, 20, 3) : 0;
  // Calendar-valid fields only (NaN fails every comparison); 2026-02-30 or 24:00 are not.
  if (
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hours <= 23 &&
    minutes <= 59 &&
    seconds <= 59 &&
    millis >= 0
  ) {
    return (
      daysFromCivil(year, month, day) * DAY_MS +
      hours * 3_600_000 +
      minutes * 60_000 +
      seconds * 1000 +
      millis
    );
  }
  return Number.NaN;
}

/**
 * `Date.parse(text)` for an ISO-8601 instant: the UTC forms exports use are read directly
 * (utcInstantMs), anything else (offsets, other fractions, malformed text) by Date.parse.
 */
export function parseInstant(text: string): number {
  const ms = utcInstantMs(text);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `new Date(parseInstant(text)).toISOString()` for `text` that matched InstantSchema (an
 * ISO-8601 instant with a four-digit year), given `ms = parseInstant(text)`. Such text of 24
 * characters ending in `Z` is already in that form (`YYYY-MM-DDTHH:MM:SS.mmmZ`) and is returned
 * as it is, which saves formatting the usual export times.
 */
export function isoOfInstant(text: string, ms: number): string | undefined {
  if (text.length === 24 && text.charCodeAt(23) === 90) return text;
  return formatInstant(ms);
}
