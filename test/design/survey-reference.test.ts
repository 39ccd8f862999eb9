import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { estimateStrata, strataOfAgentWeekChannels, t95 } from "../../shared/estimate";
import { rollupIncrements } from "../../shared/rollup";
import type { ScoreSubmission } from "../../shared/score";

/** Reference numbers from R's survey package: bench/reference/survey-check.R wrote them. */
interface Reference {
  survey: string;
  datasets: Array<{
    name: string;
    design: "fixed" | "poisson";
    rows: Array<{ stratum: string; channel: string; x: number | null; w: number; N?: number }>;
    results: Array<{ domain: string; estimate: number; se: number; reviews: number }>;
  }>;
  tQuantiles: Array<{ df: number; q975: number }>;
}

const reference = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../bench/reference/survey-reference.json"), "utf8"),
) as Reference;

/** The rows as the rollup items the review API and period close would write. */
function rollupItems(dataset: Reference["datasets"][number]): Record<string, unknown>[] {
  const items = new Map<string, Record<string, unknown>>();
  for (const row of dataset.rows) {
    const key = `${row.stratum}#${row.channel}`;
    let item = items.get(key);
    if (!item) {
      item = {
        agent: row.stratum,
        week: "2026-W10",
        channel: row.channel,
        ...(dataset.design === "fixed"
          ? { closed: "v2:test", toppedUp: true, stratumEligible: row.N }
          : {}),
      };
      items.set(key, item);
    }
    const score = row.x === null ? { na: "n/a" } : { value: row.x };
    const scores: ScoreSubmission["scores"] = {
      consistency: score,
      scriptReliance: score,
      empathy: score,
    };
    for (const [field, value] of Object.entries(rollupIncrements(scores, row.w)))
      item[field] = Number(item[field] ?? 0) + value;
  }
  return [...items.values()];
}

describe(`the estimator against R's survey ${reference.survey}`, () => {
  for (const dataset of reference.datasets) {
    it(`${dataset.name}: the same estimate and standard error in every domain`, () => {
      const items = rollupItems(dataset);
      for (const expected of dataset.results) {
        const domain = expected.domain === "all" ? undefined : expected.domain;
        const e = estimateStrata(strataOfAgentWeekChannels(items, "empathy", domain));
        if (e.status !== "ok") throw new Error(`${expected.domain}: ${e.status}`);
        expect(e.reviewed).toBe(expected.reviews);
        expect(e.estimate).toBeCloseTo(expected.estimate, 10);
        // The Poisson part carries the small-sample factor m/(m − 1) that survey leaves out.
        const m = expected.reviews;
        const factor = dataset.design === "poisson" ? Math.sqrt(m / (m - 1)) : 1;
        expect(e.se).toBeCloseTo(expected.se * factor, 10);
      }
    });
  }

  it("uses Student's t quantiles equal to R's qt", () => {
    for (const { df, q975 } of reference.tQuantiles) expect(t95(df)).toBeCloseTo(q975, 9);
  });
});
