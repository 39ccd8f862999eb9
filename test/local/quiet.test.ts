import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { generateDemo } from "../../local/demo/generate";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { startTestStack } from "../integration/stack";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

it("seeds a demo through the stack without the SDK's socket warning reaching the terminal", async () => {
  const warn = vi.spyOn(console, "warn");
  try {
    const demo = generateDemo({ days: 30, seed: 9, perDay: 45 });
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, { concurrency: 24 });
    await stack.bridge.drain();
    expect(stack.bridge.stats.delivered).toBe(demo.files.length);
    const warnings = warn.mock.calls.map((args) => args.map(String).join(" "));
    expect(warnings.filter((w) => /socket usage at capacity/.test(w))).toEqual([]);
  } finally {
    warn.mockRestore();
  }
}, 120_000);
