/**
 * Do a vendor's channels differ? Tests and gaps between independent estimates that each rest
 * on few reviews, with small-sample references (t and F with Welch–Satterthwaite degrees of
 * freedom) instead of the normal and χ², and the same comparison within agents, so that a gap
 * that comes from which agents work which channel is not read as a channel effect.
 */
import type { DimensionSums } from "../estimate";
import { cholesky, choleskyInverse } from "./linear";
import { fSurvival, studentTCdf, studentTQuantile } from "./student";

/** An estimate with its standard error and the degrees of freedom of that standard error. */
export interface GroupEstimate {
  readonly estimate: number;
  readonly se: number;
  /** Reviews behind the estimate. */
  readonly reviewed: number;
  /** Design degrees of freedom of `se`; @default reviewed − 1 */
  readonly df?: number;
}

/** A test that several estimates share one mean. */
export interface HeterogeneityTest {
  readonly statistic: number;
  readonly df1: number;
  /** Denominator degrees of freedom (fractional: Welch–Satterthwaite). */
  readonly df2: number;
  readonly pValue: number;
  /** Estimates the test used (those with se > 0 and df > 0). */
  readonly groups: number;
}

/** A difference between two estimates with its small-sample interval. */
export interface DifferenceTest {
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly ci95: readonly [number, number];
  /** Two-sided p-value of "no difference". */
  readonly pValue: number;
}

const dfOf = (g: GroupEstimate): number => g.df ?? g.reviewed - 1;
const usable = (g: GroupEstimate): boolean =>
  Number.isFinite(g.estimate) && g.se > 0 && Number.isFinite(g.se) && dfOf(g) > 0;

/**
 * Welch's (1951) heteroscedastic one-way test that k independent estimates share one mean:
 * with w_i = 1/se_i², ȳ = Σw·y/Σw and Λ = Σ (1 − w_i/Σw)²/ν_i,
 * F = [Σ w_i(y_i − ȳ)²/(k − 1)] / [1 + 2(k − 2)Λ/(k² − 1)], referred to F(k − 1, (k² − 1)/(3Λ)).
 * ν_i is each estimate's `df` (reviewed − 1 when missing), so an estimate from 5 reviews
 * counts as the noisy thing it is; with many reviews this is the Wald χ² test. For two
 * estimates it is Welch's t-test squared.
 *
 * Estimates with se 0 or df ≤ 0 are left out (an se of 0 would weigh infinitely).
 *
 * @returns null when fewer than two estimates are usable.
 */
export function welchAnova(groups: readonly GroupEstimate[]): HeterogeneityTest | null {
  const used = groups.filter(usable);
  const k = used.length;
  if (k < 2) return null;
  const w = used.map((g) => 1 / (g.se * g.se));
  const sw = w.reduce((s, x) => s + x, 0);
  const mean = used.reduce((s, g, i) => s + (w[i] ?? 0) * g.estimate, 0) / sw;
  const between = used.reduce((s, g, i) => s + (w[i] ?? 0) * (g.estimate - mean) ** 2, 0);
  const lambda = used.reduce((s, g, i) => s + (1 - (w[i] ?? 0) / sw) ** 2 / dfOf(g), 0);
  const statistic = between / (k - 1) / (1 + (2 * (k - 2) * lambda) / (k * k - 1));
  const df2 = lambda > 0 ? (k * k - 1) / (3 * lambda) : Number.POSITIVE_INFINITY;
  return {
    statistic,
    df1: k - 1,
    df2,
    pValue: df2 === Number.POSITIVE_INFINITY ? Number.NaN : fSurvival(statistic, k - 1, df2),
    groups: k,
  };
}

/**
 * a − b for independent estimates, with Welch–Satterthwaite degrees of freedom
 * ν = (se_a² + se_b²)² / (se_a⁴/ν_a + se_b⁴/ν_b) and a t interval.
 *
 * @returns null unless both estimates are usable (se > 0, df > 0).
 */
export function welchDifference(a: GroupEstimate, b: GroupEstimate): DifferenceTest | null {
  if (!usable(a) || !usable(b)) return null;
  return linearContrast([
    { coefficient: 1, variance: a.se * a.se, df: dfOf(a), estimate: a.estimate },
    { coefficient: -1, variance: b.se * b.se, df: dfOf(b), estimate: b.estimate },
  ]);
}

