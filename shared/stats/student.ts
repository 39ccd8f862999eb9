/**
 * Student's t and Fisher's F distributions, for tests and intervals on few reviews: with
 * 5–10 reviews an estimated standard error is itself noisy, and the normal and χ²
 * references then reject too often. Degrees of freedom may be fractional (Welch–
 * Satterthwaite). Every function throws a `RangeError` for an argument outside its domain
 * (NaN included).
 */
import { logGamma, normalCdf, normalQuantile } from "./distributions";

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

function checkDf(df: number, caller: string, name = "df"): void {
  if (!(df > 0)) throw new RangeError(`${caller}: ${name} must be > 0, got ${df}`);
}

/** The continued fraction of I_x(a, b) (modified Lentz), which converges fast for x < (a+1)/(a+b+2). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new Error(`incomplete beta continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/**
 * Regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1 (Numerical
 * Recipes §6.4: the continued fraction, through the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
 * where it converges slowly). About 1e-14 relative for moderate a and b.
 *
 * @throws RangeError when a or b is not > 0 or x is not in [0, 1].
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  checkDf(a, "regularizedBeta", "a");
  checkDf(b, "regularizedBeta", "b");
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional; +∞ gives the
 * normal distribution).
 *
 * @throws RangeError when t is NaN or df is not > 0.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) throw new RangeError("studentTCdf: t is NaN");
  checkDf(df, "studentTCdf");
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2), split by the sign of t.
  // Near 0 the argument df/(df + t²) rounds to 1; there P(|T| < |t|) = I_{t²/(df+t²)}(½, df/2).
  const t2 = t * t;
  const tail =
    t2 < df
      ? 0.5 * (1 - regularizedBeta(t2 / (df + t2), 0.5, df / 2))
      : 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

function studentTDensity(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The quantile t_p of Student's t with `df` degrees of freedom: P(T ≤ t_p) = p. Newton's
 * method on {@link studentTCdf} from the normal quantile, kept inside a bracket by bisection.
 *
 * @throws RangeError when p is not in (0, 1) or df is not > 0.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  checkDf(df, "studentTQuantile");
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // The upper half: the root of F(t) = p on (0, ∞).
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Number.POSITIVE_INFINITY;
  }
  let t = Math.min(Math.max(normalQuantile(p), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(t, df) - p;
    if (f === 0) return t;
    if (f < 0) lo = t;
    else hi = t;
    const step = f / studentTDensity(t, df);
    let next = t - step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/**
 * Upper tail P(F ≥ f) of Fisher's F with `df1` and `df2` degrees of freedom (both may be
 * fractional): I_{df2/(df2 + df1·f)}(df2/2, df1/2). Any f ≤ 0 gives 1.
 *
 * @throws RangeError when f is NaN or a df is not > 0.
 */
export function fSurvival(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f)) throw new RangeError("fSurvival: f is NaN");
  checkDf(df1, "fSurvival", "df1");
  checkDf(df2, "fSurvival", "df2");
  if (f <= 0) return 1;
  if (f === Number.POSITIVE_INFINITY) return 0;
  return regularizedBeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}
