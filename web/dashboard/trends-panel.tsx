import { toCsv } from "../../shared/csv";
import { downloadCsv } from "../lib/download";
import { TrendChart } from "./trend-chart";
import type { Alert, ShownSeries } from "./types";

/** Props of {@link TrendsPanel}. */
export interface TrendsPanelProps {
  series: readonly ShownSeries[];
  alerts: readonly Alert[];
  loading: boolean;
  error: string;
  subtitle: string;
  vendor: string;
  from: string;
  to: string;
  minReviews: number;
  dimLabel: (d: string) => string;
}

/** One chart per dimension shown, with the chart key and the CSV export of every point. */
export function TrendsPanel(props: TrendsPanelProps) {
  function exportCsv() {
    const rows = props.series.flatMap((s) =>
      s.points.map((p) => ({
        vendor: s.vendor,
        channel: s.channel,
        dimension: s.dimension,
        granularity: s.granularity,
        period: p.period,
        status: p.status,
        estimate: p.estimate,
        se: p.se,
        ci95_low: p.ci95 ? p.ci95[0] : null,
        ci95_high: p.ci95 ? p.ci95[1] : null,
        reviewed: p.reviewed,
        na: p.na,
        population: p.population,
      })),
    );
    downloadCsv(
      `spotcheck-trends-${props.vendor}-${props.from}-${props.to}.csv`,
      toCsv(rows, [
        "vendor",
        "channel",
        "dimension",
        "granularity",
        "period",
        "status",
        "estimate",
        "se",
        "ci95_low",
        "ci95_high",
        "reviewed",
        "na",
        "population",
      ]),
    );
  }

  return (
    <section class="panel" id="trendsPanel" aria-labelledby="trendsTitle">
      <div class="panel-head">
        <h2 id="trendsTitle">Trends</h2>
        <span class="sub" id="trendsSub">
          {props.subtitle}
        </span>
        <button type="button" id="trendsCsv" class="csv" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <ul class="key" aria-label="chart key">
        <li>
          <i class="sw line" />
          weighted estimate
        </li>
        <li>
          <i class="sw band" />
          95% interval
        </li>
        <li>
          <i class="sw drift" />
          drift alert (week detected)
        </li>
        <li>
          <i class="sw resolved" />
          resolved alert
        </li>
        <li>
          <i class="sw gap" />
          too few reviews: no estimate
        </li>
      </ul>
      <p class="msg err" id="trendsMsg" role="alert">
        {props.error}
      </p>
      <div id="charts" class={props.loading ? "charts loading" : "charts"}>
        {props.series.map((s) => (
          <TrendChart
            key={`${s.dimension}`}
            series={s}
            alerts={props.alerts}
            title={props.dimLabel(s.dimension)}
            from={props.from}
            to={props.to}
            minReviews={props.minReviews}
          />
        ))}
      </div>
    </section>
  );
}
