import type { ComponentChild } from "preact";
import { toCsv } from "../../shared/csv";
import { downloadCsv } from "../lib/download";
import { ScrollRegion } from "../lib/scroll-region";
import { fmt, fmtCi, insufficientText } from "./format";
import type { AgentRow, AgentsReport } from "./types";

/** A column the agent table sorts by. */
export type AgentSortKey = "rank" | "agent" | "pooled" | "estimate" | "reviewed" | "population";

/** The column and direction (1 ascending, −1 descending). */
export interface AgentSort {
  key: AgentSortKey;
  dir: 1 | -1;
}

/** The next sort after a click on `key`: the same column flips, a new one starts its way. */
export function nextSort(sort: AgentSort, key: AgentSortKey): AgentSort {
  if (sort.key === key) return { key, dir: sort.dir === 1 ? -1 : 1 };
  return { key, dir: key === "agent" || key === "rank" ? 1 : -1 };
}

/** The rows in the sort's order; rows without the sorted value go last either way. */
export function sortedAgents(rows: readonly AgentRow[], { key, dir }: AgentSort): AgentRow[] {
  const byId = (a: AgentRow, b: AgentRow) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);
  const value = (a: AgentRow): number | null => {
    if (key === "estimate") return a.status === "ok" ? a.estimate : null;
    if (key === "pooled") return a.pooled ? a.pooled.estimate : null;
    if (key === "rank") return a.pooled ? a.pooled.rank : null;
    if (key === "reviewed") return a.reviewed;
    if (key === "population") return a.population;
    return null;
  };
  return [...rows].sort((a, b) => {
    if (key === "agent") return dir * byId(a, b);
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? byId(a, b) : va === null ? 1 : -1;
    return dir * (va - vb) || byId(a, b);
  });
}

const HEADS: ReadonlyArray<{ key?: AgentSortKey; text: string; num?: boolean }> = [
  { key: "rank", text: "Rank", num: true },
  { key: "agent", text: "Agent" },
  { key: "pooled", text: "Pooled" },
  { text: "Pooled 95% CI" },
  { key: "estimate", text: "Raw" },
  { text: "Raw 95% CI" },
  { key: "reviewed", text: "Reviewed", num: true },
  { key: "population", text: "Population", num: true },
  { text: "Status" },
];

/** Props of {@link AgentsPanel}. */
export interface AgentsPanelProps {
  report: AgentsReport | null;
  error: string;
  subtitle: string;
  sort: AgentSort;
  onSort: (key: AgentSortKey) => void;
  /** For the CSV export's name and columns. */
  vendor: string;
  dimension: string;
  from: string;
  to: string;
  dimensionSelect: ComponentChild;
}

/** What the pooled column means, or why there is none. */
export function agentsMeaning(report: AgentsReport | null): string {
  if (report?.pooling)
    return `Pooled: with a handful of reviews, an agent's raw score is largely the luck of which interactions were drawn. The pooled score pulls each agent toward the vendor's agent mean (${fmt(report.pooling.mean)}), the more the fewer reviews the agent has: an agent with 5 reviews moves much of the way, one with 60 hardly at all. Ranks use the pooled score; the raw one is the agent's own weighted average. Agents' true scores spread about ±${fmt(report.pooling.tau)} around that mean.`;
  return report && report.agents.length > 0
    ? "Not pooled: fewer than 4 agents have an estimate, too few to tell how much agents differ, so there is no ranking."
    : "";
}

