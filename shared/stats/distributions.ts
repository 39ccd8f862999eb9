/**
 * Normal and chi-square distribution functions for the quality-trend statistics: confidence
 * intervals need the normal quantile, drift and homogeneity tests need tail probabilities.
 * Every function throws a `RangeError` for an argument outside its domain (NaN included)
 * rather than returning NaN into a report.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_2PI = 1 / SQRT_2PI;

/** Evaluates c[0] + c[1]·x + … + c[n]·x^n. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) sum = sum * x + (coefficients[i] ?? 0);
  return sum;
}

// W. J. Cody, "Algorithm 715: SPECFUN", ACM TOMS 19 (1993) 22-32, function ANORM: near-minimax
// rational approximations on |x| ≤ 0.66291, 0.66291 < |x| ≤ √32 and |x| > √32, in ascending
// powers here and written as the doubles they round to. Relative error is near machine
// precision in both tails.
const ANORM_A = [
  18154.98125334356, 1067.6894854603709, 161.02823106855587, 2.2352520354606837,
  0.06568233791820745,
];
const ANORM_B = [45507.78933502673, 10260.932208618979, 976.0985517377767, 47.202581904688245, 1];
const ANORM_C = [
  9842.714838383978, 11602.65143764735, 6848.190450536283, 2494.5375852903726, 597.2702763948002,
  93.50665613217785, 8.883149794388377, 0.39894151208813466, 1.0765576773720192e-8,
];
const ANORM_D = [
  19685.429676859992, 38912.00328609327, 34900.95272114598, 18615.571640885097, 6485.558298266761,
  1519.3775994075547, 235.387901782625, 22.266688044328117, 1,
];
const ANORM_P = [
  2.9112874951168793e-5, 0.0014216191932278934, 0.022235277870649807, 0.12740116116024736,
  0.215898534057957, 0.023073441764940174,
];
const ANORM_Q = [
  7.297515550839662e-5, 0.0037823963320275824, 0.06598813786892856, 0.4682382124808651,
  1.284260096144911, 1,
];

const SQRT_32 = Math.sqrt(32);
// Φ(−40) ≈ 4e-350 is below the smallest subnormal double.
const TAIL_UNDERFLOW = 40;

/**
 * Splits y²/2 as r²/2 + (y − r)(y + r)/2 with r = y rounded down to 1/16: r² is exact, so the
 * large part of the exponent carries no rounding error (Cody's device).
 */
function exponentParts(y: number): [number, number] {
  const r = Math.trunc(y * 16) / 16;
  return [(r * r) / 2, ((y - r) * (y + r)) / 2];
}

/** exp(−y²/2) to full relative precision. */
function gaussianKernel(y: number): number {
  const [large, small] = exponentParts(y);
  return Math.exp(-large) * Math.exp(-small);
}

/** Φ(−y)·y/exp(−y²/2) for y > √32: the asymptotic factor of the far tail. */
function farTailFactor(y: number): number {
  const inv2 = 1 / (y * y);
  return INV_SQRT_2PI - (inv2 * polynomial(ANORM_P, inv2)) / polynomial(ANORM_Q, inv2);
}

/** Φ(−|x|), the smaller tail, with full relative accuracy far into the tail. */
function lowerTail(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const y2 = y * y;
    return 0.5 - (y * polynomial(ANORM_A, y2)) / polynomial(ANORM_B, y2);
  }
  if (y <= SQRT_32) {
    return (gaussianKernel(y) * polynomial(ANORM_C, y)) / polynomial(ANORM_D, y);
  }
  if (y > TAIL_UNDERFLOW) return 0;
  return (gaussianKernel(y) * farTailFactor(y)) / y;
}

/**
 * Φ(x)/p for x ≤ 0 and 0 < p ≤ 0.5. In the far tail it is formed in logs, because there
 * Φ(x) and p may be subnormal and their quotient would keep almost no digits.
 */
function cdfOverP(x: number, p: number): number {
  const y = -x;
  if (y <= SQRT_32) return lowerTail(y) / p;
  const [large, small] = exponentParts(y);
  return (Math.exp(-large - Math.log(p)) * Math.exp(-small) * farTailFactor(y)) / y;
}