/** Σ c_j·y_j over independent terms, with a Satterthwaite t reference. */
function linearContrast(
  terms: ReadonlyArray<{ coefficient: number; variance: number; df: number; estimate: number }>,
): DifferenceTest | null {
  let estimate = 0;
  let variance = 0;
  let denominator = 0;
  for (const t of terms) {
    estimate += t.coefficient * t.estimate;
    const part = t.coefficient * t.coefficient * t.variance;
    variance += part;
    denominator += (part * part) / t.df;
  }
  if (!(variance > 0) || !(denominator > 0)) return null;
  const se = Math.sqrt(variance);
  const df = (variance * variance) / denominator;
  const half = studentTQuantile(0.975, df) * se;
  const t = estimate / se;
  return {
    estimate,
    se,
    df,
    ci95: [estimate - half, estimate + half],
    pValue: 2 * studentTCdf(-Math.abs(t), df),
  };
}

/** One agent's estimate on one channel. */
export interface AgentChannelEstimate extends GroupEstimate {
  readonly agent: string;
  readonly channel: string;
  /**
   * v / S²: the cell's variance per unit of one review's variance, from its design weights
   * (Σw²/(Σw)² for a Hájek mean of independent draws). @default 1/reviewed (equal weights)
   */
  readonly varianceFactor?: number;
}

/**
 * One agent × channel cell for {@link withinAgentComparison} from its weighted review sums: the
 * Hájek mean, its variance factor Σw²/(Σw)², and the weighted review variance s² (as
 * se = s·√factor, df n − 1). The comparison asks whether the channel changes how an agent
 * handles interactions, so each review counts as a draw from the agent's work on that channel
 * with no finite-population correction: a cell reviewed in full is not exact, it still carries
 * its reviews' variance (with the correction, (Σw² − Σw)/(Σw)² is 0 there and the cell would
 * get infinite weight). A single review still carries a contrast; it adds nothing to the
 * pooled variance.
 *
 * @returns null when the cell has no review with a value.
 */
export function agentChannelCell(
  agent: string,
  channel: string,
  sums: DimensionSums,
): AgentChannelEstimate | null {
  if (sums.n < 1 || !(sums.sw > 0)) return null;
  const mean = sums.swx / sums.sw;
  const factor = sums.sww / (sums.sw * sums.sw);
  const s2 =
    sums.n >= 2 ? (Math.max(0, sums.swxx / sums.sw - mean * mean) * sums.n) / (sums.n - 1) : 0;
  return {
    agent,
    channel,
    estimate: mean,
    se: Math.sqrt(s2 * factor),
    df: sums.n - 1,
    reviewed: sums.n,
    varianceFactor: factor,
  };
}

/** The channel comparison within agents. */
export interface WithinAgentComparison {
  /** Agents who worked at least two of the compared channels. */
  readonly agents: number;
  /** Channels compared, the first being the reference, in order of first appearance. */
  readonly channels: readonly string[];
  /**
   * Each other channel's effect relative to the first, holding the agent fixed: on average
   * over the agents who work both, how much higher an agent scores there.
   */
  readonly effects: ReadonlyArray<{ channel: string } & DifferenceTest>;
  /** F test that every within-agent channel effect is 0. */
  readonly test: HeterogeneityTest | null;
  /** One review's variance, pooled over the cells, and its degrees of freedom. */
  readonly reviewVariance: number;
  readonly df: number;
}

/**
 * Compares channels within agents: y_ac = α_a + β_c + e_ac with a fixed effect α_a per agent
 * and Var(e_ac) = S²·f_ac, over the agents who worked two or more channels (the others carry
 * no within-agent contrast). A gap that the overall comparison shows only because stronger
 * agents work one channel disappears here.
 *
 * This is the weighted two-way analysis of variance: one review's variance S² is pooled over
 * the cells (S²_ac = se²_ac/f_ac, weighted by their df), the weights 1/f_ac come from the
 * design alone, and the effects get t intervals, the joint test F(q, ν), with ν = Σ df_ac.
 * Weighting by each cell's own se² instead, with 4–8 reviews a cell, rejects a true null
 * about 14% of the time at a nominal 5% (test/stats/channel-tests.test.ts measured it).
 *
 * Only the largest group of channels that agents link is compared (channels no agent shares
 * have no within-agent contrast).
 *
 * @returns null when no agent worked two channels, nothing is left to estimate S², or the
 *   weights leave the system singular.
 * @throws RangeError when an agent has two cells for one channel.
 */
