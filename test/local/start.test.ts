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

/**
 * Starts `npm start` in its own process group, as a terminal would, on free ports; in a new
 * SPOTCHECK_HOME unless `keepHome` (a restart).
 */
async function launch(args: string[], keepHome: boolean) {
  if (!keepHome || !home) home = await mkdtemp(join(tmpdir(), "spotcheck-start-"));
  const npm = spawn("npm", ["start", "--", ...args], {
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
  child = npm;
  const out = { stdout: "", stderr: "" };
  npm.stdout?.on("data", (c: Buffer) => {
    out.stdout += c.toString();
  });
  npm.stderr?.on("data", (c: Buffer) => {
    out.stderr += c.toString();
  });
  return { npm, output: () => out };
}

/** Polls `probe` every 100 ms until it returns a value; fails if npm exits or after 180 s. */
async function until<T>(
  started: { npm: ChildProcess; output: () => { stderr: string } },
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + 180_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (started.npm.exitCode !== null || performance.now() > deadline)
      throw new Error(`npm start did not get there: ${started.output().stderr.slice(-500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm start` until its ready line. */
async function npmStart(args: string[], options: { keepHome?: boolean } = {}) {
  const started = await launch(args, options.keepHome ?? false);
  const url = await until(started, async () => {
    const match = /Spotcheck is ready in [\d.]+ s: open (http:\/\/127\.0\.0\.1:\d+)/.exec(
      started.output().stdout,
    );
    return match?.[1];
  });
  const endpoints = EndpointsSchema.parse(
    JSON.parse(await readFile(join(home ?? "", "endpoints.json"), "utf8")),
  );
  return { url, endpoints, output: started.output };
}

/** `npm start` until `probe(url)` finds what it waits for, ready or not. */
async function npmStartUntil<T>(args: string[], probe: (url: string) => Promise<T | undefined>) {
  const started = await launch(args, true);
  const found = await until(started, async () => {
    const text = await readFile(join(home ?? "", "endpoints.json"), "utf8").catch(() => "");
    const parsed = EndpointsSchema.safeParse(text ? JSON.parse(text) : undefined);
    return parsed.success ? await probe(parsed.data.web) : undefined;
  });
  return { found, output: started.output };
}

/** Runs `spotcheck <args>` against the stack in `home`, never throwing on a non-zero exit. */
function spotcheck(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "cli/main.ts", ...args],
      { env: { ...process.env, SPOTCHECK_HOME: home }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        done({ code: error && typeof error.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

type Status = {
  phase: string;
  objects: number;
  seed: { state: string; total: number };
  queues: Array<{ name: string; visible: number; inFlight: number }>;
  sampling: { totals: { ledger: number; quarantined: number; sampled: number } };
};
const status = async (url: string) => (await (await fetch(`${url}/api/status`)).json()) as Status;
const depth = (s: Status, name: string) => {
  const q = s.queues.find((queue) => queue.name === name);
  return (q?.visible ?? 0) + (q?.inFlight ?? 0);
};

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
  it("is ready once the demo is sampled and closed; simulate-reviews then scores all of it; Ctrl-C leaves no process", async () => {
    const { url, endpoints, output } = await npmStart(["--days", "7", "--per-day", "20"]);
    expect(output().stdout).toMatch(/Data: new, kept in .*data across restarts/);
    expect(output().stdout).toMatch(/Next: npm run spotcheck -- demo simulate-reviews/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // Ready means every object is recorded, nothing waits for the sampler, and period close
    // has queued its floor top-ups.
    const ready = await status(url);
    expect(ready.phase).toBe("ready");
    expect(ready.seed.state).toBe("done");
    expect(ready.objects).toBe(ready.seed.total);
    expect(ready.objects).toBeGreaterThan(50);
    expect(ready.sampling.totals.ledger).toBe(ready.objects);
    expect(ready.sampling.totals.quarantined).toBe(0);
    expect(depth(ready, "ingest")).toBe(0);
    expect(depth(ready, "review")).toBeGreaterThan(ready.sampling.totals.sampled);

    // The README's next step scores every task that is queued.
    const simulated = await spotcheck(["demo", "simulate-reviews", "--format", "json"]);
    expect(simulated.code).toBe(0);
    const report = JSON.parse(simulated.stdout) as { total: { submitted: number } };
    expect(report.total.submitted).toBe(depth(ready, "review"));
    expect(depth(await status(url), "review")).toBe(0);

    const dynamoPort = new URL(endpoints.dynamodb).port;
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toHaveLength(1);
    const pid = child?.pid ?? 0;
    // Ctrl-C in a terminal sends SIGINT to the whole foreground process group.
    process.kill(-pid, "SIGINT");
    if (child) await exited(child);
    await waitUntilGone(`DynamoDBLocal.jar.*-port ${dynamoPort}`, pid);
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toEqual([]);
    expect(await groupMembers(pid)).toEqual([]);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(readFile(join(home ?? "", "endpoints.json"))).rejects.toThrow();
  }, 300_000);

  it("keeps its data when the stack is killed outright, takes DynamoDB Local along, and starts over with --reset", async () => {
    const first = await npmStart(["--days", "7", "--per-day", "20"]);
    const before = await status(first.url);
    const dynamoPort = new URL(first.endpoints.dynamodb).port;
    // A crash: the Node.js process dies at once, without a chance to stop anything.
    const { stdout: node } = await run("pgrep", ["-P", String(child?.pid ?? 0)]);
    process.kill(Number(node.trim().split("\n")[0]), "SIGKILL");
    await waitUntilGone(`DynamoDBLocal.jar.*-port ${dynamoPort}`, child?.pid ?? 0);
    expect(await processesMatching(`DynamoDBLocal.jar.*-port ${dynamoPort}`)).toEqual([]);

    const second = await npmStart([], { keepHome: true });
    expect(second.output().stdout).toMatch(/Data: kept from the last run in /);
    expect(second.output().stderr).toMatch(/the last run did not stop cleanly/);
    const after = await status(second.url);
    expect(after.objects).toBe(before.objects);
    expect(after.sampling.totals).toEqual(before.sampling.totals);
    expect(depth(after, "review")).toBe(depth(before, "review"));
    const day = new Date().toISOString().slice(0, 10);
    const reconciled = await spotcheck(["reconcile", "--from", day, "--to", day]);
    expect(reconciled.code).toBe(0);
    child?.kill("SIGTERM");
    if (child) await exited(child);

    const third = await npmStart(["--reset", "--no-seed"], { keepHome: true });
    expect(third.output().stdout).toMatch(/Data: new, kept in /);
    expect((await status(third.url)).objects).toBe(0);
  }, 400_000);

  it("on Ctrl-C while sampling, stops the sampler before DynamoDB Local, and the next start finishes the work", async () => {
    home = await mkdtemp(join(tmpdir(), "spotcheck-start-"));
    const first = await npmStartUntil(["--days", "14", "--per-day", "45"], async (url) => {
      const s = await status(url).catch(() => undefined);
      return s?.seed.state === "done" && s.sampling.totals.ledger < s.seed.total ? s : undefined;
    });
    expect(first.found.sampling.totals.ledger).toBeLessThan(first.found.seed.total);
    const pid = child?.pid ?? 0;
    const cut = first.output().stderr.length;
    process.kill(-pid, "SIGINT");
    if (child) expect(await exited(child)).toBe(0);
    // Nothing failed on the way down: the sampler stopped while DynamoDB Local still ran.
    expect(first.output().stderr.slice(cut)).not.toMatch(/sampler:|failed|ECONNREFUSED/);

    const second = await npmStart([], { keepHome: true });
    const done = await status(second.url);
    expect(done.objects).toBe(first.found.seed.total);
    expect(done.sampling.totals.ledger).toBe(done.objects);
  }, 400_000);

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
