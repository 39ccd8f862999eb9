import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../../core/drift/alerts";
import type { AgentPooling, AgentRow } from "../../core/insights/agents";
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
import { loadPolicy } from "../../local/policy";
import { evaluateEndedWeeks } from "../../local/runners/drift";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { DIMENSIONS } from "../../shared/rubric";
import { krippendorffAlphaOrdinal } from "../../shared/stats/agreement";
import { alphaVerdict, MIN_ALPHA_UNITS } from "../../shared/stats/alpha-verdict";
import { MIN_SHARED_UNITS } from "../../shared/stats/severity";
import { startTestStack } from "../integration/stack";
import { createSpotcheckHome, runSpotcheck, stopStackAndHome } from "../lib/cli";
import { scanTable } from "../sampler/helpers";

// The seeded demo's full 13 weeks, at about half its daily volume: the planted empathy
// drift (bluepeak-support, from day 60) and email inconsistency (meridian-cx) are in it.
const demo = generateDemo({ days: 91, seed: 7, perDay: 30 });
const FROM = "2026-08-24";
const TO = "2026-11-22";
let home: string;
let stack: LocalStack;
let tokens: Record<"lead" | "northwind" | "reviewer", string>;

function spotcheck(args: string[]) {
  return runSpotcheck(home, args, { maxBuffer: 32 * 1024 * 1024 });
}

const api = async (path: string, who: keyof typeof tokens | null = "lead") =>
  fetch(`${stack.endpoints.web}${path}`, {
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });

beforeAll(async () => {
  home = await createSpotcheckHome("insights");
  const policy = await loadPolicy();
  // A fixed key: the same interactions are sampled on every run.
  const key = Buffer.from("spotcheck-insights-test-key-0001");
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  stack = await startTestStack({
    writeEndpointsFile: true,
    sampler: { policy, key },
    reviewApi: { verify: devVerifier(dev), devIssuer: dev },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, { concurrency: 24 });
  await stack.bridge.drain();
  await stack.sampler?.idle();
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
  await simulateReviews({
    baseUrl: stack.endpoints.web,
    token: httpTokenSource(stack.endpoints.web),
    manifest: demo.manifest,
    reviewers: simulatedReviewers(12, 7, 0.5),
    seed: 7,
  });
  await evaluateEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints });
  tokens = {
    lead: await issueDevToken(dev, { sub: "lead", role: "manager" }),
    northwind: await issueDevToken(dev, { sub: "nw", role: "manager", vendor: "northwind-bpo" }),
    reviewer: await issueDevToken(dev, { sub: "rev", role: "reviewer" }),
  };
}, 420_000);

afterAll(() => stopStackAndHome(stack, home));

