import { describe, expect, it } from "vitest";
import { runDriftScenarios, WEEKLY_DAYS } from "../../bench/drift-scenarios";
import { generateDemo } from "../../local/demo/generate";

describe("runDriftScenarios", () => {
  it("returns one filled row per scenario, the same for the same seed", async () => {
    const rows = await runDriftScenarios({ replications: 2, seed: 7 });
    expect(rows.map((r) => r.scenario)).toEqual([
      "no-week-noise",
      "week-noise",
      "decline-1.2",
      "sustained-0.5",
      "channel-0.5",
      "partial-week",
      "partial-week-ungated",
    ]);
    for (const row of rows) {
      expect(row.runs).toBe(2);
      expect(row.nullSeriesWeeks).toBeGreaterThan(100);
      expect(row.falseAlertsPer100SeriesWeeks).toBeGreaterThanOrEqual(0);
      expect(row.falseAlertsPer100SeriesWeeks).toBeLessThanOrEqual(
        row.flaggedWeeksPer100SeriesWeeks,
      );
      expect(row.falseAlertsPerSeriesYear).toBeCloseTo(
        (row.falseAlertsPer100SeriesWeeks * 52) / 100,
        2,
      );
      // The demo's volumes after sampling: a handful of reviews per channel, about 20 per vendor.
      expect(row.reviewsPerWeek.channel).toBeGreaterThan(3);
      expect(row.reviewsPerWeek.allChannels).toBeGreaterThan(row.reviewsPerWeek.channel);
    }
    const byName = new Map(rows.map((r) => [r.scenario, r]));
    for (const name of ["week-noise", "decline-1.2", "sustained-0.5"]) {
      const row = byName.get(name);
      for (const share of [row?.detectedWithin2Weeks, row?.detectedWithin4Weeks]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
    }
    expect(byName.get("week-noise")?.detectedWithin2Weeks).toBe(
      byName.get("decline-1.2")?.detectedWithin2Weeks,
    );
    expect(byName.get("week-noise")?.detectedWithin4Weeks).toBe(
      byName.get("sustained-0.5")?.detectedWithin4Weeks,
    );
    expect(byName.get("no-week-noise")?.detectedWithin4Weeks).toBeNull();
    // Testing before the floor reviews are in leaves most series-weeks too thin to test.
    expect(byName.get("partial-week-ungated")?.nullSeriesWeeks).toBeLessThan(
      (byName.get("partial-week")?.nullSeriesWeeks ?? 0) / 2,
    );
    expect(await runDriftScenarios({ replications: 2, seed: 7 })).toEqual(rows);
  });

  it("simulates the demo generator's weekly volume", () => {
    const perDay = 45;
    const { manifest } = generateDemo({ days: 28, seed: 3, perDay });
    const perWeek = manifest.truth.length / 4;
    expect(Math.abs(perWeek / (perDay * WEEKLY_DAYS) - 1)).toBeLessThan(0.1);
  });
});
