/// <reference lib="dom" />
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { generateDemo } from "../../local/demo/generate";
import {
  httpTokenSource,
  simulatedReviewers,
  simulateReviews,
} from "../../local/demo/simulate-reviews";
import { closeEndedWeeks } from "../../local/runners/period-close";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { parsePolicy } from "../../shared/policy";
import { isoWeek, isoWeekStart } from "../../shared/time";
import { startTestStack } from "../integration/stack";
import { settle } from "../sampler/helpers";
import { launchChromium } from "./chromium";

const DAY_MS = 86_400_000;
const DEMO_WEEKS = 4;

/** One axe finding, as the test reports it. */
interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

let stack: LocalStack;
let browser: Browser;
let home: string;
let axeSource: string;
let managerToken: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-a11y-"));
  axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  const policy = parsePolicy({
    version: "a11y-test",
    defaultRate: 0.2,
    calibration: { fraction: 0.2, reviewers: 2 },
  });
  stack = await startTestStack({
    sampler: { policy, key: Buffer.alloc(32, 7) },
    reviewApi: { verify: devVerifier(dev), devIssuer: dev },
  });
  const thisMonday = isoWeekStart(isoWeek(new Date())).getTime();
  const start = new Date(thisMonday - DEMO_WEEKS * 7 * DAY_MS).toISOString().slice(0, 10);
  const demo = generateDemo({ days: DEMO_WEEKS * 7, seed: 7, perDay: 10, start });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
  await settle(stack);
  await closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy });
  await simulateReviews({
    baseUrl: stack.endpoints.web,
    token: httpTokenSource(stack.endpoints.web),
    manifest: demo.manifest,
    reviewers: simulatedReviewers(3, 7, 0.5),
    seed: 7,
    idlePollMs: 100,
  });
  // This week's interactions stay in the queue for the reviewer page.
  const today = new Date().toISOString().slice(0, 10);
  const more = generateDemo({ days: 1, seed: 8, perDay: 40, start: today });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, more.files);
  await settle(stack);
  managerToken = await issueDevToken(dev, { sub: "a11y-lead", role: "manager" });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

/** A page whose policy lets the test inject axe (the app's own scripts still carry nonces). */
async function openPage(width: number): Promise<Page> {
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width, height: 800 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** The serious and critical WCAG 2.1 A/AA findings of axe on the page as it is now. */
async function seriousFindings(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ content: axeSource });
  const findings = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: Finding[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return findings.filter((f) => f.impact === "serious" || f.impact === "critical");
}

async function signInAsManager(page: Page): Promise<void> {
  await page.goto(`${stack.endpoints.web}/dev/sign-in`);
  await page.evaluate((token) => sessionStorage.setItem("spotcheck.token", token), managerToken);
}

describe.each([1280, 390])("accessibility at %i px (axe, WCAG 2.1 AA)", (width) => {
  it("the local sign-in page has no serious or critical finding", async () => {
    const page = await openPage(width);
    await page.goto(`${stack.endpoints.web}/dev/sign-in`);
    await page.locator("#go").waitFor();
    expect(await seriousFindings(page)).toEqual([]);
    await page.context().close();
  });

  it("the reviewer page, with a task claimed, has no serious or critical finding", async () => {
    const page = await openPage(width);
    await page.goto(`${stack.endpoints.web}/dev/sign-in`);
    await page.fill("#sub", `a11y-reviewer-${width}`);
    await page.click("#go");
    await page.waitForURL("**/review");
    expect(await seriousFindings(page)).toEqual([]);
    await page.click("#claim");
    await page.locator(".turn").first().waitFor();
    await page.keyboard.press("2");
    await page.locator(".evidence").waitFor();
    expect(await seriousFindings(page)).toEqual([]);
    await page.context().close();
  });

  it("the dashboard, every panel drawn, has no serious or critical finding", async () => {
    const page = await openPage(width);
    await signInAsManager(page);
    await page.goto(`${stack.endpoints.web}/dashboard`);
    await page.locator("#charts .chart canvas").first().waitFor();
    await page.locator("#agentRows tr").first().waitFor();
    await page.locator("#channelsVerdict:not(:empty)").waitFor();
    await page.locator("#alphaRows tr").first().waitFor();
    expect(await seriousFindings(page)).toEqual([]);
    await page.context().close();
  });

  it("the local status page has no serious or critical finding", async () => {
    const page = await openPage(width);
    await page.goto(`${stack.endpoints.web}/`);
    await page.locator("#queues tr").first().waitFor();
    expect(await seriousFindings(page)).toEqual([]);
    await page.context().close();
  });
});