describe("quality trends on the simulated demo", () => {
  it("alerts on the planted empathy drift, not before it started, and the dashboard data agrees", async () => {
    const res = await api("/api/drift?vendor=bluepeak-support");
    expect(res.status).toBe(200);
    const { alerts } = (await res.json()) as { alerts: Alert[] };
    const empathy = alerts.filter((a) => a.dimension === "empathy");
    expect(empathy.length).toBeGreaterThan(0);
    // Day 60 of the demo (2026-10-23) is in ISO week 2026-W43.
    for (const a of empathy) {
      expect(a.week >= "2026-W43").toBe(true);
      // Tested once its sample was scored, and placed where the decline started, give or take
      // the week before: which simulated reviewer claims which task depends on timing, and a
      // run of low weeks can then take in the last week before the decline (seen once in a
      // loaded run: 2026-W42).
      expect(a.completeness ?? 0).toBeGreaterThanOrEqual(0.9);
      expect(a.since ?? "").toMatch(/^2026-W4[2-9]$/);
      expect(a.scanZ ?? 0).toBeLessThan(-3);
    }
    expect(empathy.some((a) => a.channel === "all")).toBe(true);
  });

  it("shows the planted email inconsistency as a channel gap with an interval clear of zero", async () => {
    const res = await api(
      `/api/channels?vendor=meridian-cx&dimension=consistency&from=${FROM}&to=${TO}`,
    );
    const report = (await res.json()) as ChannelReport;
    expect(report.overall.largestGap?.low).toBe("email");
    expect(report.overall.largestGap?.ci95[0]).toBeGreaterThan(0.5);
    expect(report.overall.agreement?.pValue).toBeLessThan(0.001);
    // Welch's F: each channel's estimate counted with its own degrees of freedom.
    expect(report.overall.agreement?.df1).toBe(
      report.overall.agreement?.groups ? report.overall.agreement.groups - 1 : -1,
    );
    expect(report.overall.agreement?.df2).toBeGreaterThan(5);
    const cli = await spotcheck([
      "channels",
      ...`--vendor meridian-cx --dimension consistency --from ${FROM} --to ${TO}`.split(" "),
    ]);
    expect(cli.stdout).toMatch(/The channels differ \(Welch F test, p < 0\.0001\)/);
    // The planted gap is the channel's, not agent mix: it holds with each agent compared with
    // themself (the demo's agents answer several channels).
    const within = report.overall.withinAgent;
    if (!within) throw new Error("no within-agent comparison");
    expect(within.agents).toBeGreaterThanOrEqual(5);
    expect(within.test?.pValue).toBeLessThan(0.001);
    const emailVsReference =
      within.channels[0] === "email"
        ? within.effects.map((e) => -e.ci95[0])
        : within.effects.filter((e) => e.channel === "email").map((e) => e.ci95[1]);
    expect(emailVsReference).not.toHaveLength(0);
    for (const upper of emailVsReference) expect(upper).toBeLessThan(0);
    expect(cli.stdout).toMatch(/Within agents the channels still differ \(F test, p < 0\.0001\)/);
    // A vendor without the planted problem shows no such gap.
    const other = (await (
      await api(`/api/channels?vendor=northwind-bpo&dimension=consistency&from=${FROM}&to=${TO}`)
    ).json()) as ChannelReport;
    const otherGap = other.overall.largestGap;
    if (!otherGap) throw new Error("no channel gap for northwind-bpo");
    expect(otherGap.estimate).toBeLessThan(0.6);
  });

  it("estimates close to the true mean of the reviewed slice", async () => {
    const series = (await (
      await api(
        `/api/trends?vendor=northwind-bpo&dimension=consistency&granularity=month&from=2026-09-01&to=2026-10-31`,
      )
    ).json()) as TrendSeries;
    const truth = demo.manifest.truth.filter(
      (t) => t.vendor === "northwind-bpo" && t.day >= "2026-09-01" && t.day <= "2026-10-31",
    );
    const trueMean = truth.reduce((s, t) => s + t.quality.consistency, 0) / truth.length;
    // September and October.
    expect(series.points).toHaveLength(2);
    for (const point of series.points) {
      expect(point.status).toBe("ok");
      if (point.status !== "ok") continue;
      // Reviewers add noise, rounding and a severity of about ±0.25 each: stay within a point.
      expect(Math.abs(point.estimate - trueMean)).toBeLessThan(0.6);
      expect(point.ci95[1] - point.ci95[0]).toBeGreaterThan(0);
    }
  });

  it("answers the same through the CLI as through the API", async () => {
    const query = `--vendor bluepeak-support --dimension empathy --granularity week --from ${FROM} --to ${TO}`;
    const cli = await spotcheck(["trends", ...query.split(" "), "--format", "json"]);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const viaApi = (await (
      await api(
        `/api/trends?vendor=bluepeak-support&dimension=empathy&granularity=week&from=${FROM}&to=${TO}`,
      )
    ).json()) as TrendSeries;
    expect((JSON.parse(cli.stdout) as TrendSeries).points).toEqual(viaApi.points);

    const channels = await spotcheck([
      "channels",
      ...`--vendor meridian-cx --dimension consistency --from ${FROM} --to ${TO}`.split(" "),
      "--format",
      "json",
    ]);
    const channelsApi = (await (
      await api(`/api/channels?vendor=meridian-cx&dimension=consistency&from=${FROM}&to=${TO}`)
    ).json()) as ChannelReport;
    expect((JSON.parse(channels.stdout) as ChannelReport).overall).toEqual(channelsApi.overall);

    const drift = await spotcheck(["drift", "list", "--format", "json"]);
    const driftApi = (await (await api("/api/drift")).json()) as { alerts: Alert[] };
    expect((JSON.parse(drift.stdout) as { alerts: Alert[] }).alerts).toEqual(driftApi.alerts);

    const calibration = await spotcheck([
      "calibration",
      "--from",
      FROM,
      "--to",
      TO,
      "--format",
      "json",
    ]);
    const calibrationApi = (await (await api(`/api/calibration?from=${FROM}&to=${TO}`)).json()) as {
      overall: unknown;
    };
    expect(JSON.parse(calibration.stdout).overall).toEqual(calibrationApi.overall);
  });

  it("measures reviewer agreement on the calibration copies, with intervals and verdicts", async () => {
    const report = (await (
      await api(`/api/calibration?from=${FROM}&to=${TO}`)
    ).json()) as CalibrationReport;
    expect(report.overall.map((d) => d.dimension)).toEqual([...DIMENSIONS]);
    // The same alpha, computed from every stored score of the calibrated interactions.
    const scores = (await scanTable(stack)).filter((i) => i.type === "score");
    const calibrated = new Set(
      scores.filter((s) => s.kind === "calibration").map((s) => String(s.interactionId)),
    );
    for (const d of report.overall) {
      const units = [...calibrated].map((id) =>
        scores
          .filter((s) => s.interactionId === id)
          .map((s) => (s.scores as Record<string, { value?: number }>)[d.dimension]?.value ?? null),
      );
      const expected = krippendorffAlphaOrdinal(units);
      expect(d.units).toBe(expected.units);
      expect(d.units).toBeGreaterThan(5);
      expect(d.alpha).toBeCloseTo(expected.alpha ?? Number.NaN, 9);
      // Simulated reviewers share the truth and differ by noise and severity: better than chance.
      expect(d.alpha).toBeGreaterThan(0);
      // The bootstrap interval holds the estimate, and the verdict is the one it supports.
      expect(d.ci95?.[0]).toBeLessThanOrEqual(d.alpha ?? Number.NaN);
      expect(d.ci95?.[1]).toBeGreaterThanOrEqual(d.alpha ?? Number.NaN);
      expect(d.verdict).toBe(alphaVerdict(d));
    }
    expect(report.minimums).toEqual({ alphaUnits: MIN_ALPHA_UNITS, sharedUnits: MIN_SHARED_UNITS });
    expect(report.reviewers?.length).toBe(12);
    // Severity from the additive model: an interval for everyone who shared interactions, and
    // a label only with enough of them and an interval clear of 0.
    let severities = 0;
    for (const r of report.reviewers ?? []) {
      for (const d of DIMENSIONS) {
        const s = r.severity[d];
        if (!s) continue;
        severities += 1;
        expect(s.ci95?.[0]).toBeLessThanOrEqual(s.severity);
        if (s.label) {
          expect(s.shared).toBeGreaterThanOrEqual(MIN_SHARED_UNITS);
          expect(s.label === "harsh" ? (s.ci95?.[1] ?? 0) < 0 : (s.ci95?.[0] ?? 0) > 0).toBe(true);
        }
      }
    }
    // Twelve reviewers sharing calibration copies: most have a severity on most dimensions.
    expect(severities).toBeGreaterThan(12);
    expect(report.severityModel?.map((m) => m.dimension)).toEqual([...DIMENSIONS]);
    // The same report a second time: the seeded bootstrap gives the same intervals.
    const again = (await (
      await api(`/api/calibration?from=${FROM}&to=${TO}`)
    ).json()) as CalibrationReport;
    expect(again.overall).toEqual(report.overall);
  });

  it("ranks agents by estimates pooled toward the vendor's agent mean, shown next to the raw ones", async () => {
    const table = (await (
      await api(`/api/agents?vendor=northwind-bpo&dimension=empathy&from=2026-10-01&to=2026-11-22`)
    ).json()) as { agents: AgentRow[]; pooling: AgentPooling | null };
    const shown = table.agents.filter((a) => a.status === "ok");
    expect(shown.length).toBeGreaterThanOrEqual(4);
    expect(table.pooling?.agents).toBe(shown.length);
    const mean = table.pooling?.mean ?? Number.NaN;
    expect(shown.map((a) => a.pooled?.rank).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      shown.map((_, i) => i + 1),
    );
    for (const a of table.agents) {
      if (a.status !== "ok") {
        expect(a.pooled).toBeNull();
        continue;
      }
      const p = a.pooled;
      if (!p) throw new Error(`agent ${a.agent} has no pooled estimate`);
      // Pulled toward the mean, never past it.
      expect(Math.abs(p.estimate - mean)).toBeLessThanOrEqual(Math.abs(a.estimate - mean) + 0.01);
      expect(p.ci95[0]).toBeLessThan(p.estimate);
      expect(p.ci95[1]).toBeGreaterThan(p.estimate);
    }
    const cli = await spotcheck([
      "agents",
      ..."--vendor northwind-bpo --dimension empathy --from 2026-10-01 --to 2026-11-22".split(" "),
    ]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(
      /pooled: each agent's estimate pulled toward the vendor's agent mean/,
    );
    const firstAgent = [...shown].sort((x, y) => (x.pooled?.rank ?? 0) - (y.pooled?.rank ?? 0))[0];
    expect(cli.stdout.split("\n").find((line) => /^\s*1\s/.test(line))).toContain(
      firstAgent?.agent,
    );
  });

  it("keeps vendor managers to their vendor and reviewers out, with clear 4xx answers", async () => {
    expect(
      (await api("/api/trends?vendor=northwind-bpo&dimension=empathy", "northwind")).status,
    ).toBe(200);
    const other = await api("/api/trends?vendor=meridian-cx&dimension=empathy", "northwind");
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toMatch(/only northwind-bpo/);
    const vendors = (await (await api("/api/vendors", "northwind")).json()) as {
      vendors: string[];
    };
    expect(vendors.vendors).toEqual(["northwind-bpo"]);
    const drift = (await (await api("/api/drift", "northwind")).json()) as { alerts: Alert[] };
    expect(drift.alerts.every((a) => a.vendor === "northwind-bpo")).toBe(true);
    const calibration = (await (await api("/api/calibration", "northwind")).json()) as {
      reviewers: unknown;
    };
    expect(calibration.reviewers).toBeNull();

    expect(
      (await api("/api/trends?vendor=northwind-bpo&dimension=empathy", "reviewer")).status,
    ).toBe(403);
    expect((await api("/api/trends?vendor=northwind-bpo&dimension=empathy", null)).status).toBe(
      401,
    );
    const bad = await api("/api/trends?vendor=northwind-bpo&dimension=kindness&granularity=hour");
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: Array<{ path: string }> };
    expect(body.fields.map((f) => f.path).sort()).toEqual(["dimension", "granularity"]);
    const backwards = await api(
      "/api/trends?vendor=northwind-bpo&dimension=empathy&from=2026-10-01&to=2026-09-01",
    );
    expect(backwards.status).toBe(400);
  });

  it("rollup sums equal the sums of the stored primary scores at their final weights", async () => {
    const items = await scanTable(stack);
    const primary = items.filter((i) => i.type === "score" && i.kind !== "calibration");
    const strata = items.filter((i) => String(i.pk).startsWith("ST#"));
    const agentWeekChannels = items.filter((i) => String(i.pk).startsWith("AWC#"));
    for (const d of DIMENSIONS) {
      let sw = 0;
      let n = 0;
      for (const s of primary) {
        const score = (s.scores as Record<string, { value?: number }>)[d];
        if (typeof score?.value !== "number") continue;
        sw += Number(s.weight);
        n += 1;
      }
      const rolledN = strata.reduce((acc, i) => acc + Number(i[`${d}_n`] ?? 0), 0);
      const rolledSw = strata.reduce((acc, i) => acc + Number(i[`${d}_sw`] ?? 0), 0);
      expect(rolledN).toBe(n);
      expect(rolledSw).toBeCloseTo(sw, 4);
      // The agent-week × channel rollups, the strata of the intervals, hold the same sums.
      const channelN = agentWeekChannels.reduce((acc, i) => acc + Number(i[`${d}_n`] ?? 0), 0);
      const channelSw = agentWeekChannels.reduce((acc, i) => acc + Number(i[`${d}_sw`] ?? 0), 0);
      expect(channelN).toBe(n);
      expect(channelSw).toBeCloseTo(sw, 4);
    }
  });
});
