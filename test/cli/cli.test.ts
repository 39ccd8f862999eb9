import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack";
import { TranscriptSchema } from "../../shared/transcript";
import { startTestStack } from "../integration/stack";
import { repo, runSpotcheck } from "../lib/cli";

const fixtures = resolve(repo, "test/fixtures");
let home: string;

/** Runs `spotcheck <args>` as a user would (through tsx), never throwing on a non-zero exit. */
function spotcheck(args: string[], env: Record<string, string> = {}) {
  return runSpotcheck(home, args, { env, maxBuffer: 64 * 1024 * 1024 });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "spotcheck-cli-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("spotcheck normalize", () => {
  it("prints the canonical transcript of a Contact Lens export and nothing else", async () => {
    const { code, stdout, stderr } = await spotcheck([
      "normalize",
      join(fixtures, "contact-lens-voice.json"),
      "--vendor",
      "northwind-bpo",
      "--agent",
      "agt-0042",
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const transcript = TranscriptSchema.parse(JSON.parse(stdout));
    expect(transcript.interactionId).toBe("b4e2c9d1-6a7f-4c38-8e15-2f9a0d7b6c41");
    expect(transcript.vendor).toBe("northwind-bpo");
  });

  it.each([
    ["truncated JSON", '{"Transcript": [', /trunc\.json: unknown: \(document\): not valid JSON/],
    [
      "wrong types",
      JSON.stringify({ schemaVersion: 1, interactionId: 5 }),
      /wrong\.json: canonical: interactionId: /,
    ],
    ["no attribution", "FIXTURE", /contact-lens: vendor: no vendor/],
    ["binary", Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), /binary/],
  ])("exits 2 with one line on stderr for %s", async (name, content, pattern) => {
    const file = join(
      home,
      name === "truncated JSON"
        ? "trunc.json"
        : name === "wrong types"
          ? "wrong.json"
          : "input.json",
    );
    const body =
      content === "FIXTURE" ? await readFile(join(fixtures, "contact-lens-voice.json")) : content;
    await writeFile(file, body);
    const { code, stdout, stderr } = await spotcheck(["normalize", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  });

  it("refuses 20 MB of text with exit 2 and one line", async () => {
    const file = join(home, "huge.json");
    await writeFile(file, "x".repeat(20 * 1024 * 1024));
    const { code, stderr } = await spotcheck(["normalize", file]);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/huge\.json: unknown: \(document\): .*over the .*limit/);
  });
});

describe("spotcheck conventions", () => {
  it.each([[[]], [["normalize"]], [["demo", "generate"]], [["upload"]], [["status"]]])(
    "prints help for %j --help and exits 0",
    async (args) => {
      const { code, stdout } = await spotcheck([...args, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: spotcheck/);
    },
  );

  it("reports a missing local stack in one line and exits 1", async () => {
    const { code, stderr } = await spotcheck(["status"]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/no local stack found .*'npm start'/);
  });
});

describe("spotcheck refuses days and weeks that are not on the calendar", () => {
  // Each is refused before any stack is needed: without the check, a rolled-over day would
  // go on to look for a stack (exit 1) and an impossible one would crash (exit 1).
  it.each([
    [
      ["trends", "--vendor", "v", "--dimension", "empathy", "--from", "2026-02-30"],
      /from: 2026-02-30 is not a calendar day/,
    ],
    [
      ["channels", "--vendor", "v", "--dimension", "empathy", "--to", "0000-00-00"],
      /to: 0000-00-00 is not a calendar day/,
    ],
    [
      ["agents", "--vendor", "v", "--dimension", "empathy", "--to", "2026-13-45"],
      /to: 2026-13-45 is not a calendar day/,
    ],
    [
      ["calibration", "--from", "2026-04-31", "--to", "2026-05-02"],
      /from: 2026-04-31 is not a calendar day/,
    ],
    [
      ["sample", "verify", "--from", "2026-02-29", "--to", "2026-03-01"],
      /--from: 2026-02-29 is not a calendar day/,
    ],
    [
      ["reconcile", "--from", "2026-01-01", "--to", "0000-00-00"],
      /--to: 0000-00-00 is not a calendar day/,
    ],
    [["period", "close", "--week", "2025-W53"], /--week: 2025-W53 is not an ISO week/],
    [["drift", "run", "--week", "2026-W00"], /--week: 2026-W00 is not an ISO week/],
  ])("%j exits 2 with one line", async (args, pattern) => {
    const { code, stdout, stderr } = await spotcheck(args);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
    expect(code).toBe(2);
  });
});

describe("spotcheck with a stale endpoints file", () => {
  it("says the stack is no longer running", async () => {
    const stale = await mkdtemp(join(tmpdir(), "spotcheck-stale-"));
    try {
      const url = "http://127.0.0.1:1";
      await writeFile(
        join(stale, "endpoints.json"),
        JSON.stringify({
          pid: 2 ** 22 + 1,
          startedAt: new Date().toISOString(),
          region: "us-east-1",
          web: url,
          s3: url,
          sqs: url,
          dynamodb: url,
          dataId: "d",
          bucket: "b",
          table: "t",
          queues: { ingest: url, ingestDlq: url, review: url, reviewDlq: url },
        }),
      );
      const { code, stderr } = await spotcheck(["status"], { SPOTCHECK_HOME: stale });
      expect(code).toBe(1);
      expect(stderr).toMatch(/is no longer running: start it with 'npm start'/);
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  });
});

describe("spotcheck demo generate", () => {
  it("writes the same bytes for the same seed, and a manifest of planted effects", async () => {
    const a = join(home, "demo-a");
    const b = join(home, "demo-b");
    const first = await spotcheck([
      "demo",
      "generate",
      "--days",
      "10",
      "--seed",
      "7",
      "--out",
      a,
      "--format",
      "json",
    ]);
    await spotcheck(["demo", "generate", "--days", "10", "--seed", "7", "--out", b]);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as { files: number };
    expect(summary.files).toBeGreaterThan(100);
    const [ma, mb] = await Promise.all([
      readFile(join(a, "manifest.json"), "utf8"),
      readFile(join(b, "manifest.json"), "utf8"),
    ]);
    expect(ma).toBe(mb);
    const manifest = JSON.parse(ma) as { plantedEffects: Array<{ kind: string }> };
    expect(manifest.plantedEffects.map((e) => e.kind)).toContain("channel-inconsistency");
  });
});

describe("spotcheck upload and status against a running stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    process.env.SPOTCHECK_HOME = home;
    stack = await startTestStack({
      writeEndpointsFile: true,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    delete process.env.SPOTCHECK_HOME;
  });

  it("uploads a demo folder with its metadata and every object raises one ingest event", async () => {
    const dir = join(home, "demo-up");
    await spotcheck(["demo", "generate", "--days", "3", "--seed", "3", "--out", dir]);
    const metadata = JSON.parse(await readFile(join(dir, "metadata.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const { code, stderr } = await spotcheck(["upload", dir]);
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`uploaded ${Object.keys(metadata).length} objects`));
    await stack.bridge.drain();
    const status = await spotcheck(["status", "--format", "json"]);
    const counts = JSON.parse(status.stdout) as {
      objects: number;
      queues: Array<{ name: string; visible: number }>;
    };
    expect(counts.objects).toBe(Object.keys(metadata).length);
    expect(counts.queues.find((q) => q.name === "ingest")?.visible).toBe(counts.objects);
  });

  it("uploads a file over the emulator's 11 MiB request limit in parts, and says the sampler will refuse it", async () => {
    const file = join(home, "huge.json");
    const size = 12 * 1024 * 1024;
    await writeFile(file, Buffer.alloc(size, 0x20));
    const { code, stderr } = await spotcheck(["upload", file, "--prefix", "big/"]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/uploaded 1 objects/);
    expect(stderr).toMatch(/over the sampler's 5 MiB transcript limit and will be quarantined/);
    const head = await stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: stack.endpoints.bucket, Key: "big/huge.json" }),
    );
    expect(head.ContentLength).toBe(size);
    await stack.bridge.drain();
  });
});
