import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { EndpointsSchema } from "../../local/endpoints";

const run = promisify(execFile);
let home: string | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid, "SIGKILL");
  }
  if (home) await rm(home, { recursive: true, force: true });
});

/** Starts `npm start` in its own process group, as a terminal would, on free ports. */
async function npmStart(args: string[]) {
  home = await mkdtemp(join(tmpdir(), "spotcheck-start-"));
  child = spawn("npm", ["start", "--", ...args], {
    detached: true,
    env: {
      ...process.env,
      SPOTCHECK_HOME: home,
      SPOTCHECK_PORT: "0",
      SPOTCHECK_AWS_PORT: "0",
      SPOTCHECK_DYNAMODB_PORT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const started = performance.now();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Spotcheck is ready in [\d.]+ s: open (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      } else if (child?.exitCode !== null || performance.now() - started > 90_000) {
        clearInterval(timer);
        reject(new Error(`npm start did not become ready: ${stderr.slice(-500)}`));
      }
    }, 100);
  });
  const endpoints = EndpointsSchema.parse(
    JSON.parse(await readFile(join(home, "endpoints.json"), "utf8")),
  );
  return { url, endpoints, output: () => ({ stdout, stderr }) };
}

/** Processes still alive whose command line mentions `needle`. */
async function processesMatching(needle: string): Promise<string[]> {
  try {
    const { stdout } = await run("pgrep", ["-af", needle]);
    return stdout
      .trim()
      .split("\n")
      .filter((l) => l && !l.includes("pgrep"));
  } catch {
    return [];
  }
}

/** Polls until no process matches `needle` and process group `pgid` is empty, for at most 30 s. */
async function waitUntilGone(needle: string, pgid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  const alive = async () =>
    (await processesMatching(needle)).length + (await groupMembers(pgid)).length;
  while ((await alive()) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes still alive in process group `pgid`. */
async function groupMembers(pgid: number): Promise<string[]> {
  try {
    const { stdout } = await run("pgrep", ["-g", String(pgid)]);
    return stdout.trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

async function exited(process: ChildProcess): Promise<number | null> {
  if (process.exitCode !== null || process.signalCode !== null) return process.exitCode;
  return await new Promise((resolve) => process.once("exit", (code) => resolve(code)));
}

describe("npm start", () => {
  it("seeds demo data, serves /healthz and the status page, and Ctrl-C leaves no process behind", async () => {
    const { url, endpoints } = await npmStart(["--days", "7", "--per-day", "20"]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    type Status = {
      objects: number;
      seed: { state: string; total: number };
      sampling: { totals: { ledger: number; quarantined: number; sampled: number } };
    };
    const status = (await (await fetch(`${url}/api/status`)).json()) as Status;
    expect(status.seed.state).toBe("done");
    expect(status.objects).toBe(status.seed.total);
    expect(status.objects).toBeGreaterThan(50);
    // The sampler works through the seed in the background; every object reaches the ledger.
    let sampled = status;
    const deadline = Date.now() + 60_000;
    while (sampled.sampling.totals.ledger < status.objects && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      sampled = (await (await fetch(`${url}/api/status`)).json()) as Status;
    }
    expect(sampled.sampling.totals.ledger).toBe(status.objects);
    expect(sampled.sampling.totals.quarantined).toBe(0);
    expect(sampled.sampling.totals.sampled).toBeGreaterThan(0);

    const dynamoPort = new URL(endpoints.dynamodb).port;
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toHaveLength(1);
    const pid = child?.pid ?? 0;
    // Ctrl-C in a terminal sends SIGINT to the whole foreground process group.
    process.kill(-pid, "SIGINT");
    if (child) await exited(child);
    await new Promise((r) => setTimeout(r, 500));
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toEqual([]);
    expect(await groupMembers(pid)).toEqual([]);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(readFile(join(home ?? "", "endpoints.json"))).rejects.toThrow();
  }, 120_000);

  it("stops every child when only the top process gets SIGTERM", async () => {
    const { endpoints } = await npmStart(["--no-seed"]);
    const dynamoPort = new URL(endpoints.dynamodb).port;
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toHaveLength(1);
    child?.kill("SIGTERM");
    if (child) await exited(child);
    await waitUntilGone(`DynamoDBLocal.jar.*-port ${dynamoPort}`, child?.pid ?? 0);
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toEqual([]);
    expect(await groupMembers(child?.pid ?? 0)).toEqual([]);
  }, 120_000);

  it("stops the stack when npm itself is killed outright", async () => {
    const { endpoints } = await npmStart(["--no-seed"]);
    const dynamoPort = new URL(endpoints.dynamodb).port;
    child?.kill("SIGKILL");
    await waitUntilGone(`DynamoDBLocal.jar.*-port ${dynamoPort}`, child?.pid ?? 0);
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toEqual([]);
    expect(await groupMembers(child?.pid ?? 0)).toEqual([]);
  }, 120_000);
});
