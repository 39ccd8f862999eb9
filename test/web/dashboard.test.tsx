// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AgentSort, nextSort, sortedAgents } from "../../web/dashboard/agents-panel";
import { AlertsPanel } from "../../web/dashboard/alerts-panel";
import { anomalyLine } from "../../web/dashboard/calibration-panel";
import { channelsVerdict } from "../../web/dashboard/channels-panel";
import { filtersFromUrl, filtersToQuery } from "../../web/dashboard/controls";
import { errorText } from "../../web/dashboard/dashboard-app";
import { chartNote } from "../../web/dashboard/trend-chart";
import type { AgentRow, Alert, ShownSeries } from "../../web/dashboard/types";
import { type ApiClient, ApiError } from "../../web/lib/api";

const CONFIG = {
  dimensions: ["consistency", "scriptReliance", "empathy"],
  channels: ["voice", "chat", "email", "social", "sms"],
  granularities: ["day", "week", "month"] as const,
};

const agent = (id: string, estimate: number | null, rank: number | null): AgentRow =>
  estimate === null
    ? {
        agent: id,
        population: 10,
        sampled: 2,
        pooled: null,
        status: "insufficient",
        estimate: null,
        se: null,
        df: null,
        ci95: null,
        reviewed: 2,
        na: 0,
      }
    : {
        agent: id,
        population: 40,
        sampled: 10,
        pooled:
          rank === null
            ? null
            : { estimate, se: 0.2, ci95: [estimate - 0.4, estimate + 0.4], rank, shrinkage: 0.3 },
        status: "ok",
        estimate,
        se: 0.3,
        df: 9,
        ci95: [estimate - 0.6, estimate + 0.6],
        reviewed: 10,
        na: 0,
      };

const alert: Alert = {
  alertId: "al-1",
  vendor: "acme",
  channel: "voice",
  dimension: "empathy",
  week: "2026-W45",
  state: "open",
  baseline: { estimate: 4.1 },
  current: { estimate: 3.2 },
  pValue: 0.004,
  detectedAt: "2026-11-09T00:00:00Z",
  weeksFlagged: 2,
  lastFlaggedWeek: "2026-W46",
  history: [
    {
      action: "note",
      state: "open",
      by: "vm",
      vendor: "acme",
      at: "2026-11-10T09:00:00Z",
      note: '<img src=x onerror="alert(1)">we are on it',
    },
  ],
};

afterEach(cleanup);

describe("dashboard filters", () => {
  it("takes only the filters the page offers from a link, and real calendar days", () => {
    const f = filtersFromUrl(
      "?vendor=evil&dimension=empathy&channel=fax&granularity=month&from=2026-02-30&to=2026-11-30",
      ["acme", "globex"],
      CONFIG,
      "2026-12-04",
    );
    expect(f).toEqual({
      vendor: "acme",
      dimension: "empathy",
      channel: "",
      granularity: "month",
      from: "2026-09-01",
      to: "2026-11-30",
    });
    expect(filtersToQuery(f)).toBe(
      "vendor=acme&dimension=empathy&granularity=month&from=2026-09-01&to=2026-11-30",
    );
  });
});

describe("agent table order", () => {
  const rows = [agent("b", 3.1, 2), agent("a", null, null), agent("c", 4.2, 1)];

  it("ranks by the pooled estimate and puts agents without one last, whichever way", () => {
    const byRank: AgentSort = { key: "rank", dir: 1 };
    expect(sortedAgents(rows, byRank).map((r) => r.agent)).toEqual(["c", "b", "a"]);
    const down = nextSort(nextSort(byRank, "estimate"), "estimate");
    expect(down).toEqual({ key: "estimate", dir: 1 });
    expect(sortedAgents(rows, down).map((r) => r.agent)).toEqual(["b", "c", "a"]);
  });
});

