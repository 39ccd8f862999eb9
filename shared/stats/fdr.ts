/**
 * False discovery rate control for the many comparisons a trend report makes at once (every
 * vendor × dimension × week), so that flagging drift does not mostly flag noise.
 */

function checkPValues(pValues: readonly number[], caller: string): void {
  for (const [i, p] of pValues.entries()) {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`${caller}: p-value ${i} must be in [0, 1], got ${p}`);
    }
  }
}

interface Ranked {
  readonly p: number;
  readonly index: number;
}

/** The p-values with their input positions, ascending in p (ties keep input order). */
function ascending(pValues: readonly number[]): Ranked[] {
  return pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
}

/**
 * Benjamini–Hochberg step-up procedure at false discovery rate `q`: with p-values sorted
 * ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, find the largest k with p₍ₖ₎ ≤ k·q/m and reject the k hypotheses
 * with the smallest p-values. Controls the FDR at q for independent or positively dependent
 * tests (Benjamini & Hochberg 1995).
 *
 * @returns for each p-value, in input order, whether its hypothesis is rejected.
 * @throws RangeError when `q` is not in (0, 1] or a p-value is not in [0, 1].
 */
export function benjaminiHochberg(pValues: readonly number[], q: number): boolean[] {
  if (!(q > 0 && q <= 1)) throw new RangeError(`benjaminiHochberg: q must be in (0, 1], got ${q}`);
  checkPValues(pValues, "benjaminiHochberg");
  const m = pValues.length;
  const sorted = ascending(pValues);
  // Step-up: the largest qualifying rank decides, even if smaller ranks miss their own bound.
  const lastRejected = sorted.findLastIndex(({ p }, i) => p <= ((i + 1) * q) / m);
  const rejected = new Array<boolean>(m).fill(false);
  for (const { index } of sorted.slice(0, lastRejected + 1)) rejected[index] = true;
  return rejected;
}

/**
 * Benjamini–Hochberg adjusted p-values: p̃₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j). They are
 * monotone in p, never below the raw p-value and capped at 1; a hypothesis is rejected at FDR
 * q exactly when p̃ ≤ q, up to floating-point rounding at the boundary.
 *
 * @returns the adjusted p-values in input order.
 * @throws RangeError when a p-value is not in [0, 1].
 */
export function bhAdjusted(pValues: readonly number[]): number[] {
  checkPValues(pValues, "bhAdjusted");
  const m = pValues.length;
  const adjusted = new Array<number>(m);
  ascending(pValues).reduceRight((smallestAbove, { p, index }, i) => {
    // p·(m/rank) rather than p·m/rank: the factor rounds to ≥ 1, so the result is never below p.
    const value = Math.min(smallestAbove, p * (m / (i + 1)));
    adjusted[index] = value;
    return value;
  }, 1);
  return adjusted;
}
