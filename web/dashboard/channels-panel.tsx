import type { ComponentChild } from "preact";
import { ScrollRegion } from "../lib/scroll-region";
import { fmt, fmtCi, fmtP, insufficientText, plural } from "./format";
import type { ChannelReport } from "./types";

type Overall = ChannelReport["overall"];

/** Props of {@link ChannelsPanel}. */
export interface ChannelsPanelProps {
  /** The report, or null while none has arrived (or after a failure). */
  report: ChannelReport | null;
  error: string;
  subtitle: string;
  dimensionSelect: ComponentChild;
}

/** The verdict of the agreement test and what it means, in words. */
export function channelsVerdict(overall: Overall): {
  verdict: string;
  differ: boolean;
  meaning: string;
} {
  const agreement = overall.agreement;
  if (!agreement)
    return {
      verdict: "Too few channels with enough reviews to compare.",
      differ: false,
      meaning: "",
    };
  const welch = " The test (Welch's F) allows for each channel's estimate resting on few reviews.";
  if (agreement.pValue < 0.05)
    return {
      verdict: `Channels disagree (p ${fmtP(agreement.pValue)}).`,
      differ: true,
      meaning: `Gaps this large are unlikely from sampling alone. A gap can still come from which agents answer each channel rather than from the channel itself: ${overall.withinAgent ? "see the comparison within agents below." : "compare the same agents across channels before acting."}${welch}`,
    };
  return {
    verdict: `No evidence the channels differ (p ${fmtP(agreement.pValue)}).`,
    differ: false,
    meaning: `With this many reviews, gaps like these are what sampling alone produces. That is not proof the channels are equal: a real difference smaller than the intervals would not show.${welch}`,
  };
}

/** Each channel's estimate with its interval drawn on a shared scale, and the tests. */
export function ChannelsPanel({ report, error, subtitle, dimensionSelect }: ChannelsPanelProps) {
  const overall = report?.overall;
  const bounds = (overall?.channels ?? []).flatMap((c) => (c.status === "ok" ? [...c.ci95] : []));
  const lo = bounds.length > 0 ? Math.min(...bounds) : 1;
  const hi = bounds.length > 0 ? Math.max(...bounds) : 5;
  const pad = Math.max(0.05, (hi - lo) * 0.08);
  const min = lo - pad;
  const max = hi + pad;
  const pos = (v: number) => ((v - min) / (max - min)) * 100;
  const gap = overall?.largestGap;
  const verdict = overall ? channelsVerdict(overall) : null;
  return (
    <section class="panel" id="channelsPanel" aria-labelledby="channelsTitle">
      <div class="panel-head">
        <h2 id="channelsTitle">Channel comparison</h2>
        {dimensionSelect}
      </div>
      <p class="sub" id="channelsSub">
        {subtitle}
      </p>
      <p class="msg err" id="channelsMsg" role="alert">
        {error}
      </p>
      <ScrollRegion label="channel estimates">
        <table id="channelsTable" hidden={error !== ""}>
          <thead>
            <tr>
              <th>Channel</th>
              <th class="plotcol">
                Estimate and 95% CI{" "}
                <span class="scale" id="channelsScale">
                  {overall && bounds.length > 0 ? `(scale ${fmt(min, 1)} to ${fmt(max, 1)})` : ""}
                </span>
              </th>
              <th>Estimate</th>
              <th>95% CI</th>
              <th class="num">Reviewed</th>
            </tr>
          </thead>
          <tbody id="channelRows">
            {(overall?.channels ?? []).map((c) => (
              <tr
                key={c.channel}
                class={c.status === "ok" ? undefined : "insufficient"}
                data-channel={c.channel}
                data-status={c.status}
              >
                <td>{c.channel}</td>
                <td>
                  {c.status === "ok" ? (
                    <div class="track" aria-hidden="true">
                      <div class="axis" />
                      <div
                        class="whisker"
                        style={{
                          left: `${pos(c.ci95[0])}%`,
                          width: `${Math.max(0.5, pos(c.ci95[1]) - pos(c.ci95[0]))}%`,
                        }}
                      />
                      <div class="dot" style={{ left: `${pos(c.estimate)}%` }} />
                    </div>
                  ) : null}
                </td>
                {c.status === "ok" ? (
                  <>
                    <td>{fmt(c.estimate)}</td>
                    <td>{fmtCi(c.ci95)}</td>
                  </>
                ) : (
                  <>
                    <td class="insufficient-text">{insufficientText(c.reviewed)}</td>
                    <td>—</td>
                  </>
                )}
                <td class="num">{c.reviewed}</td>
              </tr>
            ))}
            {overall && overall.channels.length === 0 ? (
              <tr>
                <td colSpan={5}>No reviews in this range.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollRegion>
      <p id="channelsGap">
        {gap
          ? `Largest gap: ${gap.high} − ${gap.low} = ${fmt(gap.estimate)} (95% CI ${fmtCi(gap.ci95)}). The pair is picked after looking, so act on the test below.`
          : ""}
      </p>
      <p
        id="channelsVerdict"
        class={verdict?.differ ? "verdict differ" : "verdict"}
        data-p={overall?.agreement ? String(overall.agreement.pValue) : ""}
      >
        {verdict?.verdict ?? ""}
      </p>
      <p class="sub" id="channelsMeaning">
        {verdict?.meaning ?? ""}
      </p>
      <WithinAgents within={overall?.withinAgent ?? null} />
    </section>
  );
}

// The channel comparison holding the agent fixed, when the report has one.
function WithinAgents({ within }: { within: Overall["withinAgent"] }) {
  const shown = within !== null && within.effects.length > 0;
  const test = within?.test ?? null;
  const verdict = !test
    ? ""
    : test.pValue < 0.05
      ? `Within agents the channels differ (p ${fmtP(test.pValue)}).`
      : `Within agents, no evidence the channels differ (p ${fmtP(test.pValue)}): the overall gap may be agent mix.`;
  return (
    <div id="withinBox" hidden={!shown}>
      <h3>Within agents</h3>
      <p class="sub" id="withinSub">
        {within && shown
          ? `The same agents on each channel: ${plural(within.agents, "agent", "agents")} who answer more than one channel. A difference here is the channel's, not the agent mix's.`
          : ""}
      </p>
      <ScrollRegion label="within-agent differences">
        <table id="withinTable">
          <thead>
            <tr>
              <th>Channel</th>
              <th>
                Difference from <span id="withinReference">{within?.channels[0] ?? ""}</span>
              </th>
              <th>95% CI</th>
            </tr>
          </thead>
          <tbody id="withinRows">
            {shown
              ? within.effects.map((e) => (
                  <tr key={e.channel} data-channel={e.channel}>
                    <td>{e.channel}</td>
                    <td>{fmt(e.estimate)}</td>
                    <td>{fmtCi(e.ci95)}</td>
                  </tr>
                ))
              : null}
          </tbody>
        </table>
      </ScrollRegion>
      <p id="withinVerdict" class={test && test.pValue < 0.05 ? "verdict differ" : "verdict"}>
        {verdict}
      </p>
    </div>
  );
}
