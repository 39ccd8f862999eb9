import { z } from "zod";
import { RubricVersionSchema, type StoredScore, storedScoreSchemaOf } from "../score";
import { parseItem } from "./codec";
import { type ItemKey, KEYS, PERIOD } from "./table";
import { type ItemUpdate, itemUpdate } from "./update";

/** A reviewer's score of one task, stored beside the interaction's ledger item. */
export const scoreKey = (interactionId: string, taskId: string): ItemKey => ({
  pk: `IX#${interactionId}`,
  sk: `SCORE#${taskId}`,
});

/** The stored item of a score, listed under its reviewer newest first. */
export function scoreToItem(score: StoredScore): Record<string, unknown> {
  return {
    ...scoreKey(score.interactionId, score.taskId),
    type: "score",
    ...score,
    [KEYS.byPeriod.pk]: PERIOD.reviews(score.reviewer),
    [KEYS.byPeriod.sk]: score.submittedAt,
  };
}

const VersionOnly = z.looseObject({ rubricVersion: RubricVersionSchema });

/**
 * A stored score, read with the schema of the rubric version it was given under.
 *
 * @throws MalformedItemError when its rubric version is unknown or it does not match that
 * rubric's schema (shared/score.ts).
 */
export function scoreFromItem(item: Record<string, unknown>): StoredScore {
  const { rubricVersion } = parseItem("score", VersionOnly, item);
  const schema = storedScoreSchemaOf(rubricVersion) ?? VersionOnly.pipe(z.never());
  return parseItem("score", schema, item) as StoredScore;
}

/**
 * A stored score as agreement statistics read it: who gave it, of which kind and when, and
 * each dimension's value unjudged, so a value no submission could carry is counted as an
 * anomaly by the report rather than refused here.
 */
export const ScoreValuesSchema = z.object({
  interactionId: z.string().min(1),
  reviewer: z.string().min(1),
  kind: z.string(),
  submittedAt: z.string().optional(),
  scores: z.record(z.string(), z.looseObject({ value: z.unknown().optional() })).optional(),
});
export type ScoreValues = z.infer<typeof ScoreValuesSchema>;

/**
 * A stored score's provenance and raw values (see {@link ScoreValuesSchema}).
 *
 * @throws MalformedItemError when it has no interaction, reviewer or kind.
 */
export const scoreValuesFromItem = (item: Record<string, unknown>): ScoreValues =>
  parseItem("score", ScoreValuesSchema, item);

/**
 * Moves a stored score to the design weight `to`, only while it still has the weight `from`
 * (so a re-run of period close changes nothing).
 */
export const scoreReweight = (
  s: { interactionId: string; taskId: string },
  from: number,
  to: number,
): ItemUpdate =>
  itemUpdate(
    scoreKey(s.interactionId, s.taskId),
    { set: { weight: to } },
    { expression: "#weight = :from", names: { "#weight": "weight" }, values: { ":from": from } },
  );
