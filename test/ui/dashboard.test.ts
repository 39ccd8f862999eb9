/// <reference lib="dom" />
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Alert, listAlerts, putAlert, transitionAlert } from "../../core/drift/alerts";
import type { AgentRow } from "../../core/insights/agents";
import type { CalibrationReport } from "../../core/insights/calibration";
import type { ChannelReport } from "../../core/insights/channels";
import type { TrendSeries } from "../../core/insights/trends";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { generateDemo } from "../../local/demo/generate";
import {
  httpTokenSource,
  simulatedReviewers,
  simulateReviews,
} from "../../local/demo/simulate-reviews";
import { evaluateEndedWeeks } from "../../local/runners/drift";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { toCsv } from "../../shared/csv";
import { parsePolicy } from "../../shared/policy";
import { isoWeek, isoWeekStart } from "../../shared/time";
import { startTestStack } from "../integration/stack";
import { settle } from "../sampler/helpers";
import { launchChromium } from "./chromium";

/** Debian's Chromium, installed by .ci/run; playwright-core never downloads a browser. */
const DAY_MS = 86_400_000;
/** Whole weeks of demo data, ending the Sunday before this week: every week is closed. */
const DEMO_WEEKS = 6;
const VENDOR = "bluepeak-support";
const OTHER_VENDOR = "northwind-bpo";
const HOSTILE = "<img src=x onerror=window.__pwned=1>";
/** A note a spreadsheet would run as a formula if the export did not defuse it. */
const FORMULA_NOTE = '=HYPERLINK("http://evil.example","coaching, booked")';
/** A note whose formula starts after a separator: a `;`-locale spreadsheet splits it there. */
const SEPARATOR_NOTE = 'ok;=HYPERLINK("http://evil.example")';

let stack: LocalStack;
let browser: Browser;
let home: string;
let leadToken: string;
/** An open alert of VENDOR that the UI test acknowledges. */
let openAlert: Alert;
/** An open alert of VENDOR that is resolved behind the page's back. */
let staleAlert: Alert;
/** An open alert of OTHER_VENDOR, which its vendor's manager responds to. */
let otherAlert: Alert;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-dashboard-"));
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  const policy = parsePolicy({
    version: "dashboard-test",
    defaultRate: 0.1,
    floor: { perAgentWeek: 1 },
    calibration: { fraction: 0.15, reviewers: 2 },
  });
  stack = await startTestStack({
    // A fixed key: the same interactions are sampled on every run.
    sampler: { policy, key: Buffer.alloc(32, 11) },
    reviewApi: { verify: devVerifier(dev), devIssuer: dev },
  });
  // The demo ends where the dashboard's default range (the last 13 weeks) ends, whatever today is.
  const thisMonday = isoWeekStart(isoWeek(new Date())).getTime();
  const start = new Date(thisMonday - DEMO_WEEKS * 7 * DAY_MS).toISOString().slice(0, 10);
  const demo = generateDemo({ days: DEMO_WEEKS * 7, seed: 11, perDay: 12, start });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
  await settle(stack);
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
  const report = await simulateReviews({
    baseUrl: stack.endpoints.web,
    token: httpTokenSource(stack.endpoints.web),
    manifest: demo.manifest,
    reviewers: simulatedReviewers(3, 11, 0.5),
    seed: 11,
    idlePollMs: 100,
  });
  expect(report.complete).toBe(true);
  await evaluateEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints });

  // Alerts the tests can rely on whatever the drift job found in so small a demo.
  const deps = { db: stack.clients.doc, table: stack.endpoints.table };
  const lastWeek = isoWeek(new Date(thisMonday - 7 * DAY_MS));
  const alertOf = async (channel: string, dimension: string, week: string, vendor = VENDOR) =>
    (await putAlert(deps, {
      vendor,
      channel,
      dimension,
      week,
      state: "open",
      baseline: { estimate: 3.9, se: 0.1 },
      current: { estimate: 3.3, se: 0.12 },
      z: -3.8,
      ewmaZ: -3.1,
      pValue: 0.0004,
      detectedAt: new Date(thisMonday).toISOString(),
      weeksFlagged: 1,
      lastFlaggedWeek: week,
    })) ??
    (await listAlerts(deps, { vendor })).find(
      (a) => a.channel === channel && a.dimension === dimension && a.week === week,
    );
  const made = await Promise.all([
    alertOf("voice", "consistency", lastWeek),
    alertOf("sms", "scriptReliance", lastWeek),
    alertOf("social", "empathy", lastWeek),
    alertOf("chat", "empathy", lastWeek, OTHER_VENDOR),
  ]);
  const [open, stale, hostile, other] = made;
  if (!open || !stale || !hostile || !other) throw new Error("the test alerts could not be stored");
  openAlert = open;
  staleAlert = stale;
  otherAlert = other;
  await transitionAlert(deps, hostile.alertId, "acknowledged", "qa-bot", new Date(), HOSTILE);
  leadToken = await issueDevToken(dev, { sub: "api-lead", role: "manager" });

  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

