import { describe, expect, it } from "vitest";
import { population, runEstimationScenarios, scenarios } from "../../bench/estimation";

describe("the estimation benchmark harness", () => {
  it("has the contract's scenarios, each with a known finite population", () => {
    const names = scenarios().map((s) => s.name);
    for (const name of ["mixed-rates", "agent-week-effects", "small-agent", "single-week"])
      expect(names).toContain(name);
    const mixed = scenarios().find((s) => s.name === "mixed-rates");
    if (!mixed) throw new Error("no mixed-rates scenario");
    expect(mixed.channels.map((c) => c.rate).sort()).toEqual([0.06, 0.06, 0.1, 0.2]);
    // Agents work several channels, and the population is the same on every call.
    const units = population(mixed);
    const channelsOf = new Map<string, Set<string>>();
    for (const u of units)
      channelsOf.set(u.agent, (channelsOf.get(u.agent) ?? new Set()).add(u.channel));
    expect([...channelsOf.values()].every((c) => c.size >= 2)).toBe(true);
    expect(population(mixed)).toEqual(units);
  });

  it("returns one row per scenario and slice with bias, coverage and replications", () => {
    const rows = runEstimationScenarios({ replications: 3, only: ["single-week"] });
    const single = scenarios().find((s) => s.name === "single-week");
    expect(rows).toHaveLength(single?.slices.length ?? -1);
    for (const row of rows) {
      expect(row).toMatchObject({ scenario: "single-week", replications: 3 });
      expect(Number.isFinite(row.bias)).toBe(true);
      expect(row.coverage).toBeGreaterThanOrEqual(0);
      expect(row.coverage).toBeLessThanOrEqual(1);
    }
  });
});
