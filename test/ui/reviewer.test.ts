/// <reference lib="dom" />
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devVerifier, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { generateDemo } from "../../local/demo/generate";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { parsePolicy } from "../../shared/policy";
import { startTestStack } from "../integration/stack";
import { settle } from "../sampler/helpers";
import { launchChromium } from "./chromium";

/** Debian's Chromium, installed by .ci/run; playwright-core never downloads a browser. */

let stack: LocalStack;
let browser: Browser;
let home: string;

const hostile = {
  schemaVersion: 1,
  interactionId: "int-hostile-1",
  vendor: "evil-corp",
  agent: "agt-666",
  channel: "chat",
  language: "en-US",
  startedAt: "2026-11-02T10:00:00Z",
  endedAt: "2026-11-02T10:05:00Z",
  turns: [
    {
      id: "t1",
      role: "customer",
      text: "<script>window.__xss = 1</script>my order is late",
      at: "2026-11-02T10:00:00Z",
    },
    {
      id: "t2",
      role: "agent",
      text: '<img src=x onerror="window.__xss = 2">Sorry about that, let me check.',
      at: "2026-11-02T10:01:00Z",
    },
  ],
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-ui-"));
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  // Everything is sampled, so the queue order is the upload order.
  const policy = parsePolicy({ version: "ui-test", defaultRate: 1 });
  stack = await startTestStack({
    sampler: { policy, key: randomBytes(32) },
    reviewApi: { verify: devVerifier(dev), devIssuer: dev },
  });
  await stack.s3Put("hostile/int-hostile-1.json", JSON.stringify(hostile), {});
  await settle(stack);
  await uploadAll(
    stack.clients.s3,
    stack.endpoints.bucket,
    generateDemo({ days: 1, seed: 3, perDay: 4 }).files.slice(0, 3),
  );
  await settle(stack);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("reviewer UI in Chromium", () => {
  it("signs in, claims, shows hostile text as text, scores with the keyboard, submits and moves on", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    const dialogs: string[] = [];
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`${stack.endpoints.web}/review`);
    await page.waitForURL("**/dev/sign-in");
    await page.fill("#sub", "ui-reviewer");
    await page.click("#go");
    await page.waitForURL("**/review");

    await page.keyboard.press("c");
    await page.locator(".turn").first().waitFor();
    const texts = await page.locator(".turn .text").allTextContents();
    expect(texts[0]).toBe("<script>window.__xss = 1</script>my order is late");
    expect(texts[1]).toContain('<img src=x onerror="window.__xss = 2">');
    expect(
      await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(await page.locator(".turns img, .turns script").count()).toBe(0);

    await page.keyboard.press("4");
    await page.keyboard.press("5");
    await page.keyboard.press("3");
    await expect.poll(() => page.locator('button[aria-pressed="true"]').count()).toBe(3);
    await page.keyboard.press("Enter");
    // Submitting loads the next task straight away.
    await expect
      .poll(async () => (await page.locator(".turn .text").first().textContent()) ?? "")
      .not.toContain("<script>");
    expect(dialogs).toEqual([]);

    // The score panel at its tallest (every dimension a 2, each with its evidence line): Submit
    // is still on screen without scrolling, because the action bar sticks to the viewport.
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("2");
      await page.locator(".turn.agent").first().click();
      await page.keyboard.press("ArrowDown");
    }
    await expect.poll(() => page.locator(".evidence", { hasText: "Evidence:" }).count()).toBe(3);
    const submit = await page.locator("#submit").boundingBox();
    if (!submit) throw new Error("the Submit button is not rendered");
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(submit.y).toBeGreaterThanOrEqual(0);
    expect(submit.y + submit.height).toBeLessThanOrEqual(800);

    const token = await page.evaluate(() => sessionStorage.getItem("spotcheck.token"));
    const mine = (await (
      await fetch(`${stack.endpoints.web}/api/me/reviews`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      reviews: Array<{ interactionId: string; scores: Record<string, { value?: number }> }>;
    };
    expect(mine.reviews[0]?.interactionId).toBe("int-hostile-1");
    expect(mine.reviews[0]?.scores.consistency?.value).toBe(4);
    expect(mine.reviews[0]?.scores.empathy?.value).toBe(3);
    await page.close();
  });

  it("is usable on a phone-width screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.endpoints.web}/dev/sign-in`);
    await page.fill("#sub", "phone-reviewer");
    await page.click("#go");
    await page.waitForURL("**/review");
    await page.click("#claim");
    await page.locator(".turn").first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(await page.locator("#submit").isVisible()).toBe(true);
    await page.close();
  });

  it("tells the reviewer when the lease has expired and keeps nothing of the stale score", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.endpoints.web}/dev/sign-in`);
    await page.fill("#sub", "late-reviewer");
    await page.click("#go");
    await page.waitForURL("**/review");
    await page.click("#claim");
    await page.locator(".turn").first().waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem("spotcheck.token"));
    const { reviews: before } = (await (
      await fetch(`${stack.endpoints.web}/api/me/reviews`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { reviews: unknown[] };
    // Let the lease run out: the server's clock check is what an expired lease meets.
    const taskId = await page.evaluate(
      () => document.querySelector(".meta")?.getAttribute("data-task") ?? "",
    );
    await stack.clients.doc.send(
      new UpdateCommand({
        TableName: stack.endpoints.table,
        Key: { pk: `TASK#${taskId}`, sk: "META" },
        UpdateExpression: "SET #lease = :past",
        ExpressionAttributeNames: { "#lease": "leaseExpiresAt" },
        ExpressionAttributeValues: { ":past": new Date(Date.now() - 1_000).toISOString() },
      }),
    );
    await page.keyboard.press("5");
    await page.keyboard.press("5");
    await page.keyboard.press("5");
    await page.keyboard.press("Enter");
    await page.getByText(/lease on task .* has expired/).waitFor();
    expect(await page.locator("#review").isHidden()).toBe(true);
    const { reviews: after } = (await (
      await fetch(`${stack.endpoints.web}/api/me/reviews`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { reviews: unknown[] };
    expect(after).toHaveLength(before.length);
    await page.close();
  });
});
