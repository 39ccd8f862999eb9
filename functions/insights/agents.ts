import {
  addItem,
  type Estimate,
  emptySums,
  estimateMean,
  periodsBetween,
} from "../../shared/estimate";
import type { Dimension } from "../../shared/rubric";
import { PERIOD } from "../../shared/table-keys";
import { mapConcurrent, queryPeriodPrefix, type Reader } from "./read";

/** Weekly Queries one agent table runs at a time. */
const WEEK_CONCURRENCY = 4;

/** One agent's weighted estimate over a range of weeks. */
export type AgentRow = { agent: string; population: number; sampled: number } & Estimate;

/**
 * Every agent of a vendor with an estimate of `dimension` over the weeks from `from` to
 * `to`: one byPeriod query per week (agent-week rollups are listed per week), four at a time.
 */
export async function agentTable(
  r: Reader,
  q: { vendor: string; dimension: Dimension; from: string; to: string },
): Promise<{ agents: AgentRow[]; requests: number }> {
  const before = r.requests;
  const weeks = periodsBetween(q.from, q.to, "week");
  const lists = await mapConcurrent(weeks, WEEK_CONCURRENCY, (week) =>
    queryPeriodPrefix(r, PERIOD.agentWeeks(week), `${q.vendor}#`),
  );
  const byAgent = new Map<
    string,
    { sums: ReturnType<typeof emptySums>; population: number; sampled: number }
  >();
  for (const item of lists.flat()) {
    const agent = String(item.agent);
    let a = byAgent.get(agent);
    if (!a) {
      a = { sums: emptySums(), population: 0, sampled: 0 };
      byAgent.set(agent, a);
    }
    addItem(a.sums, item, q.dimension);
    a.population += Number(item.eligible ?? 0);
    a.sampled += Number(item.sampled ?? 0) + Number(item.floor ?? 0);
  }
  const agents = [...byAgent]
    .map(([agent, a]) => ({
      agent,
      population: a.population,
      sampled: a.sampled,
      ...estimateMean(a.sums),
    }))
    .sort((x, y) => x.agent.localeCompare(y.agent));
  return { agents, requests: r.requests - before };
}