const api = async <T>(path: string, token = leadToken): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${stack.endpoints.web}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as T };
};

/** The dev sign-in page, asked to return to the dashboard afterwards. */
const sentToSignIn = (url: URL) =>
  url.pathname === "/dev/sign-in" && url.searchParams.get("return") === "/dashboard";

/** Opens the dashboard signed out, signs in through the dev page and lands back on it. */
async function signInToDashboard(
  page: Page,
  who: { sub: string; role: "manager" | "reviewer"; vendor?: string },
): Promise<void> {
  await page.goto(`${stack.endpoints.web}/dashboard`);
  await page.waitForURL(sentToSignIn);
  await page.fill("#sub", who.sub);
  await page.selectOption("#role", who.role);
  if (who.vendor) await page.fill("#vendor", who.vendor);
  await page.click("#go");
  await page.waitForURL("**/dashboard*");
}

/** Waits until every panel has drawn from the API. */
async function panelsLoaded(page: Page): Promise<void> {
  await page.locator("#charts .chart canvas").first().waitFor();
  await page.locator("#agentRows tr").first().waitFor();
  await page.locator("#channelsVerdict:not(:empty)").waitFor();
}

/** Pixels of the first chart's canvas painted with the interval band's colour. */
const bandPixels = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>("#charts .chart canvas");
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return -1;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    // The canvas is transparent: the band is its fill colour, rgba(43,89,195,0.18), alone.
    const band = [43, 89, 195, 46];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (band.every((c, k) => Math.abs((data[i + k] ?? 0) - c) <= 6)) count++;
    }
    return count;
  });

/** Lines of a downloaded CSV file, without the final empty one. */
async function downloadCsv(page: Page, button: string): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const path = await download.path();
  return (await readFile(path, "utf8")).split("\r\n").filter((line) => line !== "");
}

