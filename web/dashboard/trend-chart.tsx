import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { isoWeekStart } from "../../shared/calendar";
import { fmt, fmtCi, insufficientText, plural } from "./format";
import type { Alert, Granularity, ShownSeries, TrendPoint } from "./types";

const ACCENT = "#2b59c3";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const UNIT: Record<Granularity, string> = { day: "day", week: "week", month: "month" };

/** Seconds since the epoch of `yyyy-mm-dd` at 00:00 UTC. */
const dayTs = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** The Monday a week starts on, in seconds; null for a malformed week. */
function weekStartTs(week: string): number | null {
  try {
    return isoWeekStart(week).getTime() / 1000;
  } catch {
    return null;
  }
}

/** Where a period starts (a day, `yyyy-Www` or `yyyy-mm`), in seconds. */
export function periodTs(period: string): number {
  if (/^\d{4}-W\d{2}$/.test(period)) return weekStartTs(period) ?? Number.NaN;
  if (/^\d{4}-\d{2}$/.test(period)) return dayTs(`${period}-01`);
  return dayTs(period);
}

/** The alerts drawn on a series' chart: the same vendor, channel and dimension. */
export function markersFor(series: ShownSeries, alerts: readonly Alert[]): Alert[] {
  return alerts.filter(
    (a) =>
      a.vendor === series.vendor &&
      a.channel === series.channel &&
      a.dimension === series.dimension,
  );
}

/** The sentence under a chart (and its accessible name): latest estimate, blanks, alerts. */
export function chartNote(
  series: ShownSeries,
  markers: readonly Alert[],
  minReviews: number,
): string {
  const unit = UNIT[series.granularity];
  const ok = series.points.filter((p) => p.status === "ok");
  const insufficient = series.points.filter((p) => p.status !== "ok");
  const last = ok.at(-1);
  const parts = [
    last
      ? `Latest estimate ${fmt(last.estimate)} (95% CI ${fmtCi(last.ci95)}) in ${last.period}.`
      : `No ${unit} in this range has enough reviews for an estimate.`,
  ];
  if (insufficient.length > 0) {
    const names = insufficient.map((p) => p.period);
    const listed = names.length > 6 ? `${names.slice(0, 6).join(", ")}, …` : names.join(", ");
    parts.push(
      `${plural(insufficient.length, unit, `${unit}s`)} with fewer than ${minReviews} reviews left blank (${listed}).`,
    );
  }
  if (markers.length > 0)
    parts.push(
      `${plural(markers.length, "drift alert", "drift alerts")} marked (${markers.map((a) => a.week).join(", ")}).`,
    );
  return parts.join(" ");
}

/** Props of {@link TrendChart}. */
export interface TrendChartProps {
  series: ShownSeries;
  alerts: readonly Alert[];
  title: string;
  /** The range asked for: the x axis spans it even where there are no points. */
  from: string;
  to: string;
  minReviews: number;
}

/**
 * One trend: the weighted estimate with its 95% band (uPlot), blank periods where there are
 * too few reviews, and the series' drift alerts as dashed markers.
 */
export function TrendChart({ series, alerts, title, from, to, minReviews }: TrendChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markers = markersFor(series, alerts);
  // The plugin draws from this at every redraw: acknowledging an alert recolours its marker.
  const current = useRef(markers);
  current.current = markers;
  const note = chartNote(series, markers, minReviews);

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const made = new uPlot(
      chartOptions(series, from, to, target, () => current.current),
      chartData(series.points),
      target,
    );
    plot.current = made;
    const resize = new ResizeObserver(() => {
      const width = Math.max(240, target.clientWidth);
      if (Math.abs(width - made.width) > 2) made.setSize({ width, height: 210 });
    });
    resize.observe(target);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
  }, [series, from, to]);

  useEffect(() => {
    plot.current?.redraw();
  }, [alerts]);

  const insufficient = series.points.filter((p) => p.status !== "ok").length;
  return (
    <div class="chart-card" data-dimension={series.dimension}>
      <h3>{title}</h3>
      <div
        class="chart"
        ref={box}
        role="img"
        aria-label={`${title}: ${note}`}
        data-points={String(series.points.length)}
        data-insufficient={String(insufficient)}
        data-markers={String(markers.length)}
      />
      <p class="chart-note">{note}</p>
    </div>
  );
}

function chartData(points: readonly TrendPoint[]): uPlot.AlignedData {
  return [
    points.map((p) => periodTs(p.period)),
    points.map((p) => (p.status === "ok" ? p.estimate : null)),
    points.map((p) => (p.status === "ok" ? p.ci95[1] : null)),
    points.map((p) => (p.status === "ok" ? p.ci95[0] : null)),
  ];
}

