import { describe, expect, it } from "vitest";
import { daysBetween } from "../../core/audit/days";
import { DaySchema, IsoWeekSchema, isCalendarDay, isIsoWeek } from "../../shared/time";

describe("calendar days", () => {
  it.each([
    "2026-02-30",
    "2026-02-29",
    "2026-04-31",
    "0000-00-00",
    "2026-13-45",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "1969-12-31",
    "0001-01-01",
    "2026-1-05",
    "2026-01-05T00:00:00Z",
    " 2026-01-05",
  ])("refuses %j", (text) => {
    expect(isCalendarDay(text)).toBe(false);
    expect(DaySchema.safeParse(text).success).toBe(false);
  });

  it.each(["2024-02-29", "2026-02-28", "2026-12-31", "1970-01-01", "9999-12-31"])(
    "accepts %j unchanged",
    (text) => {
      expect(DaySchema.parse(text)).toBe(text);
    },
  );

  it("names the bad value in one issue", () => {
    const result = DaySchema.safeParse("2026-02-30");
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "2026-02-30 is not a calendar day (yyyy-mm-dd, 1970-01-01 to 9999-12-31)",
    ]);
    expect(DaySchema.safeParse("30/02/2026").error?.issues.map((i) => i.message)).toEqual([
      "a day as yyyy-mm-dd",
    ]);
  });

  it("audit ranges refuse rolled-over days instead of walking them", () => {
    expect(() => daysBetween("2026-02-27", "2026-02-30")).toThrow(
      "--to: 2026-02-30 is not a calendar day",
    );
    expect(daysBetween("2024-02-28", "2024-03-01")).toEqual([
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
  });
});

describe("ISO weeks", () => {
  it.each(["2026-W53", "2020-W53", "2026-W01", "1970-W01"])("accepts %j", (week) => {
    expect(isIsoWeek(week)).toBe(true);
    expect(IsoWeekSchema.parse(week)).toBe(week);
  });

  it.each(["2025-W53", "2026-W00", "2026-W54", "0000-W01", "1969-W52", "2026W05", "2026-W5"])(
    "refuses %j",
    (week) => {
      expect(IsoWeekSchema.safeParse(week).success).toBe(false);
    },
  );
});
