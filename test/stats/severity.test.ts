import { describe, expect, it } from "vitest";
import type { ReviewerRating } from "../../shared/stats/agreement";
import { MIN_SHARED_UNITS, reviewerSeverityModel } from "../../shared/stats/severity";
import { calibrationData, normalDraw, seededRandom } from "./helpers";

/** Units where three reviewers who mostly agree score interactions of quality 2–4. */
function agreeingUnits(count: number, seed: number): ReviewerRating[][] {
  const uniform = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const quality = 2 + Math.floor(uniform() * 3);
    return ["ann", "bob", "cy"].map((reviewer) => ({
      reviewer,
      value: quality + (uniform() < 0.15 ? (uniform() < 0.5 ? -1 : 1) : 0),
    }));
  });
}

/** `count` of the units get a fourth reviewer, `dee`, who scores `offset` points off the first. */
function withDee(units: ReviewerRating[][], count: number, offset: number): ReviewerRating[][] {
  return units.map((unit, i) =>
    i < count
      ? [
          ...unit,
          { reviewer: "dee", value: Math.min(5, Math.max(1, (unit[0]?.value ?? 3) + offset)) },
        ]
      : unit,
  );
}

const find = (model: ReturnType<typeof reviewerSeverityModel>, id: string) =>
  model.reviewers.find((r) => r.reviewer === id);

describe("reviewerSeverityModel", () => {
  it("does not call a reviewer −2.00 from one shared interaction: the estimate shrinks and nobody is named", () => {
    const model = reviewerSeverityModel(withDee(agreeingUnits(40, 1), 1, -2));
    const dee = find(model, "dee");
    expect(dee?.shared).toBe(1);
    expect(dee?.rawDeviation).toBeLessThan(-1);
    expect(Math.abs(dee?.severity ?? 9)).toBeLessThan(1);
    expect(dee?.label).toBeNull();
    expect((dee?.ci95?.[1] ?? 0) - (dee?.ci95?.[0] ?? 0)).toBeGreaterThan(0.5);
  });

  it("names a consistently harsh reviewer once they share enough interactions, not before", () => {
    const base = agreeingUnits(60, 2);
    const below = find(reviewerSeverityModel(withDee(base, MIN_SHARED_UNITS - 1, -2)), "dee");
    expect(below?.ci95?.[1]).toBeLessThan(0);
    expect(below?.label).toBeNull();
    const at = find(reviewerSeverityModel(withDee(base, MIN_SHARED_UNITS, -2)), "dee");
    expect(at?.label).toBe("harsh");
    expect(at?.severity).toBeLessThan(-1);
    // Severity is measured against the average reviewer, whom dee pulls down: the other
    // three sit a little above that average, by about a third of dee's distance below it.
    const others = reviewerSeverityModel(withDee(base, MIN_SHARED_UNITS, -2)).reviewers.filter(
      (r) => r.reviewer !== "dee",
    );
    for (const r of others) {
      expect(r.severity).toBeGreaterThan(0);
      expect(r.severity).toBeLessThan(Math.abs(at?.severity ?? 0) / 2);
    }
  });

  it("recovers planted severities, harsh and lenient, with intervals that hold them", () => {
    const severities = [0.7, -0.7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const mean = severities.reduce((s, x) => s + x, 0) / severities.length;
    const model = reviewerSeverityModel(calibrationData(seededRandom(5), 400, severities));
    const lenient = find(model, "r00");
    const harsh = find(model, "r01");
    expect(lenient?.label).toBe("lenient");
    expect(harsh?.label).toBe("harsh");
    expect(lenient?.severity).toBeCloseTo(0.7 - mean, 0);
    expect(harsh?.severity).toBeCloseTo(-0.7 - mean, 0);
    for (const r of model.reviewers) {
      const truth = (severities[Number(r.reviewer.slice(1))] ?? 0) - mean;
      expect(r.ci95?.[0]).toBeLessThan(truth);
      expect(r.ci95?.[1]).toBeGreaterThan(truth);
    }
    expect(model.reviewers.filter((r) => r.label !== null).map((r) => r.reviewer)).toEqual([
      "r00",
      "r01",
    ]);
  });

  it("names nobody in 100 calibration sets where every reviewer is alike (fixed seed)", () => {
    const uniform = seededRandom(6);
    const alike = new Array<number>(12).fill(0);
    let named = 0;
    for (let r = 0; r < 100; r++) {
      named += reviewerSeverityModel(calibrationData(uniform, 60, alike)).reviewers.filter(
        (e) => e.label !== null,
      ).length;
    }
    // 1,200 reviewer verdicts; the benchmark measures the rate on more (about 0.03%).
    expect(named).toBeLessThanOrEqual(2);
  });

  it("estimates the spread of severities and the noise of one score", () => {
    const uniform = seededRandom(7);
    const severities = Array.from({ length: 12 }, () => 0.3 * normalDraw(uniform));
    const mean = severities.reduce((s, x) => s + x, 0) / 12;
    const realised = Math.sqrt(severities.reduce((s, x) => s + (x - mean) ** 2, 0) / 11);
    const model = reviewerSeverityModel(calibrationData(uniform, 1_000, severities));
    expect(Math.sqrt(model.severityVariance ?? 0)).toBeGreaterThan(realised - 0.1);
    expect(Math.sqrt(model.severityVariance ?? 0)).toBeLessThan(realised + 0.1);
    // Noise 0.45 plus rounding to whole points (variance 1/12).
    expect(Math.sqrt(model.residualVariance ?? 0)).toBeCloseTo(Math.sqrt(0.45 ** 2 + 1 / 12), 1);
    expect(model.units).toBe(1_000);
  });

  it("leaves out unshared scores and has nothing to say without shared interactions", () => {
    const model = reviewerSeverityModel([[{ reviewer: "ann", value: 3 }], []]);
    expect(model).toMatchObject({ units: 0, reviewers: [] });
    const pair = reviewerSeverityModel([
      [
        { reviewer: "ann", value: 3 },
        { reviewer: "bob", value: 5 },
      ],
    ]);
    // One shared interaction: no degrees of freedom left for the noise.
    expect(pair.reviewers.map((r) => [r.reviewer, r.se, r.label])).toEqual([
      ["ann", null, null],
      ["bob", null, null],
    ]);
  });

  it("refuses a reviewer who rates one interaction twice, and non-finite values", () => {
    const twice = [
      [
        { reviewer: "ann", value: 3 },
        { reviewer: "ann", value: 4 },
      ],
    ];
    expect(() => reviewerSeverityModel(twice)).toThrow(RangeError);
    expect(() =>
      reviewerSeverityModel([
        [
          { reviewer: "ann", value: 3 },
          { reviewer: "bob", value: Number.NaN },
        ],
      ]),
    ).toThrow(RangeError);
  });
});
