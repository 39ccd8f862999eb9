import {
  type AgentRow,
  addItem,
  emptySums,
  estimateMean,
  periodsBetween,
} from "../../shared/estimate";
import { agentWeekFromItem, PERIOD } from "../../shared/items";
import type { Dimension } from "../../shared/rubric";
import { empiricalBayesPool } from "../../shared/stats/pooling";
import { mapConcurrent, queryPeriodPrefix, type Reader } from "./read";

/** Weekly Queries one agent table runs at a time. */
const WEEK_CONCURRENCY = 4;

export type { AgentRow } from "../../shared/estimate";

/** The distribution the agents were pooled toward. */
export interface AgentPooling {
  /** Estimated mean of the agents' true scores. */
  mean: number;
  meanSe: number;
  /** Estimated SD of the agents' true scores around it (0 when the data show no spread). */
  tau: number;
  /** Agents pooled: those with an estimate. */
  agents: number;
}

/**
 * Every agent of a vendor with an estimate of `dimension` over the weeks from `from` to
 * `to`: one byPeriod query per week (agent-week rollups are listed per week), four at a time.
 * Each agent's raw (design-weighted) estimate comes with a pooled one, pulled toward the
 * vendor's agent mean the more the fewer reviews it rests on, and ranked by it.
 */
export async function agentTable(
  r: Reader,
  q: { vendor: string; dimension: Dimension; from: string; to: string },
): Promise<{ agents: AgentRow[]; pooling: AgentPooling | null; requests: number }> {
  const before = r.requests;
  const weeks = periodsBetween(q.from, q.to, "week");
  const lists = await mapConcurrent(weeks, WEEK_CONCURRENCY, (week) =>
    queryPeriodPrefix(r, PERIOD.agentWeeks(week), `${q.vendor}#`),
  );
  const byAgent = new Map<
    string,
    { sums: ReturnType<typeof emptySums>; population: number; sampled: number }
  >();
  for (const item of lists.flat().map(agentWeekFromItem)) {
    const agent = item.agent;
    let a = byAgent.get(agent);
    if (!a) {
      a = { sums: emptySums(), population: 0, sampled: 0 };
      byAgent.set(agent, a);
    }
    addItem(a.sums, item, q.dimension);
    a.population += item.eligible ?? 0;
    a.sampled += (item.sampled ?? 0) + (item.floor ?? 0);
  }
  const rows = [...byAgent]
    .map(([agent, a]) => ({
      agent,
      population: a.population,
      sampled: a.sampled,
      estimate: estimateMean(a.sums),
      // Variance per unit of one review's variance, from the weights: lets the pooling use one
      // review variance for all agents instead of each agent's own, from a handful of reviews.
      varianceFactor: a.sums.sw > 0 ? Math.max(0, a.sums.sww - a.sums.sw) / a.sums.sw ** 2 : 0,
    }))
    .sort((x, y) => x.agent.localeCompare(y.agent));
  const shown = rows.flatMap((row) => (row.estimate.status === "ok" ? [row] : []));
  const result = empiricalBayesPool(
    shown.map(({ estimate, varianceFactor }) => ({
      estimate: estimate.estimate ?? 0,
      se: estimate.se ?? 0,
      reviewed: estimate.reviewed,
      varianceFactor,
    })),
  );
  const pooledOf = new Map(shown.map((row, i) => [row.agent, result?.pooled[i] ?? null]));
  const agents: AgentRow[] = rows.map(({ agent, population, sampled, estimate }) => ({
    agent,
    population,
    sampled,
    ...estimate,
    pooled: pooledOf.get(agent) ?? null,
  }));
  const pooling = result
    ? { mean: result.mean, meanSe: result.meanSe, tau: result.tau, agents: shown.length }
    : null;
  return { agents, pooling, requests: r.requests - before };
}
