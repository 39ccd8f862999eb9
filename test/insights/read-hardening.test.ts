import { join } from "node:path";
import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Alert,
  type AlertEvent,
  alertItem,
  MAX_ALERT_NOTES,
  putAlert,
} from "../../core/drift/alerts";
import type { CalibrationReport } from "../../core/insights/calibration";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import type { LocalStack } from "../../local/stack";
import { DIMENSIONS } from "../../shared/rubric";
import { krippendorffAlphaOrdinal } from "../../shared/stats/agreement";
import {
  calibrationKey,
  KEYS,
  ledgerKey,
  PERIOD,
  reviewerKey,
  scoreKey,
} from "../../shared/table-keys";
import { startTestStack } from "../integration/stack";
import { createSpotcheckHome, runSpotcheck, stopStackAndHome } from "../lib/cli";
import { scanTable } from "../sampler/helpers";

let home: string;
let stack: LocalStack;
let issue: (who: {
  sub: string;
  role: "reviewer" | "manager" | "admin";
  vendor?: string;
}) => Promise<string>;

beforeAll(async () => {
  home = await createSpotcheckHome("read-hardening");
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  stack = await startTestStack({
    writeEndpointsFile: true,
    reviewApi: { verify: devVerifier(dev) },
  });
  issue = (who) => issueDevToken(dev, who);
}, 120_000);

afterAll(() => stopStackAndHome(stack, home));

/** Runs `spotcheck <args>` against the test's stack, as a user would. */
function spotcheck(args: string[]) {
  return runSpotcheck(home, args);
}

const deps = () => ({ db: stack.clients.doc, table: stack.endpoints.table });

/** Stores an open alert of `vendor` straight in the table. */
async function openAlert(vendor: string, week: string): Promise<Alert> {
  const alert = await putAlert(deps(), {
    vendor,
    channel: "email",
    dimension: "empathy",
    week,
    state: "open",
    baseline: { estimate: 3.9, se: 0.1 },
    current: { estimate: 3.2, se: 0.12 },
    z: -4.1,
    ewmaZ: -3.3,
    pValue: 0.0002,
    detectedAt: "2026-11-30T06:00:00.000Z",
    weeksFlagged: 1,
    lastFlaggedWeek: week,
  });
  if (!alert) throw new Error(`the alert of ${vendor} ${week} exists already`);
  return alert;
}

