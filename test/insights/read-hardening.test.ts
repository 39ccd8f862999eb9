import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { type LocalStack, startLocalStack } from "../../local/stack";

let home: string;
let stack: LocalStack;
let issue: (who: {
  sub: string;
  role: "reviewer" | "manager" | "admin";
  vendor?: string;
}) => Promise<string>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-read-hardening-"));
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  stack = await startLocalStack({
    ports: { web: 0, aws: 0, dynamodb: 0 },
    reviewApi: { verify: devVerifier(dev) },
  });
  issue = (who) => issueDevToken(dev, who);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

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
