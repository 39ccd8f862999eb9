import type { Command } from "commander";
import type { z } from "zod";
import { type AlertEvent, listAlerts, transitionAlert } from "../../core/drift/alerts";
import { describeAlert } from "../../core/drift/announce";
import { runDrift } from "../../core/drift/run";
import { agentTable } from "../../core/insights/agents";
import { calibrationReport, type DimensionSeverity } from "../../core/insights/calibration";
import { type ChannelComparison, compareChannels } from "../../core/insights/channels";
import { reader } from "../../core/insights/read";
import { queryTrend } from "../../core/insights/trends";
import {
  AgentQuerySchema,
  CalibrationQuerySchema,
  ChannelQuerySchema,
  DriftQuerySchema,
  MAX_WEEKLY_RANGE_DAYS,
  resolveRange,
  TrendQuerySchema,
  withoutUndefined,
} from "../../core/review-api/routes/insights";
import { driftDeps } from "../../functions/drift/compose";
import { toCsv } from "../../shared/csv";
import { describeIssues, SpotcheckError } from "../../shared/errors";
import type { Estimate } from "../../shared/estimate";
import { DIMENSIONS, type Dimension } from "../../shared/rubric";
import { ALPHA_VERDICT_TEXT } from "../../shared/stats/alpha-verdict";
import { CliError, printJson, printTable } from "../output";
import { withStack } from "../stack-clients";
import { isoWeekOption } from "./date-range";

/** The rubric's dimensions as a CLI help text says them: `a, b or c`. */
const DIMENSION_CHOICES = `${DIMENSIONS.slice(0, -1).join(", ")} or ${DIMENSIONS.at(-1)}`;

const REPORT_FORMATS = ["table", "csv", "json"] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