export function withinAgentComparison(
  cells: readonly AgentChannelEstimate[],
): WithinAgentComparison | null {
  const byAgent = new Map<string, AgentChannelEstimate[]>();
  for (const cell of cells) {
    const list = byAgent.get(cell.agent) ?? [];
    if (list.some((c) => c.channel === cell.channel))
      throw new RangeError(`agent ${cell.agent} has two estimates for ${cell.channel}`);
    list.push(cell);
    byAgent.set(cell.agent, list);
  }
  const isCell = (c: AgentChannelEstimate) =>
    Number.isFinite(c.estimate) && c.se >= 0 && c.reviewed >= 1 && factorOf(c) > 0;
  const kept = linkedAgents(
    [...byAgent.entries()]
      .map(([agent, list]): [string, AgentChannelEstimate[]] => [agent, list.filter(isCell)])
      .filter(([, list]) => list.length >= 2),
  );
  if (kept.length === 0) return null;
  const rows = kept.flatMap(([, list]) => list);
  let weighted = 0;
  let df = 0;
  for (const r of rows) {
    const d = dfOf(r);
    if (d <= 0) continue;
    weighted += (d * r.se * r.se) / factorOf(r);
    df += d;
  }
  if (!(df > 0) || !(weighted > 0)) return null;
  const s2 = weighted / df;

  const channels: string[] = [];
  for (const r of rows) if (!channels.includes(r.channel)) channels.push(r.channel);
  const agentIndex = new Map(kept.map(([agent], i) => [agent, i]));
  const A = kept.length;
  const q = channels.length - 1;
  const p = A + q;
  // Normal equations XᵀWX·θ = XᵀWy with one column per agent and one per channel after the first.
  const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xtwy = new Array<number>(p).fill(0);
  for (const r of rows) {
    const w = 1 / factorOf(r);
    const columns = [agentIndex.get(r.agent) ?? 0];
    const c = channels.indexOf(r.channel);
    if (c > 0) columns.push(A + c - 1);
    for (const i of columns) {
      xtwy[i] = (xtwy[i] ?? 0) + w * r.estimate;
      const row = xtwx[i] ?? [];
      for (const j of columns) row[j] = (row[j] ?? 0) + w;
    }
  }
  const factor = tryCholesky(xtwx);
  if (!factor) return null;
  const inverse = choleskyInverse(factor);
  const theta = inverse.map((row) => row.reduce((s, x, j) => s + x * (xtwy[j] ?? 0), 0));
  const beta = Array.from({ length: q }, (_, c) => theta[A + c] ?? 0);
  const cov = Array.from({ length: q }, (_, i) =>
    Array.from({ length: q }, (_, j) => s2 * (inverse[A + i]?.[A + j] ?? 0)),
  );
  const t = studentTQuantile(0.975, df);
  const effects = beta.map((estimate, c) => {
    const se = Math.sqrt(cov[c]?.[c] ?? 0);
    return {
      channel: channels[c + 1] ?? "",
      estimate,
      se,
      df,
      ci95: [estimate - t * se, estimate + t * se] as const,
      pValue: 2 * studentTCdf(-Math.abs(estimate / se), df),
    };
  });
  let test: HeterogeneityTest | null = null;
  if (q > 0) {
    const covFactor = tryCholesky(cov);
    if (!covFactor) return null;
    const solved = choleskyInverse(covFactor);
    let statistic = 0;
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++)
        statistic += (beta[i] ?? 0) * (solved[i]?.[j] ?? 0) * (beta[j] ?? 0);
    statistic /= q;
    test = { statistic, df1: q, df2: df, pValue: fSurvival(statistic, q, df), groups: q + 1 };
  }
  return { agents: A, channels, effects, test, reviewVariance: s2, df };
}

const factorOf = (c: AgentChannelEstimate): number => c.varianceFactor ?? 1 / c.reviewed;

/** The Cholesky factor, or null when rounding leaves the system singular. */
function tryCholesky(a: number[][]): number[][] | null {
  try {
    return cholesky(a);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * The agents of the largest group of channels that agents link (two channels are linked when
 * one agent works both). Channels in different groups have no within-agent contrast, and
 * the model is only identified within one group.
 */
function linkedAgents(
  agents: ReadonlyArray<[string, AgentChannelEstimate[]]>,
): Array<[string, AgentChannelEstimate[]]> {
  const parent = new Map<string, string>();
  const root = (c: string): string => {
    let r = c;
    while ((parent.get(r) ?? r) !== r) r = parent.get(r) ?? r;
    return r;
  };
  for (const [, list] of agents) {
    for (const cell of list) if (!parent.has(cell.channel)) parent.set(cell.channel, cell.channel);
    const first = root(list[0]?.channel ?? "");
    for (const cell of list) {
      const r = root(cell.channel);
      if (r !== first) parent.set(r, first);
    }
  }
  const size = new Map<string, number>();
  for (const [, list] of agents) {
    const r = root(list[0]?.channel ?? "");
    size.set(r, (size.get(r) ?? 0) + list.length);
  }
  let best = "";
  let bestSize = -1;
  for (const [r, n] of size) if (n > bestSize) [best, bestSize] = [r, n];
  return agents.filter(([, list]) => root(list[0]?.channel ?? "") === best);
}