/**
 * Standard normal distribution function Φ(z) = P(Z ≤ z), by W. J. Cody's ANORM (relative
 * error about 1e-15, including far tails such as Φ(−20)).
 *
 * @throws RangeError when `z` is NaN.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("normalCdf: z is NaN");
  const tail = lowerTail(z);
  return z > 0 ? 1 - tail : tail;
}

// P. J. Acklam's rational approximation of Φ⁻¹ (relative error < 1.15e-9 before refinement),
// coefficients in descending powers as published.
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const ACKLAM_LOW = 0.02425;

/** Horner evaluation with coefficients in descending powers. */
function horner(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (const c of coefficients) sum = sum * x + c;
  return sum;
}

/** Acklam's approximation for 0 < p ≤ 0.5. */
function acklamLowerHalf(p: number): number {
  if (p < ACKLAM_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(ACKLAM_C, q) / (horner(ACKLAM_D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(ACKLAM_A, r) * q) / (horner(ACKLAM_B, r) * r + 1);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation followed by one Halley
 * step against {@link normalCdf}, which brings it to near machine precision.
 * `normalQuantile(0)` is −∞ and `normalQuantile(1)` is +∞.
 *
 * @throws RangeError when `p` is not in [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Refine in the lower half only, where Φ keeps full relative accuracy; 1 − p is exact for
  // p ≥ 0.5, so the upper half follows by symmetry.
  if (p > 0.5) return -normalQuantile(1 - p);
  const x = acklamLowerHalf(p);
  // Halley step on Φ(x) = p, with u = (Φ(x) − p)/φ(x) written as (Φ(x)/p − 1)·p/φ(x) so that
  // it stays finite where p and φ(x) underflow.
  const u = (cdfOverP(x, p) - 1) * SQRT_2PI * Math.exp(Math.log(p) + (x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Two-sided 95% normal critical value, Φ⁻¹(0.975) ≈ 1.959964. */
export const Z95: number = normalQuantile(0.975);

// Lanczos approximation, g = 7, nine terms (Godfrey's coefficients): about 15 significant
// digits for x ≥ 0.5; smaller arguments go through the reflection formula.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos), to about 1e-15 relative.
 *
 * @throws RangeError when `x` is not a positive finite number.
 */
export function logGamma(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) {
    throw new RangeError(`logGamma: x must be a positive finite number, got ${x}`);
  }
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** x^a·e^(−x)/Γ(a), the common prefactor of both incomplete-gamma expansions. */
function gammaPrefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Regularized lower incomplete gamma P(a, x) by its power series; converges fast for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return sum * gammaPrefactor(a, x);
  }
  throw new Error(`incomplete gamma series did not converge (a=${a}, x=${x})`);
}

/**
 * Regularized upper incomplete gamma Q(a, x) by its continued fraction, evaluated with the
 * modified Lentz method; converges fast for x ≥ a + 1.
 */
function upperGammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h * gammaPrefactor(a, x);
  }
  throw new Error(`incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
}

/**
 * Regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a), for a > 0, x ≥ 0
 * (Numerical Recipes: series below x = a + 1, continued fraction above).
 *
 * Both expansions share the prefactor exp(a·ln x − x − ln Γ(a)), whose terms cancel: relative
 * error grows to roughly a·1e-16, so about 1e-13 at a = 1000 but only 1e-8 at a = 10⁷.
 *
 * @throws RangeError when `a` is not a positive finite number or `x` is not ≥ 0.
 */
export function upperIncompleteGammaQ(a: number, x: number): number {
  if (!(a > 0) || a === Number.POSITIVE_INFINITY) {
    throw new RangeError(`upperIncompleteGammaQ: a must be a positive finite number, got ${a}`);
  }
  if (!(x >= 0)) throw new RangeError(`upperIncompleteGammaQ: x must be ≥ 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < a + 1) return Math.max(0, 1 - lowerGammaSeries(a, x));
  return upperGammaFraction(a, x);
}

/**
 * Upper tail P(X ≥ x) of a chi-square distribution with `df` degrees of freedom (the p-value
 * of a chi-square statistic): Q(df/2, x/2). Any x ≤ 0 gives 1; `df` may be fractional.
 * Accurate to about 1e-13 relative for df up to a few thousand (see
 * {@link upperIncompleteGammaQ}).
 *
 * @throws RangeError when `x` is NaN or `df` is not a positive finite number.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x)) throw new RangeError("chiSquareSurvival: x is NaN");
  if (!(df > 0) || df === Number.POSITIVE_INFINITY) {
    throw new RangeError(`chiSquareSurvival: df must be a positive finite number, got ${df}`);
  }
  if (x <= 0) return 1;
  return upperIncompleteGammaQ(df / 2, x / 2);
}