/** A request as `sub` (a manager unless said otherwise), with its JSON body. */
async function call(
  path: string,
  who: { sub: string; role?: "reviewer" | "manager" | "admin"; vendor?: string },
  init: { method?: string; body?: unknown } = {},
) {
  const token = await issue({ role: "manager", ...who });
  const res = await fetch(`${stack.endpoints.web}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe("days that are not on the calendar", () => {
  const routes = [
    "/api/trends?vendor=northwind-bpo&dimension=empathy",
    "/api/channels?vendor=northwind-bpo&dimension=empathy",
    "/api/agents?vendor=northwind-bpo&dimension=empathy",
    "/api/calibration?vendor=northwind-bpo",
  ];
  const cases = routes.flatMap((route) =>
    ["2026-02-30", "0000-00-00", "2026-13-45"].flatMap((day) => [
      [route, "from", day] as const,
      [route, "to", day] as const,
    ]),
  );

  it.each(cases)("%s&%s=%s answers 400 naming the field", async (route, field, day) => {
    const { status, body } = await call(`${route}&${field}=${day}`, {
      sub: `calendar-${field}-${day}`,
    });
    expect(status).toBe(400);
    expect(body.fields).toEqual([
      {
        path: field,
        message: `${day} is not a calendar day (yyyy-mm-dd, 1970-01-01 to 9999-12-31)`,
      },
    ]);
  });

  it("still answers a real leap day", async () => {
    const { status, body } = await call(
      "/api/trends?vendor=northwind-bpo&dimension=empathy&granularity=day&from=2024-02-28&to=2024-03-01",
      { sub: "calendar-lead" },
    );
    expect(status).toBe(200);
    expect((body.points as Array<{ period: string }>).map((p) => p.period)).toEqual([
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
  });
});

describe("drift alert governance", () => {
  const nw = { sub: "nw-manager", vendor: "northwind-bpo" };
  const lead = { sub: "qa-lead" };
  const post = (id: string, action: string, who: typeof lead, body: unknown = {}) =>
    call(`/api/drift/${encodeURIComponent(id)}/${action}`, who, { method: "POST", body });
  const history = async (id: string, who: typeof lead): Promise<AlertEvent[]> => {
    const { body } = await call("/api/drift?vendor=northwind-bpo", who);
    return (body.alerts as Alert[]).find((a) => a.alertId === id)?.history ?? [];
  };

  it("lets only the QA team change an alert's state, and a vendor's manager respond", async () => {
    const alert = await openAlert("northwind-bpo", "2026-W47");

    for (const action of ["acknowledge", "resolve"]) {
      const refused = await post(alert.alertId, action, nw, { note: "handled on our side" });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatch(/only the QA team may .* an alert.*\/respond/);
    }
    expect(await history(alert.alertId, lead)).toEqual([]);

    const response = await post(alert.alertId, "respond", nw, { note: "  Retraining booked  " });
    expect(response.status).toBe(200);
    expect((response.body.alert as Alert).state).toBe("open");

    expect((await post(alert.alertId, "acknowledge", lead, { note: "seen" })).status).toBe(200);
    expect((await post(alert.alertId, "resolve", lead, { note: "back to baseline" })).status).toBe(
      200,
    );
    expect((await post(alert.alertId, "respond", nw, { note: "thanks" })).status).toBe(200);

    // Everyone who may read the alert sees the whole history, oldest first.
    for (const who of [nw, lead]) {
      const events = await history(alert.alertId, who);
      expect(events.map((e) => [e.action, e.state, e.by, e.vendor, e.note])).toEqual([
        ["note", "open", "nw-manager", "northwind-bpo", "Retraining booked"],
        ["acknowledged", "acknowledged", "qa-lead", undefined, "seen"],
        ["resolved", "resolved", "qa-lead", undefined, "back to baseline"],
        ["note", "resolved", "nw-manager", "northwind-bpo", "thanks"],
      ]);
    }

    // The CLI lists every note too, not only the last.
    const cli = await spotcheck(["drift", "list", "--vendor", "northwind-bpo"]);
    expect(cli.stderr).toBe("");
    for (const note of ["Retraining booked", "seen", "back to baseline", "thanks"])
      expect(cli.stdout).toContain(`: ${note}\n`);
    expect(cli.stdout).toMatch(/note by nw-manager \(northwind-bpo\): Retraining booked/);
    const csv = await spotcheck(["drift", "list", "--vendor", "northwind-bpo", "--format", "csv"]);
    expect(csv.stdout.split("\r\n")[0]).toMatch(/,notes$/);
    expect(csv.stdout).toMatch(
      /"[^"]*Retraining booked\n[^"]*seen\n[^"]*back to baseline\n[^"]*thanks"/,
    );
  });

  it("refuses other vendors, reviewers, empty notes and unknown alerts with clear 4xx", async () => {
    const other = await openAlert("meridian-cx", "2026-W47");
    const mine = await openAlert("northwind-bpo", "2026-W46");
    const refused = await post(other.alertId, "respond", nw, { note: "not ours" });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/only northwind-bpo/);
    expect(
      (
        await post(mine.alertId, "respond", { sub: "rev", role: "reviewer" } as typeof lead, {
          note: "x",
        })
      ).status,
    ).toBe(403);
    const empty = await post(mine.alertId, "respond", nw, { note: "   " });
    expect(empty.status).toBe(400);
    expect((empty.body.fields as Array<{ path: string }>).map((f) => f.path)).toEqual(["note"]);
    expect((await post(mine.alertId, "respond", nw, {})).status).toBe(400);

    // A well-formed id of no stored alert: 404, and the update did not create one.
    const ghost = Buffer.from(JSON.stringify(["northwind-bpo", "email#empathy#2026-W01"])).toString(
      "base64url",
    );
    const missing = await post(ghost, "respond", nw, { note: "hello?" });
    expect(missing.status).toBe(404);
    expect((await scanTable(stack)).filter((i) => i.sk === "email#empathy#2026-W01")).toEqual([]);
  });

  it(`takes at most ${MAX_ALERT_NOTES} notes per alert, and still changes of state`, async () => {
    const full = alertItem({
      vendor: "northwind-bpo",
      channel: "chat",
      dimension: "consistency",
      week: "2026-W45",
      state: "open",
      baseline: null,
      current: null,
      z: null,
      ewmaZ: null,
      pValue: 0.001,
      detectedAt: "2026-11-16T06:00:00.000Z",
      weeksFlagged: 1,
      lastFlaggedWeek: "2026-W45",
      history: Array.from({ length: MAX_ALERT_NOTES }, (_, i) => ({
        action: "note" as const,
        state: "open" as const,
        by: "nw-manager",
        vendor: "northwind-bpo",
        at: "2026-11-17T09:00:00.000Z",
        note: `note ${i}`,
      })),
    });
    await stack.clients.doc.send(new PutCommand({ TableName: stack.endpoints.table, Item: full }));
    const id = String(full.alertId);
    const over = await post(id, "respond", nw, { note: "one more" });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatch(`already has ${MAX_ALERT_NOTES} notes`);
    const resolved = await post(id, "resolve", lead, { note: "closing" });
    expect(resolved.status).toBe(200);
    expect((resolved.body.alert as Alert).history).toHaveLength(MAX_ALERT_NOTES + 1);
  });
});

describe("calibration reports over data that breaks the review rules", () => {
  const WEEK = "2026-W40";
  /** Scores as the review queue stores them; `values` per dimension, in rubric order. */
  const score = (
    id: string,
    task: string,
    reviewer: string,
    kind: string,
    values: number[],
    at: string,
  ) => ({
    ...scoreKey(id, task),
    type: "score",
    taskId: task,
    interactionId: id,
    reviewer,
    rubricVersion: "v1",
    kind,
    weight: 12.5,
    scores: Object.fromEntries(
      DIMENSIONS.map((d, i) => [
        d,
        { value: values[i], ...(Number(values[i]) <= 2 ? { evidence: ["t1"] } : {}) },
      ]),
    ),
    durationMs: 60_000,
    submittedAt: at,
    [KEYS.byPeriod.pk]: `REVIEWS#${reviewer}`,
    [KEYS.byPeriod.sk]: at,
  });
  const ledger = (id: string, tasks: string[]) => ({
    ...ledgerKey(id),
    type: "ledger",
    interactionId: id,
    vendor: "northwind-bpo",
    taskIds: tasks,
  });
  const mark = (id: string, task: string) => ({
    ...calibrationKey(WEEK, id, task),
    type: "calibration",
    interactionId: id,
    vendor: "northwind-bpo",
  });
  const reviewer = (sub: string) => ({
    ...reviewerKey(sub),
    reviewer: sub,
    reviews: 3,
    [KEYS.byPeriod.pk]: PERIOD.reviewers,
    [KEYS.byPeriod.sk]: sub,
  });

  beforeAll(async () => {
    const items = [
      // rev-a scored both the primary and the calibration copy of ix-dup: the rule broken.
      ledger("ix-dup", ["tk-dup-0", "tk-dup-1"]),
      score("ix-dup", "tk-dup-0", "rev-a", "random", [4, 4, 4], "2026-10-01T10:00:00.000Z"),
      score("ix-dup", "tk-dup-1", "rev-a", "calibration", [2, 2, 2], "2026-10-01T11:00:00.000Z"),
      mark("ix-dup", "tk-dup-1"),
      ledger("ix-ok", ["tk-ok-0", "tk-ok-1"]),
      score("ix-ok", "tk-ok-0", "rev-a", "random", [3, 3, 3], "2026-10-01T12:00:00.000Z"),
      score("ix-ok", "tk-ok-1", "rev-b", "calibration", [3, 4, 3], "2026-10-01T13:00:00.000Z"),
      mark("ix-ok", "tk-ok-1"),
      ledger("ix-ok2", ["tk-ok2-0", "tk-ok2-1"]),
      score("ix-ok2", "tk-ok2-0", "rev-b", "random", [5, 5, 4], "2026-10-02T10:00:00.000Z"),
      score("ix-ok2", "tk-ok2-1", "rev-c", "calibration", [4, 5, 4], "2026-10-02T11:00:00.000Z"),
      mark("ix-ok2", "tk-ok2-1"),
      // An empathy value no submission could carry.
      ledger("ix-bad", ["tk-bad-0", "tk-bad-1"]),
      score("ix-bad", "tk-bad-0", "rev-c", "random", [2, 3, 7], "2026-10-02T12:00:00.000Z"),
      score("ix-bad", "tk-bad-1", "rev-a", "calibration", [2, 3, 3], "2026-10-02T13:00:00.000Z"),
      mark("ix-bad", "tk-bad-1"),
      // Scores and a mark, but no ledger entry.
      score("ix-lost", "tk-lost-0", "rev-b", "random", [1, 2, 2], "2026-10-03T10:00:00.000Z"),
      score("ix-lost", "tk-lost-1", "rev-c", "calibration", [2, 2, 3], "2026-10-03T11:00:00.000Z"),
      mark("ix-lost", "tk-lost-1"),
      reviewer("rev-a"),
      reviewer("rev-b"),
      reviewer("rev-c"),
    ];
    for (let i = 0; i < items.length; i += 25)
      await stack.clients.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.endpoints.table]: items
              .slice(i, i + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
  });

  /** The units the report should use: each reviewer's first score, invalid values left out. */
  const expectedUnits: Array<Array<[string, number[]]>> = [
    [["rev-a", [4, 4, 4]]],
    [
      ["rev-a", [3, 3, 3]],
      ["rev-b", [3, 4, 3]],
    ],
    [
      ["rev-b", [5, 5, 4]],
      ["rev-c", [4, 5, 4]],
    ],
    [
      ["rev-c", [2, 3, Number.NaN]],
      ["rev-a", [2, 3, 3]],
    ],
    [
      ["rev-b", [1, 2, 2]],
      ["rev-c", [2, 2, 3]],
    ],
  ];

  it("counts a reviewer who scored two copies, bad values and lost ledgers, and still answers", async () => {
    for (const range of ["from=2026-09-28&to=2026-10-04", "from=2026-07-01&to=2026-12-01"]) {
      const { status, body } = await call(`/api/calibration?${range}`, { sub: "cal-lead" });
      expect(status).toBe(200);
      const report = body as unknown as CalibrationReport;
      expect(report.anomalies).toEqual({
        sameReviewerTwice: 1,
        invalidValues: 1,
        missingLedger: 1,
      });
      expect(report.anomalyExamples).toEqual(
        expect.arrayContaining([
          { anomaly: "sameReviewerTwice", interactionId: "ix-dup" },
          { anomaly: "invalidValues", interactionId: "ix-bad" },
          { anomaly: "missingLedger", interactionId: "ix-lost" },
        ]),
      );
      expect(report.interactions).toBe(5);
      DIMENSIONS.forEach((dimension, d) => {
        const expected = krippendorffAlphaOrdinal(
          expectedUnits.map((unit) =>
            unit.map(([, values]) => (Number.isNaN(values[d]) ? null : (values[d] ?? null))),
          ),
        );
        const got = report.overall.find((o) => o.dimension === dimension);
        expect(got?.units).toBe(expected.units);
        expect(got?.alpha).toBeCloseTo(expected.alpha ?? Number.NaN, 9);
      });
      // rev-a's severity rests on the units they shared with someone: ix-ok and ix-bad only.
      const revA = report.reviewers?.find((r) => r.reviewer === "rev-a");
      expect(revA?.severity.consistency?.shared).toBe(2);
    }
  });

  it("shows the anomalies to a vendor's manager without naming reviewers, and in the CLI", async () => {
    const { status, body } = await call("/api/calibration?from=2026-09-28&to=2026-10-04", {
      sub: "cal-nw",
      vendor: "northwind-bpo",
    });
    expect(status).toBe(200);
    expect(body.reviewers).toBeNull();
    expect(body.anomalies).toEqual({ sameReviewerTwice: 1, invalidValues: 1, missingLedger: 1 });

    const table = await spotcheck(["calibration", "--from", "2026-09-28", "--to", "2026-10-04"]);
    expect(table.stderr).toBe("");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /anomalies .*sameReviewerTwice 1, invalidValues 1, missingLedger 1/,
    );
    // Five calibrated interactions: alpha is shown, but no verdict on so few.
    expect(table.stdout).toMatch(/too few for a verdict/);
    expect(table.stdout).not.toMatch(/good agreement|recalibrate/);
    expect(table.stdout).toMatch(/a verdict needs 30 interactions scored by two or more reviewers/);
  });
});