describe("managers' dashboard in Chromium", () => {
  it("shows a QA lead every vendor, trend charts with bands and gaps, channels and agents", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "qa-lead", role: "manager" });
    await panelsLoaded(page);

    const options = await page.locator("#vendor option").allTextContents();
    expect(options).toEqual(["bluepeak-support", "meridian-cx", "northwind-bpo"]);
    expect(await page.locator("#vendor").inputValue()).toBe(VENDOR);

    // One chart per dimension, each with as many periods and blanks as the API's series.
    const charts = page.locator("#charts .chart");
    expect(await charts.count()).toBe(3);
    const to = await page.locator("#to").inputValue();
    const from = await page.locator("#from").inputValue();
    const trend = await api<TrendSeries>(
      `/api/trends?vendor=${VENDOR}&dimension=consistency&from=${from}&to=${to}`,
    );
    const first = charts.first();
    expect(await first.getAttribute("data-points")).toBe(String(trend.body.points.length));
    const insufficient = trend.body.points.filter((p) => p.status === "insufficient");
    expect(insufficient.length).toBeGreaterThan(0);
    expect(trend.body.points.some((p) => p.status === "ok")).toBe(true);
    expect(await first.getAttribute("data-insufficient")).toBe(String(insufficient.length));
    expect(await bandPixels(page)).toBeGreaterThan(500);

    // Hovering a period without enough reviews reads as such, never as a number.
    const over = first.locator(".u-over");
    const box = await over.boundingBox();
    if (!box) throw new Error("the chart has no plot area");
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await expect
      .poll(() => first.locator(".u-legend").textContent())
      .toMatch(/insufficient data \(\d+ reviews?\)/);
    expect(await page.locator(".chart-note").first().textContent()).toMatch(
      /with fewer than 5 reviews left blank/,
    );

    // Agents: a row per agent; rows without enough reviews say so instead of a number.
    const agents = await api<{ agents: AgentRow[] }>(
      `/api/agents?vendor=${VENDOR}&dimension=consistency&from=${from}&to=${to}`,
    );
    const rows = page.locator("#agentRows tr");
    expect(await rows.count()).toBe(agents.body.agents.length);
    const thin = agents.body.agents.filter((a) => a.status === "insufficient");
    expect(thin.length).toBeGreaterThan(0);
    for (const a of thin) {
      const row = page.locator(`#agentRows tr[data-agent="${a.agent}"]`);
      expect(await row.locator("td.insufficient-text").textContent()).toBe(
        `insufficient data (${a.reviewed} review${a.reviewed === 1 ? "" : "s"})`,
      );
      expect(await row.textContent()).not.toMatch(/\d\.\d\d/);
    }
    // Ranked by the pooled estimate, each shown next to the raw one; the rest follow.
    const pooled = agents.body.agents.filter((a) => a.pooled !== null);
    expect(pooled.length).toBeGreaterThanOrEqual(4);
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-agent")));
    expect(order.slice(0, pooled.length)).toEqual(
      [...pooled].sort((a, b) => (a.pooled?.rank ?? 0) - (b.pooled?.rank ?? 0)).map((a) => a.agent),
    );
    const two = (x: number) => x.toFixed(2).replace("-", "−");
    for (const a of pooled) {
      const row = page.locator(`#agentRows tr[data-agent="${a.agent}"]`);
      expect(await row.locator("td.pooled").textContent()).toBe(two(a.pooled?.estimate ?? 0));
      expect(await row.locator("td.raw").textContent()).toBe(two(a.estimate ?? 0));
      expect(await row.locator("td").first().textContent()).toBe(String(a.pooled?.rank));
    }
    expect(await page.locator("#agentsMeaning").textContent()).toMatch(
      /pulls each agent toward the vendor's agent mean \(\d\.\d\d\), the more the fewer reviews/,
    );
    // Sorting by estimate puts the best first and the rows without an estimate last.
    await page.click('#agentsTable button[data-key="estimate"]');
    const statuses = await rows.evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute("data-status")),
    );
    expect(statuses.indexOf("insufficient")).toBe(statuses.length - thin.length);

    // Channels: estimates with intervals and the agreement test in words.
    expect(await page.locator("#channelRows tr[data-status=ok]").count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator("#channelsVerdict").textContent()).toMatch(
      /^(Channels disagree|No evidence the channels differ) \(p (=|<) \d\.\d+\)\.$/,
    );
    expect(await page.locator("#channelsMeaning").textContent()).toMatch(
      /(not proof the channels are equal|which agents answer each channel).*Welch's F/,
    );

    // Calibration: alpha per dimension as the API reports it, and the reviewers' profiles.
    const calibration = await api<CalibrationReport>(
      `/api/calibration?vendor=${VENDOR}&from=${from}&to=${to}`,
    );
    expect(calibration.status).toBe(200);
    await page.locator("#alphaRows tr").nth(2).waitFor();
    const units = await page.locator("#alphaRows tr td:nth-child(4)").allTextContents();
    expect(units).toEqual(calibration.body.overall.map((d) => String(d.units)));
    const verdicts = await page
      .locator("#alphaRows tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-verdict")));
    expect(verdicts).toEqual(calibration.body.overall.map((d) => d.verdict));
    expect(await page.locator("#reviewerRows tr").count()).toBe(
      calibration.body.reviewers?.length ?? -1,
    );
    await page.close();
  });

  it("acknowledges an alert, shows a refused action inline, and renders hostile notes as text", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "qa-lead", role: "manager" });
    await panelsLoaded(page);

    const row = page.locator(`#alertRows tr[data-alert="${openAlert.alertId}"]`);
    await row.locator("input").fill(FORMULA_NOTE);
    await row.locator("button.ack").click();
    await page
      .locator(`#alertRows tr[data-alert="${openAlert.alertId}"][data-state=acknowledged]`)
      .waitFor();
    const { body } = await api<{ alerts: Alert[] }>(`/api/drift?vendor=${VENDOR}`);
    expect(body.alerts.find((a) => a.alertId === openAlert.alertId)).toMatchObject({
      state: "acknowledged",
      acknowledgedBy: "qa-lead",
      note: FORMULA_NOTE,
    });

    // Resolved elsewhere after the page loaded: the API refuses, and the row says why.
    await transitionAlert(
      { db: stack.clients.doc, table: stack.endpoints.table },
      staleAlert.alertId,
      "resolved",
      "someone-else",
      new Date(),
    );
    const stale = page.locator(`#alertRows tr[data-alert="${staleAlert.alertId}"]`);
    await stale.locator("button.ack").click();
    await expect
      .poll(() => stale.locator(".err").textContent())
      .toMatch(/the alert is resolved: it cannot become acknowledged.*resolved → acknowledged/);

    // The acknowledged alert with a hostile note: text, not markup.
    const hostile = page.locator("#alertRows ol.notes li", { hasText: "onerror" });
    expect(await hostile.textContent()).toMatch(new RegExp(`acknowledged by qa-bot: ${HOSTILE}$`));
    expect(await page.locator("#alertRows img, #app img").count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();

    // Drift markers are drawn on the chart of the alerts' series when that channel is picked.
    const markers = body.alerts.filter(
      (a) => a.channel === "voice" && a.dimension === "consistency",
    );
    expect(markers.length).toBeGreaterThan(0);
    await page.selectOption("#channel", "voice");
    await page.selectOption("#dimension", "consistency");
    await expect
      .poll(() => page.locator("#charts .chart").first().getAttribute("data-markers"))
      .toBe(String(markers.length));
    await page.close();
  });

  it("exports the agent table, the alerts and the trends as CSV with one line per row", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "qa-lead", role: "manager" });
    await panelsLoaded(page);

    const agents = await downloadCsv(page, "#agentsCsv");
    expect(agents[0]).toBe(
      "agent,vendor,dimension,status,estimate,se,ci95_low,ci95_high,rank,pooled,pooled_se,pooled_ci95_low,pooled_ci95_high,shrinkage,reviewed,na,sampled,population",
    );
    const tableAgents = await page
      .locator("#agentRows tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-agent")));
    expect(agents.slice(1).map((line) => line.split(",")[0])).toEqual(tableAgents);

    // The QA lead adds a note without changing the alert's state.
    const row = page.locator(`#alertRows tr[data-alert="${openAlert.alertId}"]`);
    await row.locator("input").fill(SEPARATOR_NOTE);
    await row.locator("button.respond").click();
    await page
      .locator(
        `#alertRows tr[data-alert="${openAlert.alertId}"][data-state=acknowledged] ol.notes li`,
        {
          hasText: "ok;=",
        },
      )
      .waitFor();

    await page.selectOption("#alertFilter", "all");
    const alerts = await downloadCsv(page, "#alertsCsv");
    expect(alerts[0]?.split(",").slice(0, 5)).toEqual([
      "week",
      "vendor",
      "channel",
      "dimension",
      "state",
    ]);
    expect(alerts).toHaveLength((await page.locator("#alertRows tr").count()) + 1);
    // The page's CSV is what the server-side writer makes of the same alerts: quoted, and
    // each formula defused with a leading quote, also one that starts after a separator.
    const { body } = await api<{ alerts: Alert[] }>(`/api/drift?vendor=${VENDOR}`);
    const columns = alerts[0]?.split(",") ?? [];
    const expected = toCsv(
      body.alerts.map((a) => ({
        ...a,
        baseline: a.baseline?.estimate,
        current: a.current?.estimate,
        p_value: a.pValue,
        weeks_flagged: a.weeksFlagged,
        last_flagged_week: a.lastFlaggedWeek,
        detected_at: a.detectedAt,
        acknowledged_by: a.acknowledgedBy,
        acknowledged_at: a.acknowledgedAt,
        resolved_by: a.resolvedBy,
        resolved_at: a.resolvedAt,
        notes: a.history
          .filter((e) => e.note)
          .map(
            (e) => `${e.at} · ${e.action} by ${e.by}${e.vendor ? ` (${e.vendor})` : ""}: ${e.note}`,
          )
          .join("\n"),
      })),
      columns,
    );
    // Compared as whole text: a notes cell spans lines.
    expect(alerts.join("\r\n")).toBe(expected.replace(/\r\n$/, ""));
    expect(columns.at(-1)).toBe("notes");
    expect(alerts.join("\n")).toContain(`qa-lead: =HYPERLINK(""http://evil.example"",""coaching`);
    expect(alerts.join("\n")).toContain(`qa-lead: ok;'=HYPERLINK(""http://evil.example"")`);
    expect(alerts.join("\n")).toContain(HOSTILE);

    const trends = await downloadCsv(page, "#trendsCsv");
    const points = await page
      .locator("#charts .chart")
      .evaluateAll((charts) =>
        charts.reduce((n, c) => n + Number(c.getAttribute("data-points")), 0),
      );
    expect(trends).toHaveLength(points + 1);
    expect(trends[0]).toMatch(/^vendor,channel,dimension,granularity,period,status,estimate,se,/);
    // Periods without enough reviews export an empty estimate, not a zero.
    expect(trends.find((line) => line.includes(",insufficient,"))).toMatch(/,insufficient,,,,,/);
    await page.close();
  });

  it("renders a calibration report: alpha with its interval and verdict, and reviewers with intervals and labels", async () => {
    // A stubbed report with the cases the panel distinguishes.
    const report = (reviewers: CalibrationReport["reviewers"]): CalibrationReport => ({
      from: "2026-08-27",
      to: "2026-11-25",
      vendor: VENDOR,
      overall: [
        {
          dimension: "consistency",
          alpha: 0.78,
          ci95: [0.69, 0.85],
          verdict: "tentative",
          units: 64,
          pairable: 170,
        },
        {
          dimension: "scriptReliance",
          alpha: 0.91,
          ci95: [0.62, 1],
          verdict: "insufficient",
          units: 12,
          pairable: 30,
        },
        {
          dimension: "empathy",
          alpha: 0.7,
          ci95: [0.58, 0.8],
          verdict: "uncertain",
          units: 64,
          pairable: 168,
        },
      ],
      weeks: [],
      reviewers,
      severityModel: null,
      minimums: { alphaUnits: 30, sharedUnits: 10 },
      interactions: 64,
      anomalies: { sameReviewerTwice: 2, invalidValues: 0, missingLedger: 0 },
      anomalyExamples: [
        { anomaly: "sameReviewerTwice", interactionId: "ix-1" },
        { anomaly: "sameReviewerTwice", interactionId: "ix-2" },
      ],
      requests: 30,
    });
    const withReviewers = report([
      {
        reviewer: "sim-reviewer-01",
        reviews: 140,
        skips: 3,
        skipRate: 3 / 143,
        severity: {
          consistency: {
            shared: 14,
            severity: -0.41,
            se: 0.12,
            ci95: [-0.65, -0.17],
            rawDeviation: -0.6,
            label: "harsh",
          },
          scriptReliance: {
            shared: 1,
            severity: -0.3,
            se: 0.3,
            ci95: [-0.89, 0.29],
            rawDeviation: -2,
            label: null,
          },
          empathy: null,
        },
      },
    ]);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    let stub = withReviewers;
    await page.route("**/api/calibration?*", (route) => route.fulfill({ json: stub }));
    await signInToDashboard(page, { sub: "qa-lead", role: "manager" });
    await page.locator("#alphaRows tr").nth(2).waitFor();
    const alpha = await page
      .locator("#alphaRows tr")
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
      );
    expect(alpha).toEqual([
      ["Consistency across channels", "α = 0.78", "0.69 to 0.85", "64", "tentative agreement"],
      [
        "Reliance on scripts",
        "α = 0.91",
        "0.62 to 1.00",
        "12",
        "too few for a verdict12 of the 30 needed",
      ],
      ["Empathy", "α = 0.70", "0.58 to 0.80", "64", "may be too low"],
    ]);
    expect(await page.locator("#alphaMeaning").textContent()).toMatch(
      /A verdict needs at least 30 interactions scored by two or more reviewers/,
    );
    expect(await page.locator("#calibrationAnomalies").textContent()).toBe(
      "Data anomalies: 2 interactions scored twice by one reviewer (only their first score counts).",
    );
    const reviewer = page.locator('#reviewerRows tr[data-reviewer="sim-reviewer-01"]');
    expect(await reviewer.locator("td").allTextContents()).toEqual([
      "sim-reviewer-01",
      "140",
      "2.1%",
      "−0.41 harsh−0.65 to −0.17 · n 14 shared",
      "−0.30−0.89 to +0.29 · n 1 shared",
      "—",
    ]);
    expect(await page.locator("#severityMeaning").textContent()).toMatch(
      /named harsh or lenient only with 10 or more shared interactions and an interval clear of 0/,
    );

    stub = report(null);
    await page.fill("#from", "2026-09-01");
    await expect
      .poll(() => page.locator("#calibrationSub").textContent())
      .toContain("Reviewer profiles are for the QA team only");
    expect(await page.locator("#reviewersBox").isHidden()).toBe(true);
    await page.close();
  });

  it("shows the comparison within agents when the channel report has one", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await page.route("**/api/channels?*", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as ChannelReport;
      const withinAgent: ChannelReport["overall"]["withinAgent"] = {
        agents: 5,
        channels: ["chat", "email"],
        effects: [
          { channel: "email", estimate: -0.08, se: 0.2, df: 40, ci95: [-0.48, 0.32], pValue: 0.69 },
        ],
        test: { statistic: 0.16, df1: 1, df2: 40, pValue: 0.69, groups: 2 },
        reviewVariance: 0.8,
        df: 40,
      };
      const agreement = { statistic: 30, df1: 1, df2: 20, pValue: 2.5e-6, groups: 2 };
      await route.fulfill({
        json: { ...body, overall: { ...body.overall, agreement, withinAgent } },
      });
    });
    await signInToDashboard(page, { sub: "mix-lead", role: "manager" });
    await page.locator("#withinBox:not([hidden])").waitFor();
    expect(await page.locator("#channelsVerdict").textContent()).toBe(
      "Channels disagree (p < 0.001).",
    );
    expect(await page.locator("#channelsMeaning").textContent()).toMatch(
      /which agents answer each channel.*see the comparison within agents below/,
    );
    expect(await page.locator("#withinRows tr").allTextContents()).toEqual([
      "email−0.08−0.48 to 0.32",
    ]);
    expect(await page.locator("#withinVerdict").textContent()).toBe(
      "Within agents, no evidence the channels differ (p = 0.69): the overall gap may be agent mix.",
    );
    await page.close();
  });

  it("waits as a 429's Retry-After says and asks again", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    let refused = 0;
    await page.route("**/api/agents?*", (route) => {
      if (refused > 0) return route.continue();
      refused += 1;
      return route.fulfill({
        status: 429,
        headers: { "retry-after": "1" },
        json: { error: "too many requests: test; try again in 1 s", retryAfterSeconds: 1 },
      });
    });
    await signInToDashboard(page, { sub: "busy-lead", role: "manager" });
    await panelsLoaded(page);
    expect(refused).toBe(1);
    expect(await page.locator("#agentsMsg").textContent()).toBe("");
    expect(await page.locator("#agentRows tr[data-agent]").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("shows a vendor manager only their vendor, and the API refuses the others", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "nw-manager", role: "manager", vendor: OTHER_VENDOR });
    await panelsLoaded(page);
    expect(await page.locator("#vendor option").allTextContents()).toEqual([OTHER_VENDOR]);
    expect(await page.locator("#vendor").isDisabled()).toBe(true);
    await expect
      .poll(() => page.locator("#calibrationPanel").textContent())
      .toContain("Reviewer profiles are for the QA team only");
    expect(await page.locator("#reviewersBox").isHidden()).toBe(true);

    // Their vendor's alert offers a response, not the QA team's acknowledge or resolve.
    const row = page.locator(`#alertRows tr[data-alert="${otherAlert.alertId}"]`);
    await row.waitFor();
    expect(await row.locator("button.ack, button.resolve").count()).toBe(0);
    await row.locator("input").fill("We coached the chat team on 1 December.");
    await row.locator("button.respond").click();
    await expect
      .poll(() =>
        page
          .locator(`#alertRows tr[data-alert="${otherAlert.alertId}"] ol.notes li`)
          .allTextContents(),
      )
      .toEqual([
        expect.stringMatching(
          /· note by nw-manager \(northwind-bpo\): We coached the chat team on 1 December\.$/,
        ),
      ]);
    const after = await api<{ alerts: Alert[] }>(`/api/drift?vendor=${OTHER_VENDOR}`);
    expect(after.body.alerts.find((a) => a.alertId === otherAlert.alertId)?.state).toBe("open");

    const token = await page.evaluate(() => sessionStorage.getItem("spotcheck.token"));
    const status = await page.evaluate(
      async ([vendor, bearer]) =>
        (
          await fetch(`/api/trends?vendor=${vendor}&dimension=empathy`, {
            headers: { authorization: `Bearer ${bearer}` },
          })
        ).status,
      [VENDOR, token ?? ""],
    );
    expect(status).toBe(403);
    await page.close();
  });

  it("tells a reviewer the dashboard is for managers, and sends a bad token back to sign-in", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "rev-1", role: "reviewer" });
    await page.locator("#denied").waitFor();
    expect(await page.locator("#denied").textContent()).toMatch(/for managers/);
    expect(await page.locator("#app").isHidden()).toBe(true);

    await page.evaluate(() => sessionStorage.setItem("spotcheck.token", "not-a-token"));
    await page.goto(`${stack.endpoints.web}/dashboard`);
    await page.waitForURL(sentToSignIn);
    expect(await page.evaluate(() => sessionStorage.getItem("spotcheck.token"))).toBeNull();
    await page.close();
  });

  it("stacks its panels on a phone-width screen without sideways scrolling", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(30_000);
    await signInToDashboard(page, { sub: "phone-lead", role: "manager" });
    await panelsLoaded(page);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth + 1);
    const channels = await page.locator("#channelsPanel").boundingBox();
    const calibration = await page.locator("#calibrationPanel").boundingBox();
    expect(calibration?.y).toBeGreaterThan((channels?.y ?? 0) + (channels?.height ?? 0) - 1);
    const ack = page.locator("#alertRows button.resolve").first();
    const ackBox = await ack.boundingBox();
    expect((ackBox?.x ?? 0) + (ackBox?.width ?? 0)).toBeLessThanOrEqual(390);
    await page.close();
  });
});
