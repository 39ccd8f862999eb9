import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const SYNTH_TIMEOUT_MS = 120_000;

describe("cdk synth", () => {
  let outDir = "";

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), "spotcheck-synth-"));
  });

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it(
    "synthesizes Spotcheck-dev through the real CLI and cdk.json",
    async () => {
      // Throws (failing the test) on a non-zero exit; --no-notices and the telemetry opt-out
      // keep the CLI off the network.
      await run("npx", ["cdk", "synth", "--quiet", "--no-notices", "-o", outDir], {
        cwd: repoRoot,
        timeout: SYNTH_TIMEOUT_MS,
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: "true" },
      });

      const template: { Resources: Record<string, { Type: string }> } = JSON.parse(
        await readFile(join(outDir, "Spotcheck-dev.template.json"), "utf8"),
      );
      const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
      expect([...types]).toEqual(
        expect.arrayContaining([
          "AWS::S3::Bucket",
          "AWS::S3::BucketPolicy",
          "AWS::SQS::Queue",
          "AWS::SQS::QueuePolicy",
          "AWS::DynamoDB::GlobalTable",
          "AWS::Events::Rule",
        ]),
      );
    },
    SYNTH_TIMEOUT_MS + 30_000,
  );
});
