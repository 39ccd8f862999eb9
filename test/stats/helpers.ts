import fc from "fast-check";

/**
 * Seeded uniform generator on [0, 1) (mulberry32), so simulation tests give the same numbers on
 * every run.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

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
