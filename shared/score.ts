import { z } from "zod";
import { RUBRIC_V1 } from "./rubric";

/** A 1–5 score for one dimension; low scores must cite turn ids. */
export const DimensionValueSchema = z
  .object({
    value: z.number().int().min(1).max(5),
    evidence: z.array(z.string().min(1).max(128)).max(50).optional(),
  })
  .strict()
  .refine((s) => s.value > RUBRIC_V1.evidenceRequiredAtOrBelow || (s.evidence?.length ?? 0) > 0, {
    message: "scores of 1 or 2 must cite evidence turn ids",
    path: ["evidence"],
  });

/** Not applicable, with the reviewer's reason (e.g. "no emotion expressed"). */
export const DimensionNaSchema = z.object({ na: z.string().trim().min(3).max(500) }).strict();

export const DimensionScoreSchema = z.union([DimensionValueSchema, DimensionNaSchema]);
export type DimensionScore = z.infer<typeof DimensionScoreSchema>;

/** What a reviewer submits for one task. */
export const ScoreSubmissionSchema = z
  .object({
    scores: z
      .object({
        consistency: DimensionScoreSchema,
        scriptReliance: DimensionScoreSchema,
        empathy: DimensionScoreSchema,
      })
      .strict(),
    comment: z.string().max(4_000).optional(),
  })
  .strict();
export type ScoreSubmission = z.infer<typeof ScoreSubmissionSchema>;

/** A submitted score as stored on the interaction, with its provenance. */
export const StoredScoreSchema = ScoreSubmissionSchema.extend({
  taskId: z.string().min(1),
  interactionId: z.string().min(1),
  reviewer: z.string().min(1),
  rubricVersion: z.string().min(1),
  kind: z.enum(["random", "floor", "calibration"]),
  /** Design weight 1/π carried into rollups. */
  weight: z.number().positive(),
  durationMs: z.number().int().nonnegative(),
  submittedAt: z.iso.datetime({ offset: true }),
});
export type StoredScore = z.infer<typeof StoredScoreSchema>;