function chartOptions(
  series: ShownSeries,
  from: string,
  to: string,
  box: HTMLElement,
  markers: () => readonly Alert[],
): uPlot.Options {
  const points = series.points;
  const xs = points.map((p) => periodTs(p.period));
  const values = points.flatMap((p) => (p.status === "ok" ? [p.ci95[0], p.ci95[1]] : []));
  let ymin = 1;
  let ymax = 5;
  if (values.length > 0) {
    ymin = Math.max(1, Math.floor((Math.min(...values) - 0.1) * 2) / 2);
    ymax = Math.min(5, Math.ceil((Math.max(...values) + 0.1) * 2) / 2);
    if (ymax - ymin < 1) {
      ymin = Math.max(1, ymin - 0.5);
      ymax = Math.min(5, ymax + 0.5);
    }
  }
  const xmin = xs[0] ?? dayTs(from);
  const xmax = Math.max(xs.at(-1) ?? 0, dayTs(to));
  const bound = (_u: uPlot, v: number | null) =>
    v === null || v === undefined ? "—" : v.toFixed(2);
  const period = (_u: uPlot, _v: number | null, _si: number, i: number | null) => {
    const p = i === null ? undefined : points[i];
    return p ? p.period : "—";
  };
  const estimateAt = (_u: uPlot, v: number | null, _si: number, i: number | null) => {
    const p = i === null ? undefined : points[i];
    if (!p) return "—";
    return v === null || v === undefined ? insufficientText(p.reviewed) : v.toFixed(2);
  };
  return {
    width: Math.max(240, box.clientWidth || 600),
    height: 210,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true, range: [xmin, xmax] }, y: { range: [ymin, ymax] } },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: UNIT[series.granularity], value: period },
      {
        label: "estimate",
        stroke: ACCENT,
        width: 2,
        spanGaps: false,
        points: { show: true, size: 6, fill: ACCENT, stroke: ACCENT },
        value: estimateAt,
      },
      {
        label: "95% high",
        stroke: "rgba(43,89,195,0.45)",
        width: 1,
        spanGaps: false,
        points: { show: false },
        value: bound,
      },
      {
        label: "95% low",
        stroke: "rgba(43,89,195,0.45)",
        width: 1,
        spanGaps: false,
        points: { show: false },
        value: bound,
      },
    ],
    bands: [{ series: [2, 3], fill: "rgba(43,89,195,0.18)" }],
    axes: [
      {
        stroke: "#5b6678",
        grid: { stroke: "#eef0f4" },
        ...periodAxis(series.granularity, points, xs),
      },
      {
        stroke: "#5b6678",
        grid: { stroke: "#eef0f4" },
        size: 40,
        values: (_u, splits) => splits.map((v) => v.toFixed(1)),
      },
    ],
    plugins: [trendPlugin(points, xs, markers)],
  };
}

// Weeks and months are labelled as the API names them (W38, Sep), one tick per period or
// every few periods when they would crowd; days keep uPlot's own date axis.
function periodAxis(
  granularity: Granularity,
  points: readonly TrendPoint[],
  xs: readonly number[],
): Partial<uPlot.Axis> {
  if (granularity === "day" || xs.length === 0) return {};
  const label = (period: string, first: boolean) => {
    if (granularity === "week") return first ? period : period.slice(5);
    const month = MONTHS[Number(period.slice(5, 7)) - 1] ?? period;
    return first || period.endsWith("-01") ? `${month} ${period.slice(0, 4)}` : month;
  };
  return {
    splits: (u) => {
      const room = u.bbox.width / (window.devicePixelRatio || 1) / xs.length;
      const step = Math.max(1, Math.ceil((granularity === "week" ? 44 : 70) / room));
      return xs.filter((_, i) => i % step === 0);
    },
    values: (_u, splits) =>
      splits.map((ts, n) => {
        const p = points[xs.indexOf(ts)];
        return p ? label(p.period, n === 0) : "";
      }),
  };
}

// Draws what uPlot has no series for: the blank periods (under the lines) and the drift
// markers (over them), plus whiskers for estimates with no neighbour to span a band to.
function trendPlugin(
  points: readonly TrendPoint[],
  xs: readonly number[],
  markers: () => readonly Alert[],
): uPlot.Plugin {
  const px = () => window.devicePixelRatio || 1;
  // A point stands at the start of its period, so a period spans up to the next one's start.
  const edges = (u: uPlot, i: number): [number, number] => {
    const right = u.bbox.left + u.bbox.width;
    const a = u.valToPos(xs[i] ?? 0, "x", true);
    const next = xs[i + 1];
    const b = next !== undefined ? u.valToPos(next, "x", true) : right;
    return [Math.max(u.bbox.left, a), Math.min(right, b)];
  };
  const ok = (i: number) => points[i]?.status === "ok";
  return {
    hooks: {
      drawClear: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = "rgba(120,130,150,0.10)";
          points.forEach((p, i) => {
            if (p.status === "ok") return;
            const [a, b] = edges(u, i);
            if (b > a) ctx.fillRect(a, u.bbox.top, b - a, u.bbox.height);
          });
          ctx.restore();
        },
      ],
      draw: [
        (u) => {
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.strokeStyle = ACCENT;
          ctx.lineWidth = 2 * px();
          points.forEach((p, i) => {
            if (p.status !== "ok") return;
            const lonely = (i === 0 || !ok(i - 1)) && (i + 1 >= points.length || !ok(i + 1));
            if (!lonely) return;
            const x = u.valToPos(xs[i] ?? 0, "x", true);
            const y0 = u.valToPos(p.ci95[0], "y", true);
            const y1 = u.valToPos(p.ci95[1], "y", true);
            ctx.beginPath();
            ctx.moveTo(x, y0);
            ctx.lineTo(x, y1);
            ctx.moveTo(x - 4 * px(), y0);
            ctx.lineTo(x + 4 * px(), y0);
            ctx.moveTo(x - 4 * px(), y1);
            ctx.lineTo(x + 4 * px(), y1);
            ctx.stroke();
          });
          for (const a of markers()) {
            const ts = weekStartTs(a.week);
            if (ts === null) continue;
            const x = u.valToPos(ts, "x", true);
            if (x < left - 1 || x > left + width + 1) continue;
            const colour = a.state === "resolved" ? "#98a2b3" : "#c53030";
            ctx.strokeStyle = colour;
            ctx.fillStyle = colour;
            ctx.lineWidth = 2 * px();
            ctx.setLineDash([5 * px(), 4 * px()]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.beginPath();
            ctx.moveTo(x - 6 * px(), top);
            ctx.lineTo(x + 6 * px(), top);
            ctx.lineTo(x, top + 9 * px());
            ctx.closePath();
            ctx.fill();
          }
          ctx.restore();
        },
      ],
    },
  };
}
