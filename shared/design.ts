/**
 * The sampling design after period close, as pure functions shared by period close and the
 * estimation benchmark.
 *
 * The sampler takes an interaction iff `u < rate`, that is iff its sequential Poisson rank
 * `ξ = u / rate` is below 1. Period close tops an agent-week up to its floor with the
 * smallest ξ among the rest, so the final sample is: every item with ξ < 1, and at least the
 * `floor` smallest ξ. Each item's inclusion probability under exactly that design is computed
 * from the agent-week's eligible items grouped by rate ({@link exactInclusion}), and its design
 * weight is 1/π. With one rate and no top-up, π is the rate; an item of a topped-up small
 * agent-week gets the probability the top-up gave it; items of a channel sampled at a higher
 * rate weigh less. (`N/n` for every item, as shipped before, over-weighted the channels
 * sampled at higher rates; the sequential Poisson approximation π ≈ n·rate/Σrate is biased
 * for small agent-weeks, where the floor takes a large part: see the README's Estimates.)
 */

/** One eligible interaction of an agent-week as period close sees it. */
export interface DesignItem {
  u: number;
  rate: number;
  /** Whether it is already in the sample (random draw, or an earlier top-up). */
  sampled: boolean;
}

/** The sequential Poisson rank: the sample is the items with the smallest ξ. */
export const sequentialRank = (item: Pick<DesignItem, "u" | "rate">): number =>
  item.rate > 0 ? item.u / item.rate : Number.POSITIVE_INFINITY;

/**
 * Indexes of the `want` unsampled items with the smallest ξ, in that order: the floor's
 * top-up. Ties (equal ξ) are broken by index, so the choice is deterministic.
 */
export function topUpOrder(items: readonly DesignItem[], want: number): number[] {
  if (want <= 0) return [];
  return items
    .map((item, index) => ({ index, xi: sequentialRank(item), sampled: item.sampled }))
    .filter((x) => !x.sampled && Number.isFinite(x.xi))
    .sort((a, b) => a.xi - b.xi || a.index - b.index)
    .slice(0, want)
    .map((x) => x.index);
}

/** An agent-week's eligible items grouped by rate: what inclusion probabilities depend on. */
export function rateGroups(items: ReadonlyArray<Pick<DesignItem, "rate">>): Array<{
  rate: number;
  count: number;
}> {
  const counts = new Map<number, number>();
  for (const item of items) counts.set(item.rate, (counts.get(item.rate) ?? 0) + 1);
  return [...counts].map(([rate, count]) => ({ rate, count })).sort((a, b) => a.rate - b.rate);
}

/**
 * Every item's inclusion probability (see {@link exactInclusion}) under the design as run with
 * this `floor`, computed once per distinct rate.
 */
export function inclusionProbabilities(
  items: ReadonlyArray<Pick<DesignItem, "rate">>,
  floor: number,
): number[] {
  const groups = rateGroups(items);
  const byRate = new Map(
    groups.map((g) => [
      g.rate,
      exactInclusion(
        g.rate,
        groups.map((o) => ({ rate: o.rate, count: o.rate === g.rate ? o.count - 1 : o.count })),
        floor,
      ),
    ]),
  );
  return items.map((item) => byRate.get(item.rate) ?? 1);
}

/**
 * What period close does to one agent-week: the top-up (indexes into `items`, smallest ξ
 * first) that brings the sample to `min(floor, N)`, each item's inclusion probability π and
 * each final-sample item's design weight 1/π (0 outside the sample).
 */
export function closeAgentWeekDesign(
  items: readonly DesignItem[],
  floor: number,
  /** The items' inclusion probabilities, when already known (they depend only on the rates). */
  pi: readonly number[] = inclusionProbabilities(items, floor),
): { topUp: number[]; pi: readonly number[]; weights: number[]; sampleSize: number } {
  const have = items.filter((i) => i.sampled).length;
  const topUp = topUpOrder(items, Math.min(floor, items.length) - have);
  const chosen = new Set(topUp);
  const weights = items.map((item, i) => (item.sampled || chosen.has(i) ? 1 / (pi[i] ?? 1) : 0));
  return { topUp, pi, weights, sampleSize: have + topUp.length };
}

