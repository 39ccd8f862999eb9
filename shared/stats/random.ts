/**
 * A seeded uniform generator for the resampling statistics (bootstrap intervals), so that a
 * report computed twice from the same data shows the same interval.
 */

/** A source of uniform numbers on [0, 1). */
export type Uniform = () => number;

/**
 * mulberry32 (T. Ettinger): a 32-bit state generator with period 2^32, fast and well mixed
 * enough for resampling. Not cryptographic.
 *
 * @param seed any number; only its low 32 bits are used.
 */
export function seededUniform(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A standard normal variate from `uniform` (Box–Muller, one of the pair). */
export function normalFrom(uniform: Uniform): number {
  const u = 1 - uniform(); // (0, 1]: log(0) would be −∞
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}
