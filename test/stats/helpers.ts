import fc from "fast-check";
import { seededUniform } from "../../shared/stats/random";

/** Seeded uniform generator on [0, 1), so simulation tests give the same numbers on every run. */
export const seededRandom = seededUniform;

/** An array together with a permutation of its indices. */
export function withPermutation<T>(
  arrayArb: fc.Arbitrary<T[]>,
): fc.Arbitrary<{ items: T[]; permutation: number[] }> {
  return arrayArb.chain((items) =>
    fc
      .shuffledSubarray(
        items.map((_, i) => i),
        { minLength: items.length, maxLength: items.length },
      )
      .map((permutation) => ({ items, permutation })),
  );
}

/** One coder's value per unit; null where that coder did not rate the unit. */
type CoderRow = ReadonlyArray<number | null>;

/** Coder rows (one array per coder, one entry per unit) to the units-of-values layout. */
export function byUnit(...coders: CoderRow[]): Array<Array<number | null | undefined>> {
  const unitCount = Math.max(...coders.map((row) => row.length));
  return Array.from({ length: unitCount }, (_unused, u) => coders.map((row) => row[u]));
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four
// observers, twelve units, values 1–5, missing data. Published: nominal α = 0.743,
// interval α = 0.849, ordinal α = 0.815.
export const KRIPPENDORFF_C = byUnit(
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
);

/** A standard normal draw from a uniform source (Box–Muller). */
export function normalDraw(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Calibration data like the product's: each unit has a true quality ~ N(3.4, 0.9²); `coders`
 * distinct reviewers of the pool score it with their severity and N(0, noiseSd²) noise,
 * rounded to 1–5.
 */
export function calibrationData(
  uniform: () => number,
  units: number,
  severities: readonly number[],
  coders = 3,
  noiseSd = 0.45,
): Array<Array<{ reviewer: string; value: number }>> {
  const out: Array<Array<{ reviewer: string; value: number }>> = [];
  for (let i = 0; i < units; i++) {
    const quality = 3.4 + 0.9 * normalDraw(uniform);
    const chosen = new Set<number>();
    while (chosen.size < coders) chosen.add(Math.floor(uniform() * severities.length));
    out.push(
      [...chosen].map((r) => ({
        reviewer: `r${String(r).padStart(2, "0")}`,
        value: Math.min(
          5,
          Math.max(1, Math.round(quality + (severities[r] ?? 0) + noiseSd * normalDraw(uniform))),
        ),
      })),
    );
  }
  return out;
}