describe("the cost of one read and of one user's reads", () => {
  const agents = "/api/agents?vendor=northwind-bpo&dimension=empathy";

  it("bounds the agent table and calibration report to 182 days, and each week's Queries", async () => {
    const wide = await call(`${agents}&from=2026-01-01&to=2026-07-03`, { sub: "range-lead" });
    expect(wide.status).toBe(400);
    expect(wide.body.error).toBe("the range is too long: at most 182 days here");
    const calibration = await call("/api/calibration?from=2024-10-01&to=2026-12-01", {
      sub: "range-lead",
    });
    expect(calibration.status).toBe(400);
    // A half-year: one Query per ISO week touched, 27 at most.
    const half = await call(`${agents}&from=2026-01-01&to=2026-07-02`, { sub: "range-lead" });
    expect(half.status).toBe(200);
    expect(half.body.requests).toBe(27);
    // Trends and channels cost one Query per channel, plus one for the vendor's agent-week ×
    // channel rollups (the stratified variance), whatever the range: 800 days stay.
    const trend = await call(
      "/api/trends?vendor=northwind-bpo&dimension=empathy&from=2024-10-01&to=2026-12-09",
      { sub: "range-lead" },
    );
    expect(trend.status).toBe(200);
    expect(trend.body.requests).toBe(6);
  });

  it("answers a user's reads beyond their budget with 429 JSON and Retry-After, never their claims", async () => {
    const admin = { sub: "limit-admin", role: "admin" as const };
    // 48 agent tables at 5 points each spend the 240 points of a minute.
    for (let i = 0; i < 48; i++) expect((await call(agents, admin)).status).toBe(200);
    for (const path of [agents, "/api/trends?vendor=northwind-bpo&dimension=empathy"]) {
      const refused = await call(path, admin);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.body).toMatchObject({ retryAfterSeconds: retryAfter });
      expect(refused.body.error).toMatch(/^too many requests: /);
    }
    // The reviewer side is not limited: the same admin still claims (an empty queue: 204).
    const token = await issue(admin);
    const claim = await fetch(`${stack.endpoints.web}/api/tasks/claim`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(claim.status).toBe(204);
    expect((await call("/api/me/reviews", admin)).status).toBe(200);
    // Nor is anyone else's reading.
    expect((await call(agents, { sub: "other-lead" })).status).toBe(200);
  });
});

describe("the OpenAPI document", () => {
  it("lists the note endpoint, the QA-only state changes and the read limit's 429", async () => {
    const doc = (await (await fetch(`${stack.endpoints.web}/api/openapi.json`)).json()) as {
      paths: Record<string, { get?: OpenApiOperation; post?: OpenApiOperation }>;
    };
    const respond = doc.paths["/api/drift/{id}/respond"]?.post;
    expect(respond?.requestBody?.content["application/json"]?.schema).toMatchObject({
      required: ["note"],
      properties: { note: { minLength: 1, maxLength: 500 } },
    });
    expect(Object.keys(respond?.responses ?? {})).toEqual(
      expect.arrayContaining(["200", "400", "403", "404", "429"]),
    );
    expect(doc.paths["/api/drift/{id}/acknowledge"]?.post?.responses["403"]?.description).toMatch(
      /only the QA team/,
    );
    for (const path of ["/api/trends", "/api/agents", "/api/calibration"])
      expect(doc.paths[path]?.get?.responses["429"]?.headers).toHaveProperty("Retry-After");
  });
});

interface OpenApiOperation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}