/** The vendor's agents: raw and pooled estimates, ranked, sortable and exportable. */
export function AgentsPanel(props: AgentsPanelProps) {
  const rows = sortedAgents(props.report?.agents ?? [], props.sort);

  function exportCsv() {
    const out = rows.map((a) => ({
      agent: a.agent,
      vendor: props.vendor,
      dimension: props.dimension,
      status: a.status,
      estimate: a.estimate,
      se: a.se,
      ci95_low: a.ci95 ? a.ci95[0] : null,
      ci95_high: a.ci95 ? a.ci95[1] : null,
      rank: a.pooled ? a.pooled.rank : null,
      pooled: a.pooled ? a.pooled.estimate : null,
      pooled_se: a.pooled ? a.pooled.se : null,
      pooled_ci95_low: a.pooled ? a.pooled.ci95[0] : null,
      pooled_ci95_high: a.pooled ? a.pooled.ci95[1] : null,
      shrinkage: a.pooled ? a.pooled.shrinkage : null,
      reviewed: a.reviewed,
      na: a.na,
      sampled: a.sampled,
      population: a.population,
    }));
    downloadCsv(
      `spotcheck-agents-${props.vendor}-${props.dimension}-${props.from}-${props.to}.csv`,
      toCsv(out, [
        "agent",
        "vendor",
        "dimension",
        "status",
        "estimate",
        "se",
        "ci95_low",
        "ci95_high",
        "rank",
        "pooled",
        "pooled_se",
        "pooled_ci95_low",
        "pooled_ci95_high",
        "shrinkage",
        "reviewed",
        "na",
        "sampled",
        "population",
      ]),
    );
  }

  return (
    <section class="panel" id="agentsPanel" aria-labelledby="agentsTitle">
      <div class="panel-head">
        <h2 id="agentsTitle">Agents</h2>
        {props.dimensionSelect}
        <button type="button" id="agentsCsv" class="csv" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <p class="sub" id="agentsSub">
        {props.subtitle}
      </p>
      <p class="sub" id="agentsMeaning">
        {agentsMeaning(props.report)}
      </p>
      <p class="msg err" id="agentsMsg" role="alert">
        {props.error}
      </p>
      <ScrollRegion label="agents">
        <table id="agentsTable">
          <thead>
            <tr>
              {HEADS.map((h) =>
                h.key ? (
                  <th
                    key={h.text}
                    class={h.num ? "num" : undefined}
                    aria-sort={
                      props.sort.key === h.key
                        ? props.sort.dir > 0
                          ? "ascending"
                          : "descending"
                        : "none"
                    }
                  >
                    <button
                      type="button"
                      class="sort"
                      data-key={h.key}
                      onClick={() => h.key && props.onSort(h.key)}
                    >
                      {h.text}
                    </button>
                  </th>
                ) : (
                  <th key={h.text}>{h.text}</th>
                ),
              )}
            </tr>
          </thead>
          <tbody id="agentRows">
            {rows.map((a) => (
              <tr
                key={a.agent}
                class={a.status === "ok" ? undefined : "insufficient"}
                data-agent={a.agent}
                data-status={a.status}
              >
                <td class="num">{a.pooled ? a.pooled.rank : "—"}</td>
                <td>{a.agent}</td>
                {a.status !== "ok" ? (
                  <>
                    <td class="insufficient-text">{insufficientText(a.reviewed)}</td>
                    <td>—</td>
                    <td>—</td>
                    <td>—</td>
                  </>
                ) : (
                  <>
                    <td
                      class="pooled"
                      title={
                        a.pooled
                          ? `moved ${Math.round(a.pooled.shrinkage * 100)}% of the way from the raw score to the vendor's agent mean`
                          : undefined
                      }
                    >
                      {a.pooled ? fmt(a.pooled.estimate) : "—"}
                    </td>
                    <td>{a.pooled ? fmtCi(a.pooled.ci95) : "—"}</td>
                    <td class="raw">{fmt(a.estimate)}</td>
                    <td>{fmtCi(a.ci95)}</td>
                  </>
                )}
                <td class="num">{a.reviewed}</td>
                <td class="num">{a.population}</td>
                <td>
                  <span class={`badge ${a.status}`}>{a.status}</span>
                </td>
              </tr>
            ))}
            {(props.report !== null || props.error !== "") && rows.length === 0 ? (
              <tr>
                <td colSpan={9}>No agent has reviews in this range.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