describe("dashboard wording", () => {
  it("reads the channel test in words, pointing at the within-agent comparison when there is one", () => {
    const overall = {
      channels: [],
      largestGap: null,
      agreement: { pValue: 0.0004 },
      withinAgent: null,
    };
    expect(channelsVerdict(overall)).toMatchObject({
      verdict: "Channels disagree (p < 0.001).",
      differ: true,
    });
    expect(channelsVerdict({ ...overall, agreement: null }).verdict).toBe(
      "Too few channels with enough reviews to compare.",
    );
  });

  it("counts data anomalies instead of hiding them", () => {
    expect(anomalyLine({ sameReviewerTwice: 1, invalidValues: 3, missingLedger: 0 })).toBe(
      "Data anomalies: 1 interaction scored twice by one reviewer (only their first score counts); 3 score values outside 1–5 (left out).",
    );
  });

  it("says which periods were left blank and which alerts are marked", () => {
    const series: ShownSeries = {
      vendor: "acme",
      channel: "voice",
      dimension: "empathy",
      granularity: "week",
      points: [
        {
          period: "2026-W44",
          population: 80,
          status: "ok",
          estimate: 3.6,
          se: 0.3,
          df: 9,
          ci95: [3, 4.2],
          reviewed: 10,
          na: 0,
        },
        {
          period: "2026-W45",
          population: 80,
          status: "insufficient",
          estimate: null,
          se: null,
          df: null,
          ci95: null,
          reviewed: 2,
          na: 0,
        },
      ],
    };
    expect(chartNote(series, [alert], 5)).toBe(
      "Latest estimate 3.60 (95% CI 3.00 to 4.20) in 2026-W44. 1 week with fewer than 5 reviews left blank (2026-W45). 1 drift alert marked (2026-W45).",
    );
  });

  it("adds the refused fields to an error's message", () => {
    const e = new ApiError("invalid request", 400, {
      fields: [{ path: "note", message: "too long" }],
    });
    expect(errorText(e)).toBe("invalid request (note: too long)");
  });
});

describe("drift alerts panel", () => {
  const api = (post: ApiClient["post"]) => ({ post }) as unknown as ApiClient;
  const base = {
    vendor: "acme",
    error: "",
    dimLabel: (d: string) => d,
    errorText,
  };

  it("renders notes as text and offers a vendor's manager only a response", () => {
    render(
      <AlertsPanel
        {...base}
        api={api(vi.fn())}
        alerts={[alert]}
        onAlertChanged={vi.fn()}
        qaTeam={false}
      />,
    );
    expect(screen.getByText(/we are on it$/).textContent).toContain(
      '<img src=x onerror="alert(1)">',
    );
    expect(document.querySelector("#alertRows img")).toBeNull();
    expect(document.querySelector("button.ack, button.resolve")).toBeNull();
    expect(screen.getByRole("button", { name: "Respond" })).toBeTruthy();
  });

  it("acknowledges with the note and hands the changed alert back", async () => {
    const changed = { ...alert, state: "acknowledged" as const };
    const post = vi.fn(async () => ({ alert: changed }));
    const onAlertChanged = vi.fn();
    render(
      <AlertsPanel
        {...base}
        api={api(post as ApiClient["post"])}
        alerts={[alert]}
        onAlertChanged={onAlertChanged}
        qaTeam
      />,
    );
    fireEvent.input(screen.getByLabelText("note for alert 2026-W45 voice empathy"), {
      target: { value: " coached " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Acknowledge" }));
    await waitFor(() => expect(onAlertChanged).toHaveBeenCalledWith(changed));
    expect(post).toHaveBeenCalledWith("/api/drift/al-1/acknowledge", { note: "coached" });
  });

  it("shows a refused action in its row and lets the user try again", async () => {
    const post = vi.fn(async () => {
      throw new ApiError("the alert is resolved: it cannot become acknowledged", 409, null);
    });
    render(
      <AlertsPanel
        {...base}
        api={api(post as ApiClient["post"])}
        alerts={[alert]}
        onAlertChanged={vi.fn()}
        qaTeam
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Acknowledge" }));
    await screen.findByText("the alert is resolved: it cannot become acknowledged");
    expect(
      (screen.getByRole("button", { name: "Acknowledge" }) as HTMLButtonElement).disabled,
    ).toBe(false);
  });
});
