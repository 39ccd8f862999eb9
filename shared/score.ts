import { z } from "zod";
import { CURRENT_RUBRIC, type Dimension, RUBRICS, type Rubric } from "./rubric";

/** `1 or 2`, `1, 2 or 3`: the levels up to `n`, as an error message says them. */
function levelsUpTo(n: number): string {
  const levels = Array.from({ length: n }, (_, i) => String(i + 1));
  return levels.length <= 1
    ? levels.join("")
    : `${levels.slice(0, -1).join(", ")} or ${levels.at(-1)}`;
}

/** A 1–5 score for one dimension; low scores must cite turn ids (how low: the rubric's rule). */
export const dimensionValueSchema = (rubric: Pick<Rubric, "evidenceRequiredAtOrBelow">) =>
  z
    .object({
      value: z.number().int().min(1).max(5),
      evidence: z.array(z.string().min(1).max(128)).max(50).optional(),
    })
    .strict()
    .refine((s) => s.value > rubric.evidenceRequiredAtOrBelow || (s.evidence?.length ?? 0) > 0, {
      message: `scores of ${levelsUpTo(rubric.evidenceRequiredAtOrBelow)} must cite evidence turn ids`,
      path: ["evidence"],
    });

/** A 1–5 score under the current rubric. */
export const DimensionValueSchema = dimensionValueSchema(CURRENT_RUBRIC);

/** Not applicable, with the reviewer's reason (e.g. "no emotion expressed"). */
export const DimensionNaSchema = z.object({ na: z.string().trim().min(3).max(500) }).strict();

/** A dimension's score under `rubric`: a value, or N/A with a reason. */
export const dimensionScoreSchema = (rubric: Pick<Rubric, "evidenceRequiredAtOrBelow">) =>
  z.union([dimensionValueSchema(rubric), DimensionNaSchema]);

export const DimensionScoreSchema = dimensionScoreSchema(CURRENT_RUBRIC);
export type DimensionScore = z.infer<typeof DimensionScoreSchema>;

/** One score per dimension of a rubric (a stored score has only its own rubric's). */
export type DimensionScores = Partial<Record<Dimension, DimensionScore>>;

type RubricScores<R extends Rubric> = z.ZodObject<
  { [K in R["dimensions"][number]["id"]]: ReturnType<typeof dimensionScoreSchema> },
  z.core.$strict
>;

/** The scores object of `rubric`: exactly its dimensions, each scored or N/A. */
export function rubricScoresSchema<R extends Rubric>(rubric: R): RubricScores<R> {
  const score = dimensionScoreSchema(rubric);
  return z
    .object(Object.fromEntries(rubric.dimensions.map((d) => [d.id, score])))
    .strict() as unknown as RubricScores<R>;
}

/** What a reviewer submits for one task under `rubric`. */
export const scoreSubmissionSchema = <R extends Rubric>(rubric: R) =>
  z
    .object({ scores: rubricScoresSchema(rubric), comment: z.string().max(4_000).optional() })
    .strict();

/** What a reviewer submits for one task: scores under the current rubric. */
export const ScoreSubmissionSchema = scoreSubmissionSchema(CURRENT_RUBRIC);
export type ScoreSubmission = z.infer<typeof ScoreSubmissionSchema>;

/** A submitted score's provenance, whatever the rubric. */
const ProvenanceShape = {
  taskId: z.string().min(1),
  interactionId: z.string().min(1),
  reviewer: z.string().min(1),
  rubricVersion: z.string().min(1),
  kind: z.enum(["random", "floor", "calibration"]),
  /** Design weight 1/π carried into rollups. */
  weight: z.number().positive(),
  durationMs: z.number().int().nonnegative(),
  submittedAt: z.iso.datetime({ offset: true }),
};

/** A submitted score as stored on the interaction under `rubric`, with its provenance. */
export const storedScoreSchema = <R extends Rubric>(rubric: R) =>
  scoreSubmissionSchema(rubric).extend({
    ...ProvenanceShape,
    rubricVersion: z.literal(rubric.version),
  });

/**
 * A stored score: the scores of its own rubric's dimensions, read with the schema of the
 * rubric version it was given under, and its provenance.
 */
export type StoredScore = Omit<ScoreSubmission, "scores"> & {
  scores: DimensionScores;
} & { [K in keyof typeof ProvenanceShape]: z.infer<(typeof ProvenanceShape)[K]> };

const STORED_BY_VERSION: ReadonlyMap<string, z.ZodType<StoredScore>> = new Map(
  RUBRICS.map((rubric) => [rubric.version, storedScoreSchema(rubric) as z.ZodType<StoredScore>]),
);

/** Every rubric version scores may be stored under. */
export const RubricVersionSchema = z.enum(
  RUBRICS.map((rubric) => rubric.version) as [string, ...string[]],
);

/** The schema of a score stored under rubric `version`; undefined for a version never defined. */
export const storedScoreSchemaOf = (version: string): z.ZodType<StoredScore> | undefined =>
  STORED_BY_VERSION.get(version);