// Gauss–Legendre nodes and weights on [-1, 1], 16 points.
const GL_X = [
  -0.9894009349916499, -0.9445750230732326, -0.8656312023878318, -0.755404408355003,
  -0.6178762444026438, -0.4580167776572274, -0.2816035507792589, -0.0950125098376374,
  0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438, 0.755404408355003,
  0.8656312023878318, 0.9445750230732326, 0.9894009349916499,
];
const GL_W = [
  0.0271524594117541, 0.0622535239386479, 0.0951585116824928, 0.1246289712555339,
  0.1495959888165767, 0.1691565193950025, 0.1826034150449236, 0.1894506104550685,
  0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767,
  0.1246289712555339, 0.0951585116824928, 0.0622535239386479, 0.0271524594117541,
];

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** P(K ≤ limit) where K = Σ_g Binomial(count_g, min(1, rate_g·x)). */
function countAtMost(
  groups: ReadonlyArray<{ rate: number; count: number }>,
  x: number,
  limit: number,
) {
  let dist = [1];
  for (const { rate, count } of groups) {
    if (count === 0) continue;
    const p = Math.min(1, rate * x);
    const pmf: number[] = [];
    for (let k = 0; k <= Math.min(limit, count); k++) {
      if (p >= 1) pmf.push(k === count ? 1 : 0);
      else pmf.push(Math.exp(logChoose(count, k) + k * Math.log(p) + (count - k) * Math.log1p(-p)));
    }
    const next = new Array<number>(Math.min(limit, dist.length - 1 + pmf.length - 1) + 1).fill(0);
    for (let a = 0; a < dist.length; a++)
      for (let b = 0; b < pmf.length && a + b < next.length; b++)
        next[a + b] = (next[a + b] ?? 0) + (dist[a] ?? 0) * (pmf[b] ?? 0);
    dist = next;
  }
  return dist.reduce((s, v) => s + v, 0);
}

/**
 * The exact inclusion probability of an item of rate `rate` in an agent-week whose other
 * eligible items have the given rates and counts, under the design as run: the item is in the
 * final sample iff `ξ < 1` (the random draw) or fewer than `floor` other items have a smaller
 * ξ (the top-up). With ξ_j uniform on [0, 1/rate_j),
 * `π = rate + rate · ∫_1^{1/rate} P(#{j: ξ_j < x} < floor) dx`, integrated piecewise
 * (the integrand is a polynomial between the breakpoints 1/rate_j) by Gauss–Legendre.
 */
export function exactInclusion(
  rate: number,
  others: ReadonlyArray<{ rate: number; count: number }>,
  floor: number,
): number {
  if (rate >= 1) return 1;
  if (rate <= 0) return 0;
  const end = 1 / rate;
  const breaks = [1, ...others.map((g) => 1 / g.rate).filter((b) => b > 1 && b < end), end].sort(
    (a, b) => a - b,
  );
  let integral = 0;
  const pieces = 8;
  for (let b = 0; b + 1 < breaks.length; b++) {
    const lo = breaks[b] ?? 1;
    const hi = breaks[b + 1] ?? end;
    const step = (hi - lo) / pieces;
    for (let s = 0; s < pieces; s++) {
      const a = lo + s * step;
      for (let k = 0; k < GL_X.length; k++) {
        const x = a + ((GL_X[k] ?? 0) + 1) * (step / 2);
        integral += (GL_W[k] ?? 0) * (step / 2) * countAtMost(others, x, floor - 1);
      }
    }
  }
  return Math.min(1, rate + rate * integral);
}
