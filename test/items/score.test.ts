import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KEYS,
  MalformedItemError,
  scoreFromItem,
  scoreKey,
  scoreReweight,
  scoreToItem,
  scoreValuesFromItem,
} from "../../shared/items";
import { CURRENT_RUBRIC, DIMENSIONS } from "../../shared/rubric";
import { type DimensionScore, ScoreSubmissionSchema, type StoredScore } from "../../shared/score";
import { applyUpdate } from "./apply-update";
import { id, instant } from "./arbitraries";

const dimensionScore: fc.Arbitrary<DimensionScore> = fc.oneof(
  fc
    .integer({ min: 1, max: 5 })
    .map((value) =>
      value <= CURRENT_RUBRIC.evidenceRequiredAtOrBelow ? { value, evidence: ["t1"] } : { value },
    ),
  fc.constant({ na: "no emotion expressed" }),
);

const score: fc.Arbitrary<StoredScore> = fc.record(
  {
    taskId: id,
    interactionId: id,
    reviewer: id,
    rubricVersion: fc.constant(CURRENT_RUBRIC.version),
    kind: fc.constantFrom("random", "floor", "calibration"),
    weight: fc.double({ min: 1, max: 100, noNaN: true }),
    scores: fc.record(
      Object.fromEntries(CURRENT_RUBRIC.dimensions.map((d) => [d.id, dimensionScore])) as Record<
        (typeof DIMENSIONS)[number],
        fc.Arbitrary<DimensionScore>
      >,
    ),
    comment: fc.string({ maxLength: 40 }),
    durationMs: fc.nat(),
    submittedAt: instant,
  },
  {
    requiredKeys: [
      "taskId",
      "interactionId",
      "reviewer",
      "rubricVersion",
      "kind",
      "weight",
      "scores",
      "durationMs",
      "submittedAt",
    ],
  },
);

describe("score codec", () => {
  it("reads back every score it writes, listed under its reviewer by time", () => {
    fc.assert(
      fc.property(score, (s) => {
        const item = scoreToItem(s);
        expect(item).toMatchObject({
          ...scoreKey(s.interactionId, s.taskId),
          type: "score",
          [KEYS.byPeriod.pk]: `REVIEWS#${s.reviewer}`,
          [KEYS.byPeriod.sk]: s.submittedAt,
        });
        expect(scoreFromItem(item)).toEqual(s);
      }),
    );
  });

  it("reads a score with the schema of its own rubric version, and refuses an unknown version", () => {
    const s = fc.sample(score, { numRuns: 1, seed: 1 })[0] as StoredScore;
    expect(() => scoreFromItem({ ...scoreToItem(s), rubricVersion: "v0" })).toThrow(
      MalformedItemError,
    );
    const { [DIMENSIONS[0]]: _first, ...missing } = s.scores;
    expect(() => scoreFromItem(scoreToItem({ ...s, scores: missing }))).toThrow(MalformedItemError);
    expect(() =>
      scoreFromItem(scoreToItem({ ...s, scores: { ...s.scores, [DIMENSIONS[0]]: { value: 1 } } })),
    ).toThrow(/evidence/);
  });

  it("moves the weight only from the weight it had", () => {
    const update = scoreReweight({ interactionId: "ix", taskId: "tk" }, 2, 3);
    expect(update.ConditionExpression).toBe("#weight = :from");
    expect(update.ExpressionAttributeValues?.[":from"]).toBe(2);
    expect(applyUpdate({ weight: 2 }, update)).toMatchObject({
      ...scoreKey("ix", "tk"),
      weight: 3,
    });
  });
});

describe("the rubric as the single source of the score schema", () => {
  it("asks for exactly the current rubric's dimensions", () => {
    const scores = Object.fromEntries(CURRENT_RUBRIC.dimensions.map((d) => [d.id, { value: 4 }]));
    expect(ScoreSubmissionSchema.safeParse({ scores }).success).toBe(true);
    expect(
      ScoreSubmissionSchema.safeParse({ scores: { ...scores, tone: { value: 4 } } }).success,
    ).toBe(false);
    const [first] = CURRENT_RUBRIC.dimensions;
    const { [first.id]: _gone, ...short } = scores;
    expect(ScoreSubmissionSchema.safeParse({ scores: short }).success).toBe(false);
  });

  it("lists every rubric's dimensions once", () => {
    expect(new Set(DIMENSIONS).size).toBe(DIMENSIONS.length);
    for (const d of CURRENT_RUBRIC.dimensions) expect(DIMENSIONS).toContain(d.id);
  });
});

describe("score values for agreement statistics", () => {
  it("keeps values a strict read refuses, so the report can count them", () => {
    const s = fc.sample(score, { numRuns: 1, seed: 2 })[0] as StoredScore;
    const item = scoreToItem({ ...s, scores: { ...s.scores, [DIMENSIONS[0]]: { value: 7 } } });
    expect(() => scoreFromItem(item)).toThrow(MalformedItemError);
    expect(scoreValuesFromItem(item).scores?.[DIMENSIONS[0]]?.value).toBe(7);
    const { reviewer: _r, ...anonymous } = item;
    expect(() => scoreValuesFromItem(anonymous)).toThrow(MalformedItemError);
  });
});
