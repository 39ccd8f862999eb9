import { ScrollRegion } from "../lib/scroll-region";
import { fmtCi, plural, signed } from "./format";
import type { CalibrationReport } from "./types";

/** Props of {@link CalibrationPanel}. */
export interface CalibrationPanelProps {
  report: CalibrationReport | null;
  error: string;
  dimensions: readonly string[];
  dimLabel: (d: string) => string;
  /** The words for each alpha verdict (shared/stats/alpha-verdict.ts). */
  alphaReading: Readonly<Record<string, string>>;
}

/** Data that breaks the review rules is counted and left out by the server, never hidden. */
export function anomalyLine(anomalies: CalibrationReport["anomalies"] | undefined): string {
  const a = anomalies ?? { sameReviewerTwice: 0, invalidValues: 0, missingLedger: 0 };
  const found = (
    [
      [
        a.sameReviewerTwice,
        "interaction scored twice by one reviewer",
        "interactions scored twice by one reviewer",
        "only their first score counts",
      ],
      [a.invalidValues, "score value outside 1–5", "score values outside 1–5", "left out"],
      [
        a.missingLedger,
        "calibrated interaction without a ledger entry",
        "calibrated interactions without a ledger entry",
        "scores read directly",
      ],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, one, many, what]) => `${plural(n, one, many)} (${what})`);
  return found.length > 0 ? `Data anomalies: ${found.join("; ")}.` : "";
}

/** Agreement between reviewers (alpha per dimension) and, for the QA team, each reviewer. */
export function CalibrationPanel(props: CalibrationPanelProps) {
  const { report, dimLabel } = props;
  const minimums = report?.minimums ?? { alphaUnits: 30, sharedUnits: 10 };
  const reviewers = report?.reviewers ?? null;
  const sub = report
    ? `${plural(report.interactions, "interaction", "interactions")} with calibration copies, ${report.from} to ${report.to}.${reviewers ? "" : " Reviewer profiles are for the QA team only."}`
    : "";
  return (
    <section class="panel" id="calibrationPanel" aria-labelledby="calibrationTitle">
      <div class="panel-head">
        <h2 id="calibrationTitle">Calibration</h2>
      </div>
      <p class="sub">
        Agreement between reviewers who scored the same interactions (Krippendorff's ordinal α: 1 is
        perfect, 0.8 or more is good, under 0.667 is too low to rely on).
      </p>
      <p class="msg err" id="calibrationMsg" role="alert">
        {props.error}
      </p>
      <ScrollRegion label="agreement by dimension">
        <table id="alphaTable" hidden={props.error !== ""}>
          <thead>
            <tr>
              <th>Dimension</th>
              <th>α</th>
              <th>95% CI</th>
              <th class="num">Units</th>
              <th>Reading</th>
            </tr>
          </thead>
          <tbody id="alphaRows">
            {(report?.overall ?? []).map((d) => (
              <tr key={d.dimension} data-dimension={d.dimension} data-verdict={d.verdict}>
                <td class="wrap">{dimLabel(d.dimension)}</td>
                <td>{d.alpha === null ? "—" : `α = ${d.alpha.toFixed(2)}`}</td>
                <td>{d.ci95 ? fmtCi(d.ci95) : "—"}</td>
                <td class="num" title={`${d.pairable} pairable values`}>
                  {d.units}
                </td>
                <td class="wrap">
                  <span class={`badge verdict-${d.verdict}`}>
                    {props.alphaReading[d.verdict] ?? d.verdict}
                  </span>
                  {d.verdict === "insufficient" ? (
                    <span class="by">
                      {d.units} of the {minimums.alphaUnits} needed
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p class="sub" id="alphaMeaning">
        {report
          ? `The interval is how far α could move with another sample of calibration interactions (the interactions re-drawn 2,000 times). A verdict needs at least ${minimums.alphaUnits} interactions scored by two or more reviewers and is read from the interval's low end: good when all of it is 0.8 or more, tentative when all of it is 0.667 or more, recalibrate when all of it is below 0.667; otherwise it may be too low, and more calibration interactions will tell.`
          : ""}
      </p>
      <p class="sub" id="calibrationSub">
        {sub}
      </p>
      <p class="msg warn" id="calibrationAnomalies" role="status">
        {report ? anomalyLine(report.anomalies) : ""}
      </p>
      <div id="reviewersBox" hidden={!reviewers}>
        <h3>Reviewers</h3>
        <p class="sub" id="severityMeaning">
          {reviewers
            ? `Severity: how many points above (lenient) or below (harsh) the average reviewer someone scores the same interaction, from a model of interaction + reviewer, with its 95% interval. A reviewer who shared few interactions is pulled toward 0, because a few odd scores are not yet a pattern. Someone is named harsh or lenient only with ${minimums.sharedUnits} or more shared interactions and an interval clear of 0.`
            : ""}
        </p>
        <ScrollRegion label="reviewer severity">
          <table id="reviewersTable">
            <thead>
              <tr id="reviewersHead">
                {reviewers ? (
                  <>
                    <th>Reviewer</th>
                    <th class="num">Reviews</th>
                    <th class="num">Skip rate</th>
                    {props.dimensions.map((d) => (
                      <th key={d} class="wrap">
                        {dimLabel(d)}
                      </th>
                    ))}
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody id="reviewerRows">
              {(reviewers ?? []).map((r) => (
                <tr key={r.reviewer} data-reviewer={r.reviewer}>
                  <td>{r.reviewer}</td>
                  <td class="num">{r.reviews}</td>
                  <td class="num">
                    {r.skipRate === null ? "—" : `${(r.skipRate * 100).toFixed(1)}%`}
                  </td>
                  {props.dimensions.map((d) => {
                    const s = r.severity[d];
                    if (!s) return <td key={d}>—</td>;
                    return (
                      <td key={d} data-dimension={d} data-label={s.label ?? undefined}>
                        {signed(s.severity)}
                        {s.label ? (
                          <>
                            {" "}
                            <span class={`badge ${s.label}`}>{s.label}</span>
                          </>
                        ) : null}
                        <span class="by">
                          {`${s.ci95 ? `${signed(s.ci95[0])} to ${signed(s.ci95[1])} · ` : ""}n ${s.shared} shared`}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </div>
    </section>
  );
}
