import { DIMENSIONS, type Dimension } from "./rubric";
import type { DimensionScores } from "./score";

/** The per-dimension sums of a rollup item (see {@link rollupIncrements}). */
export const SUM_FIELDS = ["n", "na", "sw", "swx", "swxx", "sww", "swwx", "swwxx"] as const;
export type SumField = (typeof SUM_FIELDS)[number];

/** The rollup attribute holding one dimension's sum: `<dimension>_<field>`. */
export const sumAttribute = (dimension: Dimension, field: SumField): `${Dimension}_${SumField}` =>
  `${dimension}_${field}`;

/** Every per-dimension sum attribute of every rubric's dimensions. */
export const SUM_ATTRIBUTES: readonly `${Dimension}_${SumField}`[] = DIMENSIONS.flatMap((d) =>
  SUM_FIELDS.map((field) => sumAttribute(d, field)),
);

/**
 * Additive sums a score contributes to a rollup item, per dimension (N/A contributes
 * nothing to that dimension). With design weight w = 1/π and value x:
 * `n` reviews, `sw` = Σw, `swx` = Σw·x, `swxx` = Σw·x², `sww` = Σw², `swwx` = Σw²·x,
 * `swwxx` = Σw²·x². A dimension the score's rubric does not have adds nothing. Any grain (day → week, channel → vendor) is a plain sum of items, and the
 * Hájek mean Σw·x / Σw with its linearised variance follows from these sums.
 */
export function rollupIncrements(scores: DimensionScores, weight: number): Record<string, number> {
  const out: Record<string, number> = { reviewed: 1 };
  for (const dimension of DIMENSIONS) {
    const score = scores[dimension];
    if (score === undefined) continue;
    if (!("value" in score)) {
      out[`${dimension}_na`] = 1;
      continue;
    }
    const x = score.value;
    out[`${dimension}_n`] = 1;
    out[`${dimension}_sw`] = weight;
    out[`${dimension}_swx`] = weight * x;
    out[`${dimension}_swxx`] = weight * x * x;
    out[`${dimension}_sww`] = weight * weight;
    out[`${dimension}_swwx`] = weight * weight * x;
    out[`${dimension}_swwxx`] = weight * weight * x * x;
  }
  return out;
}

/**
 * What changing a scored item's design weight from `from` to `to` adds to its rollups: the
 * weighted sums move, the review counts do not. Period close uses it when an agent-week's
 * final sample size fixes the weights of reviews scored earlier in the week.
 */
export function reweightIncrements(
  scores: DimensionScores,
  from: number,
  to: number,
): Record<string, number> {
  const before = rollupIncrements(scores, from);
  const after = rollupIncrements(scores, to);
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(after)) {
    if (field === "reviewed" || field.endsWith("_n") || field.endsWith("_na")) continue;
    out[field] = value - (before[field] ?? 0);
  }
  return out;
}
