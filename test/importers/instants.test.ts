import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InstantSchema } from "../../shared/importers/canonical";
import { formatInstant, isoOfInstant, parseInstant } from "../../shared/importers/instants";

const RUNS = 2000;

/** What formatInstant stands in for: toISOString, or undefined where it throws. */
function toISOString(ms: number): string | undefined {
  try {
    return new Date(ms).toISOString();
  } catch {
    return undefined;
  }
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const FIRST = Date.parse("0000-01-01T00:00:00.000Z");
const LAST = Date.parse("9999-12-31T23:59:59.999Z");
const DATE_LIMIT = 8.64e15;

/** Text shaped like an ISO instant, valid or not: any digits, optional fraction and offset. */
const isoLike = fc
  .tuple(
    fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    fc.constantFrom("", ".0", ".12", ".123", ".1234", ".123456789"),
    fc.constantFrom("Z", "z", "+00:00", "-05:30", "+23:59", "+24:00", ""),
  )
  .map((parts) => parts.join(""));

/** Real instants in the forms exports write them. */
const exportLike = fc
  .tuple(
    fc.integer({ min: FIRST, max: LAST }),
    fc.constantFrom("ms", "seconds", "fraction", "offset"),
  )
  .map(([ms, form]) => {
    const iso = new Date(ms).toISOString();
    if (form === "seconds") return iso.replace(/\.\d{3}Z$/, "Z");
    if (form === "fraction") return iso.replace(/Z$/, "456Z");
    if (form === "offset") return iso.replace(/Z$/, "+01:00");
    return iso;
  });

describe("formatInstant", () => {
  it("is toISOString for four-digit years", () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), (ms) => {
        expect(formatInstant(ms)).toBe(toISOString(ms));
      }),
      { numRuns: RUNS },
    );
  });

  it("is toISOString (or undefined where that throws) for any number", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -DATE_LIMIT - 10, max: DATE_LIMIT + 10 }),
          fc.double({ min: -DATE_LIMIT * 2, max: DATE_LIMIT * 2 }),
          fc.double(),
        ),
        (ms) => {
          expect(formatInstant(ms)).toBe(toISOString(ms));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each([
    FIRST - 1,
    FIRST,
    LAST,
    LAST + 1,
    0,
    -0,
    -1,
    1.5,
    -1.5,
    951_782_400_000, // 2000-02-29
    -DATE_LIMIT,
    DATE_LIMIT,
    DATE_LIMIT + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])("matches toISOString at %d", (ms) => {
    expect(formatInstant(ms)).toBe(toISOString(ms));
  });

  it("returns flat strings that read back the same, across day changes", () => {
    let ms = Date.parse("2026-02-28T23:59:59.998Z");
    for (let i = 0; i < 5; i++, ms += 1) {
      expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe("parseInstant", () => {
  it("is Date.parse for ISO-shaped text, valid or not", () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, exportLike), (text) => {
        expect(parseInstant(text)).toBe(Date.parse(text));
      }),
      { numRuns: RUNS },
    );
  });

  it("is Date.parse for any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parseInstant(text)).toBe(Date.parse(text));
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    "2026-02-29T00:00:00Z",
    "2024-02-29T00:00:00Z",
    "2026-02-30T00:00:00.000Z",
    "2026-04-31T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:60:00Z",
    "2026-01-01T23:59:60Z",
    "0000-02-29T00:00:00.000Z",
    "1900-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-1a-01T00:00:00Z",
    "+02026-01-01T00:00:00Z",
    "2026-01-01T00:00:00.1Z",
  ])("is Date.parse for %s", (text) => {
    expect(parseInstant(text)).toBe(Date.parse(text));
  });

  it("reads every instant InstantSchema accepts", () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, exportLike), (text) => {
        if (!InstantSchema.safeParse(text).success) return;
        expect(Number.isNaN(parseInstant(text))).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("isoOfInstant", () => {
  it("is the toISOString form of any instant InstantSchema accepts", () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, exportLike), (text) => {
        if (!InstantSchema.safeParse(text).success) return;
        const ms = parseInstant(text);
        expect(isoOfInstant(text, ms)).toBe(new Date(Date.parse(text)).toISOString());
      }),
      { numRuns: RUNS },
    );
  });
});
