/**
 * Normal mixtures: the posterior of a partially pooled estimate, averaged over the plausible
 * values of a variance component, is a mixture of normals, with heavier tails than one normal
 * of the same variance.
 */
import { normalCdf } from "./distributions";

/** One component: its weight (the weights sum to 1), mean and standard deviation. */
export interface NormalComponent {
  readonly weight: number;
  readonly mean: number;
  readonly sd: number;
}

/** Mean and standard deviation of a mixture. */
export function mixtureMoments(parts: readonly NormalComponent[]): { mean: number; sd: number } {
  const mean = parts.reduce((s, c) => s + c.weight * c.mean, 0);
  const second = parts.reduce((s, c) => s + c.weight * (c.sd * c.sd + c.mean * c.mean), 0);
  return { mean, sd: Math.sqrt(Math.max(0, second - mean * mean)) };
}

/**
 * The p-quantile of a normal mixture, by bisection on its distribution function (to 1e-9).
 * A component with sd 0 is a point mass.
 */
export function mixtureQuantile(all: readonly NormalComponent[], p: number): number {
  // Components with a negligible share cannot move a quantile by more than the tolerance.
  const parts = all.filter((c) => c.weight > 1e-12);
  let lo = Math.min(...parts.map((c) => c.mean - 10 * c.sd));
  let hi = Math.max(...parts.map((c) => c.mean + 10 * c.sd));
  const cdf = (x: number) =>
    parts.reduce(
      (s, c) => s + c.weight * (c.sd > 0 ? normalCdf((x - c.mean) / c.sd) : x >= c.mean ? 1 : 0),
      0,
    );
  for (let i = 0; i < 64 && hi - lo > 1e-9; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
