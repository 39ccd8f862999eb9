import type { Rubric } from "../../shared/rubric";
import type { DimensionScore } from "../../shared/score";
import type { ScoreBody } from "../lib/api";

/** A dimension's score while the reviewer is still working on it. */
export type DraftScore = { value: number; evidence: string[] } | { na: string };

/** The draft of one task's scores, by dimension id. */
export type Draft = Readonly<Record<string, DraftScore | undefined>>;

/** Sets a value, keeping the evidence already cited for the dimension. */
export function withValue(draft: Draft, dimension: string, value: number): Draft {
  const previous = draft[dimension];
  const evidence = previous && "value" in previous ? previous.evidence : [];
  return { ...draft, [dimension]: { value, evidence } };
}

/** Marks the dimension not applicable, for the given reason. */
export function withNa(draft: Draft, dimension: string, reason: string): Draft {
  return { ...draft, [dimension]: { na: reason } };
}

/**
 * Cites a turn as evidence for the dimension, or takes the citation back; null when the
 * dimension has no value yet (a reviewer cites turns for a score, not for nothing).
 */
export function withEvidenceToggled(draft: Draft, dimension: string, turnId: string): Draft | null {
  const score = draft[dimension];
  if (!score || !("value" in score)) return null;
  const evidence = score.evidence.includes(turnId)
    ? score.evidence.filter((id) => id !== turnId)
    : [...score.evidence, turnId];
  return { ...draft, [dimension]: { value: score.value, evidence } };
}

/** Every turn cited by any dimension. */
export function citedTurns(draft: Draft): Set<string> {
  const cited = new Set<string>();
  for (const score of Object.values(draft)) {
    if (score && "value" in score) for (const id of score.evidence) cited.add(id);
  }
  return cited;
}

/** The names of the dimensions not scored yet, in rubric order. */
export function unscored(rubric: Rubric, draft: Draft): string[] {
  return rubric.dimensions.filter((d) => !draft[d.id]).map((d) => d.name);
}

/**
 * The submission body of a complete draft: evidence is sent only for scores low enough to
 * need it, as the API's schema expects.
 */
export function submission(rubric: Rubric, draft: Draft, durationMs: number, comment: string) {
  const scores: Record<string, DimensionScore> = {};
  for (const { id } of rubric.dimensions) {
    const score = draft[id];
    if (!score) throw new Error(`${id} is not scored`);
    scores[id] =
      "na" in score
        ? { na: score.na }
        : score.value <= rubric.evidenceRequiredAtOrBelow
          ? { value: score.value, evidence: score.evidence }
          : { value: score.value };
  }
  const body = { scores, durationMs } as ScoreBody;
  const trimmed = comment.trim();
  return trimmed ? { ...body, comment: trimmed } : body;
}