function reportFormat(value: string): ReportFormat {
  if ((REPORT_FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new CliError(`--format must be one of ${REPORT_FORMATS.join(", ")}, got '${value}'`);
}

/** Validates options with the API's own schema, so the CLI and the API accept the same input. */
function parse<T extends z.ZodType>(schema: T, options: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(withoutUndefined(options));
  if (!result.success) throw new CliError(describeIssues(result.error), 2);
  return result.data;
}

function range(q: { from?: string; to?: string }, maxDays?: number): { from: string; to: string } {
  try {
    return resolveRange(q, new Date(), maxDays);
  } catch (error) {
    if (error instanceof SpotcheckError) throw new CliError(error.message, 2);
    throw error;
  }
}

const round = (x: number | null | undefined, digits = 3): number | string =>
  typeof x === "number" ? Number(x.toFixed(digits)) : "";

/** A p-value for people: four decimals, or "<0.0001". */
const pText = (p: number): string => (p < 1e-4 ? "<0.0001" : p.toFixed(4));

/** "3.42 (3.10 to 3.74)": an estimate with its interval, for table cells. */
const withInterval = (estimate: number, ci: readonly [number, number], digits = 2): string =>
  `${estimate.toFixed(digits)} (${ci[0].toFixed(digits)} to ${ci[1].toFixed(digits)})`;

/** The channel test in plain words: what a QA lead may conclude from it. */
export function channelVerdict(agreement: ChannelComparison["agreement"]): string {
  if (!agreement) return "Too few channels with enough reviews to compare.";
  const p = `Welch F test, ${pEquals(agreement.pValue)}`;
  return agreement.pValue < 0.05
    ? `The channels differ (${p}). Check whether the same agents work every channel before blaming one.`
    : `No evidence the channels differ (${p}): the gaps are within what sampling alone produces, not proof that the channels are equal.`;
}

const pEquals = (p: number) => (p < 1e-4 ? "p < 0.0001" : `p = ${p.toFixed(4)}`);

/**
 * The within-agent comparison in plain words: each channel against the reference, holding the
 * agent fixed, and whether the channels differ once agent mix is taken out, read against the
 * overall test (a gap agent mix explains, or one it hides).
 */
export function withinAgentVerdict(
  within: ChannelComparison["withinAgent"],
  agreement: ChannelComparison["agreement"] = null,
): string | null {
  if (!within || within.effects.length === 0) return null;
  const effects = within.effects
    .map((e) => `${e.channel} ${withInterval(e.estimate, e.ci95)}`)
    .join("; ");
  const head = `within agents (${within.agents} who answer more than one channel), against ${within.channels[0]}: ${effects}`;
  if (!within.test) return head;
  const p = `F test, ${pEquals(within.test.pValue)}`;
  const overallDiffers = agreement !== null && agreement.pValue < 0.05;
  if (within.test.pValue < 0.05)
    return overallDiffers
      ? `${head}\nWithin agents the channels still differ (${p}): the gap is the channel's, not the agent mix's.`
      : `${head}\nWithin agents the channels differ (${p}): the same agents score differently by channel, which the overall comparison, mixing agents, does not show.`;
  return overallDiffers
    ? `${head}\nWithin agents, no evidence the channels differ (${p}): the overall gap may come from which agents answer each channel.`
    : `${head}\nWithin agents, no evidence the channels differ either (${p}).`;
}

/** One line of an alert's history: when, what, who (and for which vendor), and the note. */
export function describeEvent(event: AlertEvent): string {
  const who = event.vendor ? `${event.by} (${event.vendor})` : event.by;
  return `${event.at.slice(0, 16).replace("T", " ")} ${event.action} by ${who}${event.note ? `: ${event.note}` : ""}`;
}

/** A flat row for an estimate: what tables and CSV show. */
function estimateRow(e: Estimate): Record<string, string | number> {
  return {
    estimate: e.status === "ok" ? round(e.estimate) : "",
    ci95_low: e.status === "ok" ? round(e.ci95[0]) : "",
    ci95_high: e.status === "ok" ? round(e.ci95[1]) : "",
    reviewed: e.reviewed,
    status: e.status,
  };
}

function emit(
  format: ReportFormat,
  json: unknown,
  rows: Array<Record<string, string | number>>,
  columns: string[],
): void {
  if (format === "json") printJson(json);
  else if (format === "csv") process.stdout.write(toCsv(rows, columns));
  else printTable(rows, columns);
}

/** `spotcheck trends|channels|agents|drift|calibration`: the read side, from the local stack. */
export function registerInsights(program: Command): void {
  program
    .command("trends")
    .description("weighted quality trend of a vendor, channel or agent, with 95% intervals")
    .requiredOption("--vendor <vendor>", "vendor id")
    .option("--channel <channel>", "one channel (voice, chat, email, social, sms)")
    .option("--agent <agent>", "one agent id (weekly or monthly only)")
    .requiredOption("--dimension <dimension>", DIMENSION_CHOICES)
    .option("--granularity <g>", "day, week or month", "week")
    .option("--from <date>", "first day (yyyy-mm-dd); default 90 days before --to")
    .option("--to <date>", "last day; default today (UTC)")
    .option("--format <format>", "table, csv or json", "table")
    .action(async (options: Record<string, string | undefined>) => {
      const format = reportFormat(options.format ?? "table");
      const q = parse(TrendQuerySchema, { ...options, format: undefined });
      const series = await withStack((endpoints, clients) =>
        queryTrend(reader({ db: clients.doc, table: endpoints.table }), {
          ...withoutUndefined(q),
          ...range(q),
        }),
      );
      const rows = series.points.map((p) => ({
        period: p.period,
        ...estimateRow(p),
        population: p.population,
      }));
      emit(format, series, rows, [
        "period",
        "estimate",
        "ci95_low",
        "ci95_high",
        "reviewed",
        "population",
        "status",
      ]);
    });

  program
    .command("channels")
    .description(
      "a vendor's channels compared: estimates, the largest gap and a test that they agree",
    )
    .requiredOption("--vendor <vendor>", "vendor id")
    .requiredOption("--dimension <dimension>", DIMENSION_CHOICES)
    .option("--granularity <g>", "day, week or month", "month")
    .option("--from <date>", "first day (yyyy-mm-dd)")
    .option("--to <date>", "last day")
    .option("--format <format>", "table, csv or json", "table")
    .action(async (options: Record<string, string | undefined>) => {
      const format = reportFormat(options.format ?? "table");
      const q = parse(ChannelQuerySchema, { ...options, format: undefined });
      const report = await withStack((endpoints, clients) =>
        compareChannels(reader({ db: clients.doc, table: endpoints.table }), { ...q, ...range(q) }),
      );
      const rows = [report.overall, ...report.periods].flatMap((cmp) =>
        cmp.channels.map((ch) => ({
          period: cmp.period,
          channel: ch.channel,
          ...estimateRow(ch),
          gap: cmp.largestGap
            ? `${cmp.largestGap.high}−${cmp.largestGap.low} ${round(cmp.largestGap.estimate)}`
            : "",
          agreement_p: cmp.agreement ? pText(cmp.agreement.pValue) : "",
          agreement_df: cmp.agreement
            ? `${cmp.agreement.df1}, ${cmp.agreement.df2.toFixed(1)}`
            : "",
        })),
      );
      emit(format, report, rows, [
        "period",
        "channel",
        "estimate",
        "ci95_low",
        "ci95_high",
        "reviewed",
        "status",
        "gap",
        "agreement_p",
        "agreement_df",
      ]);
      if (format === "table") {
        const gap = report.overall.largestGap;
        if (gap)
          process.stdout.write(
            `\nlargest gap over the range: ${gap.high} − ${gap.low} = ${withInterval(gap.estimate, gap.ci95)}; the pair is picked after looking, so act on the test\n`,
          );
        process.stdout.write(`${channelVerdict(report.overall.agreement)}\n`);
        const within = withinAgentVerdict(report.overall.withinAgent, report.overall.agreement);
        if (within) process.stdout.write(`${within}\n`);
      }
    });

  program
    .command("agents")
    .description("every agent of a vendor with a weighted estimate and interval over the range")
    .requiredOption("--vendor <vendor>", "vendor id")
    .requiredOption("--dimension <dimension>", DIMENSION_CHOICES)
    .option("--from <date>", "first day (yyyy-mm-dd)")
    .option("--to <date>", "last day")
    .option("--format <format>", "table, csv or json", "table")
    .action(async (options: Record<string, string | undefined>) => {
      const format = reportFormat(options.format ?? "table");
      const q = parse(AgentQuerySchema, { ...options, format: undefined });
      const table = await withStack((endpoints, clients) =>
        agentTable(reader({ db: clients.doc, table: endpoints.table }), {
          ...q,
          ...range(q, MAX_WEEKLY_RANGE_DAYS),
        }),
      );
      // Ranked by the pooled estimate; agents without one follow, by id.
      const ranked = [...table.agents].sort(
        (a, b) =>
          (a.pooled?.rank ?? Number.POSITIVE_INFINITY) -
            (b.pooled?.rank ?? Number.POSITIVE_INFINITY) || a.agent.localeCompare(b.agent),
      );
      const rows = ranked.map((a) => ({
        rank: a.pooled?.rank ?? "",
        agent: a.agent,
        ...estimateRow(a),
        pooled: round(a.pooled?.estimate),
        pooled_ci95_low: round(a.pooled?.ci95[0]),
        pooled_ci95_high: round(a.pooled?.ci95[1]),
        shrinkage: round(a.pooled?.shrinkage, 2),
        population: a.population,
      }));
      emit(format, table, rows, [
        "rank",
        "agent",
        "estimate",
        "ci95_low",
        "ci95_high",
        "pooled",
        "pooled_ci95_low",
        "pooled_ci95_high",
        "shrinkage",
        "reviewed",
        "population",
        "status",
      ]);
      if (format === "table") {
        const pool = table.pooling;
        process.stdout.write(
          pool
            ? `\npooled: each agent's estimate pulled toward the vendor's agent mean ${pool.mean.toFixed(2)} (agents' spread ${pool.tau.toFixed(2)}), the more the fewer reviews it rests on (shrinkage 0 = unchanged, 1 = the mean); ranked by it\n`
            : "\nnot pooled: fewer than 4 agents have an estimate\n",
        );
      }
    });

  const drift = program.command("drift").description("quality drift alerts");
  drift
    .command("list", { isDefault: true })
    .description("stored alerts, newest first")
    .option("--vendor <vendor>", "one vendor")
    .option("--state <state>", "open, acknowledged or resolved")
    .option("--format <format>", "table, csv or json", "table")
    .action(async (options: Record<string, string | undefined>) => {
      const format = reportFormat(options.format ?? "table");
      const q = parse(DriftQuerySchema, { vendor: options.vendor, state: options.state });
      const alerts = await withStack((endpoints, clients) =>
        listAlerts(
          { db: clients.doc, table: endpoints.table },
          { ...(q.vendor ? { vendor: q.vendor } : {}), ...(q.state ? { state: q.state } : {}) },
        ),
      );
      const rows = alerts.map((a) => ({
        week: a.week,
        vendor: a.vendor,
        channel: a.channel,
        dimension: a.dimension,
        baseline: round(a.baseline?.estimate),
        current: round(a.current?.estimate),
        p: pText(a.pValue),
        weeks: a.weeksFlagged,
        state: a.state,
        id: a.alertId,
        notes: a.history.map(describeEvent).join("\n"),
      }));
      const columns = [
        "week",
        "vendor",
        "channel",
        "dimension",
        "baseline",
        "current",
        "p",
        "weeks",
        "state",
        "id",
      ];
      if (format !== "table") return emit(format, { alerts }, rows, [...columns, "notes"]);
      printTable(rows, columns);
      // The history under the table, alert by alert: notes are too long for a column.
      for (const a of alerts.filter((x) => x.history.length > 0)) {
        process.stdout.write(`\n${a.week} ${a.vendor} ${a.channel} ${a.dimension} (${a.state})\n`);
        for (const event of a.history) process.stdout.write(`  ${describeEvent(event)}\n`);
      }
    });
  drift
    .command("run")
    .description("evaluate every series now, as the weekly scheduled job does")
    .option(
      "--week <week>",
      "ISO week to evaluate, e.g. 2026-W47 (default: the last week that ended)",
    )
    .option("--format <format>", "table or json", "table")
    .action(async (options: { week?: string; format: string }) => {
      const format = reportFormat(options.format);
      const week = options.week === undefined ? undefined : isoWeekOption(options.week);
      const result = await withStack((endpoints, clients) =>
        runDrift(driftDeps(clients, { table: endpoints.table }), week),
      );
      if (format === "json") return printJson(result);
      process.stdout.write(
        `${result.week}: ${result.series} series, ${result.tested} tested, ${result.incomplete} not complete yet, ${result.flagged} flagged, ${result.newAlerts.length} new alerts\n${result.newAlerts.map((a) => `  ${describeAlert(a)}`).join("\n")}\n`,
      );
    });
  for (const [action, state] of [
    ["acknowledge", "acknowledged"],
    ["resolve", "resolved"],
  ] as const) {
    drift
      .command(`${action} <id>`)
      .description(`mark an alert ${state}`)
      .option("--note <text>", "why")
      .option("--by <name>", "who", process.env.USER ?? "cli")
      .action(async (id: string, options: { note?: string; by: string }) => {
        const alert = await withStack((endpoints, clients) =>
          transitionAlert(
            { db: clients.doc, table: endpoints.table },
            id,
            state,
            options.by,
            new Date(),
            options.note,
          ),
        ).catch((error: unknown) => {
          if (error instanceof SpotcheckError) throw new CliError(error.message, 2);
          throw error;
        });
        process.stdout.write(`${describeAlert(alert)}: ${alert.state}\n`);
      });
  }

  program
    .command("calibration")
    .description("reviewer agreement (Krippendorff's alpha, ordinal), severity and skip rates")
    .option("--vendor <vendor>", "only this vendor's interactions")
    .option("--from <date>", "first day (yyyy-mm-dd)")
    .option("--to <date>", "last day")
    .option("--format <format>", "table, csv or json", "table")
    .action(async (options: Record<string, string | undefined>) => {
      const format = reportFormat(options.format ?? "table");
      const q = parse(CalibrationQuerySchema, { ...options, format: undefined });
      const report = await withStack((endpoints, clients) =>
        calibrationReport(reader({ db: clients.doc, table: endpoints.table }), {
          ...range(q, MAX_WEEKLY_RANGE_DAYS),
          ...(q.vendor ? { vendor: q.vendor } : {}),
          includeReviewers: true,
        }),
      );
      if (format === "json") return printJson(report);
      const agreement = report.overall.map((d) => ({
        dimension: d.dimension,
        alpha: round(d.alpha),
        ci95_low: round(d.ci95?.[0]),
        ci95_high: round(d.ci95?.[1]),
        units: d.units,
        verdict: ALPHA_VERDICT_TEXT[d.verdict],
      }));
      const severityColumns = (d: Dimension) => [
        d,
        `${d}_low`,
        `${d}_high`,
        `${d}_shared`,
        `${d}_label`,
      ];
      const reviewers = (report.reviewers ?? []).map((r) => ({
        reviewer: r.reviewer,
        reviews: r.reviews,
        skip_rate: round(r.skipRate),
        ...Object.fromEntries(
          DIMENSIONS.flatMap((d) => {
            const s = r.severity[d];
            const [value, low, high, shared, label] = severityColumns(d);
            return [
              [value, round(s?.severity)],
              [low, round(s?.ci95?.[0])],
              [high, round(s?.ci95?.[1])],
              [shared, s?.shared ?? ""],
              [label, s?.label ?? ""],
            ];
          }),
        ),
      }));
      if (format === "csv") {
        process.stdout.write(
          toCsv(reviewers, [
            "reviewer",
            "reviews",
            "skip_rate",
            ...DIMENSIONS.flatMap(severityColumns),
          ]),
        );
        return;
      }
      process.stdout.write(`agreement over ${report.interactions} calibration interactions\n`);
      printTable(agreement, ["dimension", "alpha", "ci95_low", "ci95_high", "units", "verdict"]);
      process.stdout.write(
        `a verdict needs ${report.minimums.alphaUnits} interactions scored by two or more reviewers, and follows the interval's lower end (0.8 good, 0.667 tentative)\n`,
      );
      const anomalies = Object.entries(report.anomalies).filter(([, n]) => n > 0);
      if (anomalies.length > 0)
        process.stdout.write(
          `anomalies (left out, see the JSON's anomalyExamples): ${anomalies.map(([kind, n]) => `${kind} ${n}`).join(", ")}\n`,
        );
      process.stdout.write(
        `\nreviewer severity: points above (+, lenient) or below (−, harsh) the average reviewer on the same interactions, with a 95% interval; pulled toward 0 the fewer interactions a reviewer shared; named harsh or lenient only with ${report.minimums.sharedUnits}+ shared interactions and an interval clear of 0\n`,
      );
      const cell = (s: DimensionSeverity | null) =>
        s
          ? `${s.ci95 ? withInterval(s.severity, s.ci95) : s.severity.toFixed(2)}${s.label ? ` ${s.label}` : ""} n=${s.shared}`
          : "";
      printTable(
        (report.reviewers ?? []).map((r) => ({
          reviewer: r.reviewer,
          reviews: r.reviews,
          skip_rate: round(r.skipRate),
          ...Object.fromEntries(DIMENSIONS.map((d) => [d, cell(r.severity[d])])),
        })),
        ["reviewer", "reviews", "skip_rate", ...DIMENSIONS],
      );
    });
}
