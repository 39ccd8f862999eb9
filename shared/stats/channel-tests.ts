/**
 * Do a vendor's channels differ? Tests and gaps between independent estimates that each rest
 * on few reviews, with small-sample references (t and F with Welch–Satterthwaite degrees of
 * freedom) instead of the normal and χ², and the same comparison within agents, so that a gap
 * that comes from which agents work which channel is not read as a channel effect.
 */
import { cholesky, choleskyInverse, symmetricEigen } from "./linear";
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
}

/** The channel comparison within agents. */
export interface WithinAgentComparison {
  /** Agents who worked at least two of the compared channels, with usable estimates. */
  readonly agents: number;
  /** Channels compared (those with at least one such agent), in input order of first sight. */
  readonly channels: readonly string[];
  /**
   * Each channel's effect relative to the first, holding the agent fixed: the average over
   * agents who work both of how much higher the agent scores on that channel.
   */
  readonly effects: ReadonlyArray<{ channel: string } & DifferenceTest>;
  /** F test that every within-agent channel effect is 0. */
  readonly test: HeterogeneityTest | null;
}

/**
 * Compares channels within agents: y_ac = α_a + β_c + e_ac with a fixed effect α_a per agent
 * and Var(e_ac) = se_ac², fitted by weighted least squares over the agents who worked two or
 * more channels (the others carry no within-agent contrast). A gap that the overall
 * comparison shows only because stronger agents work one channel disappears here.
 *
 * - β̂ (first channel as reference) = A·y, with A the WLS map for the channel rows, so each
 *   contrast l'β̂ is a fixed linear combination of independent cell estimates and gets
 *   Satterthwaite degrees of freedom from the cells' df.
 * - The joint test W = β̂ᵀ·Cov⁻¹·β̂ / q is referred to F(q, ν) with Fai & Cornelius's (1996)
 *   ν: Satterthwaite df ν_m of each eigen-direction of Cov, E = Σ ν_m/(ν_m − 2),
 *   ν = 2E/(E − q).
 *
 * @returns null when no agent worked two channels with usable estimates.
 */
export function withinAgentComparison(
  cells: readonly AgentChannelEstimate[],
): WithinAgentComparison | null {
  const byAgent = new Map<string, AgentChannelEstimate[]>();
  for (const cell of cells.filter(usable)) {
    const list = byAgent.get(cell.agent) ?? [];
    if (list.some((c) => c.channel === cell.channel))
      throw new RangeError(`agent ${cell.agent} has two estimates for ${cell.channel}`);
    list.push(cell);
    byAgent.set(cell.agent, list);
  }
  const kept = linkedAgents([...byAgent.entries()].filter(([, list]) => list.length >= 2));
  if (kept.length === 0) return null;
  const channels: string[] = [];
  for (const [, list] of kept)
    for (const c of list) if (!channels.includes(c.channel)) channels.push(c.channel);
  const rows = kept.flatMap(([, list]) => list);
  const agentIndex = new Map(kept.map(([agent], i) => [agent, i]));
  const A = kept.length;
  const q = channels.length - 1;
  const p = A + q;
  // Design: one column per agent, one per channel after the first.
  const design = rows.map((r) => {
    const x = new Array<number>(p).fill(0);
    x[agentIndex.get(r.agent) ?? 0] = 1;
    const c = channels.indexOf(r.channel);
    if (c > 0) x[A + c - 1] = 1;
    return x;
  });
  const weights = rows.map((r) => 1 / (r.se * r.se));
  const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  design.forEach((x, n) => {
    const w = weights[n] ?? 0;
    for (let i = 0; i < p; i++) {
      if ((x[i] ?? 0) === 0) continue;
      const row = xtwx[i] ?? [];
      for (let j = 0; j < p; j++) row[j] = (row[j] ?? 0) + w * (x[i] ?? 0) * (x[j] ?? 0);
    }
  });
  const inverse = choleskyInverse(cholesky(xtwx));
  // The channel rows of (XᵀWX)⁻¹XᵀW: β̂_c = Σ_n map[c][n]·y_n.
  const map = Array.from({ length: q }, (_, c) =>
    design.map((x, n) => {
      let s = 0;
      for (let j = 0; j < p; j++) s += (inverse[A + c]?.[j] ?? 0) * (x[j] ?? 0);
      return s * (weights[n] ?? 0);
    }),
  );
  const contrast = (l: readonly number[]) =>
    linearContrast(
      rows.map((r, n) => ({
        coefficient: l.reduce((s, lc, c) => s + lc * (map[c]?.[n] ?? 0), 0),
        variance: r.se * r.se,
        df: dfOf(r),
        estimate: r.estimate,
      })),
    );
  const effects: Array<{ channel: string } & DifferenceTest> = [];
  for (let c = 0; c < q; c++) {
    const l = new Array<number>(q).fill(0);
    l[c] = 1;
    const result = contrast(l);
    if (result) effects.push({ channel: channels[c + 1] ?? "", ...result });
  }
  return { agents: A, channels, effects, test: q > 0 ? jointTest(inverse, A, q, contrast) : null };
}

/** The F test of all q channel effects, with Fai–Cornelius denominator df. */
function jointTest(
  inverse: number[][],
  offset: number,
  q: number,
  contrast: (l: readonly number[]) => DifferenceTest | null,
): HeterogeneityTest | null {
  const cov = Array.from({ length: q }, (_, i) =>
    Array.from({ length: q }, (_, j) => inverse[offset + i]?.[offset + j] ?? 0),
  );
  const { values, vectors } = symmetricEigen(cov);
  let statistic = 0;
  let e = 0;
  for (let m = 0; m < q; m++) {
    const l = vectors.map((row) => row[m] ?? 0);
    const result = contrast(l);
    const value = values[m] ?? 0;
    if (!result || !(value > 0)) return null;
    statistic += (result.estimate * result.estimate) / value;
    e += result.df > 2 ? result.df / (result.df - 2) : Number.POSITIVE_INFINITY;
  }
  statistic /= q;
  // Every finite ν_m gives ν_m/(ν_m − 2) > 1, so E > q; a direction with ν_m ≤ 2 makes E
  // infinite and ν its limit 2.
  const df2 = e === Number.POSITIVE_INFINITY ? 2 : (2 * e) / (e - q);
  return { statistic, df1: q, df2, pValue: fSurvival(statistic, q, df2), groups: q + 1 };
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
    const first = root(list[0]?.channel ?? "");
    for (const cell of list) {
      const r = root(cell.channel);
      if (!parent.has(cell.channel)) parent.set(cell.channel, cell.channel);
      if (!parent.has(first)) parent.set(first, first);
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
