/// <reference lib="dom" />
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack";
import { startTestStack } from "../integration/stack";
import { launchChromium } from "./chromium";

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("local status page in Chromium", () => {
  it("renders the stack's queues and endpoints from its bundle under the page's policy", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const refused: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${stack.endpoints.web}/`);
    await page.locator("#queues tr").first().waitFor();
    expect(await page.locator("#endpoints").textContent()).toContain(stack.endpoints.web);
    expect(await page.locator("#sampling-hint").textContent()).toBe(
      "The sampler is not running in this stack.",
    );
    expect(await page.locator("#state").textContent()).not.toBe("connecting…");
    expect(refused).toEqual([]);
    await page.close();
  });

  it("fits a phone-width screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.endpoints.web}/`);
    await page.locator("#queues tr").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.close();
  });
});
