// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { relative } from "node:path";
import { parseArgs } from "node:util";
import { listBucket } from "../core/audit/reconcile";
import { describeAlert } from "../core/drift/announce";
import { SpotcheckError } from "../shared/errors";
import { devVerifier, loadOrCreateDevIssuer } from "./auth/dev-issuer";
import { dataDirPath } from "./data-dir";
import { generateDemo } from "./demo/generate";
import { readSeededDemo, writeSeededDemo } from "./demo/simulate-reviews";
import { loadPolicy } from "./policy";
import { evaluateEndedWeeks } from "./runners/drift";
import { closeEndedWeeks } from "./runners/period-close";
import { loadOrCreateSamplingKey } from "./sampling-key";
import { type LocalStack, startLocalStack } from "./stack";
import { uploadAll } from "./upload";

const HELP = `Usage: npm start [-- options]

Starts the local Spotcheck stack: DynamoDB Local and fauxqs (S3 + SQS) on 127.0.0.1,
the table, queues and bucket of the CDK stack, demo data, and a status page. Its data is
kept in .local/data (SPOTCHECK_HOME/data) across restarts.

Options:
  --reset            delete the data kept from earlier runs and start over
  --no-seed          start without demo transcripts
  --days <n>         days of demo data (default 90)
  --per-day <n>      mean weekday interactions across all vendors (default 45, ~3,500 files)
  --seed <n>         demo random seed (default 7)
  -h, --help         show this help

Ports: SPOTCHECK_PORT (web, 4000), SPOTCHECK_AWS_PORT (S3+SQS, 4566),
SPOTCHECK_DYNAMODB_PORT (8000). Stop with Ctrl-C.`;

const DEMO_DEFAULTS = { days: "90", "per-day": "45", seed: "7" } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reset: { type: "boolean", default: false },
      "no-seed": { type: "boolean", default: false },
      days: { type: "string" },
      "per-day": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const days = positiveInt(values.days ?? DEMO_DEFAULTS.days, "--days");
  const perDay = positiveInt(values["per-day"] ?? DEMO_DEFAULTS["per-day"], "--per-day");
  const seed = positiveInt(values.seed ?? DEMO_DEFAULTS.seed, "--seed");
  const demoFlagsGiven =
    values.days !== undefined || values["per-day"] !== undefined || values.seed !== undefined;

  const t0 = performance.now();
  log("starting DynamoDB Local and fauxqs …");
  const [policy, key, dev] = await Promise.all([
    loadPolicy(),
    loadOrCreateSamplingKey(),
    loadOrCreateDevIssuer(),
  ]);
  const jobs = new Jobs();
  const stack = await startLocalStack({
    writeEndpointsFile: true,
    dataDir: dataDirPath(),
    reset: values.reset,
    phase: "starting",
    onWarning: log,
    onEventError: (error) => jobs.report(`event delivery: ${errorText(error)}`),
    reviewApi: {
      verify: devVerifier(dev),
      devIssuer: dev,
      limits: {
        maxClaims: policy.review.maxClaimsPerReviewer,
        maxLeaseSeconds: policy.review.maxLeaseMinutes * 60,
      },
    },
    sampler: {
      policy,
      key,
      onError: (error) => jobs.report(`sampler: ${errorText(error)} (the record will be retried)`),
    },
  });
  installShutdown(stack, jobs);
  const where = displayPath(stack.data.dir ?? dataDirPath());
  log(
    `resources created (${seconds(t0)} s): table ${stack.endpoints.table}, bucket ${stack.endpoints.bucket}, 4 queues`,
  );
  if (!stack.data.fresh) {
    const { objects, messages } = stack.data.restored;
    log(`data kept from the last run in ${where}: ${objects} objects, ${messages} queued messages`);
  }
  if (stack.data.recovered) {
    const { events, tasks } = stack.data.recovered;
    log(
      `the last run did not stop cleanly: queued ${events} objects for ingestion and ${tasks} review tasks again`,
    );
  }

  let demoFiles = 0;
  if (!values["no-seed"]) {
    const seeded = await readSeededDemo(stack.endpoints).catch(() => undefined);
    if (seeded?.complete) {
      demoFiles = generateDemo(seeded.options).files.length;
      const o = seeded.options;
      if (demoFlagsGiven && (o.days !== days || o.perDay !== perDay || o.seed !== seed)) {
        log(
          `keeping the demo seeded earlier (--days ${o.days} --per-day ${o.perDay} --seed ${o.seed}): add --reset to seed another`,
        );
      }
    } else if (!seeded && !stack.data.fresh) {
      log("the kept data was started without the demo (--no-seed): add --reset to seed it");
    } else {
      // A first start, or one whose seeding was cut short: (re)upload what is not there yet.
      const options = seeded?.options ?? { days, seed, perDay };
      const demo = generateDemo(options);
      demoFiles = demo.files.length;
      // `demo simulate-reviews` regenerates this exact manifest as its ground truth.
      await writeSeededDemo({ dataId: stack.data.id, complete: false, options });
      const present = stack.data.fresh
        ? new Set<string>()
        : new Set((await listBucket(stack.clients.s3, stack.endpoints.bucket)).map((o) => o.key));
      const files = demo.files.filter((file) => !present.has(file.key));
      stack.phase = "seeding";
      stack.seed = {
        state: "seeding",
        uploaded: demo.files.length - files.length,
        total: demoFiles,
      };
      log(
        `seeding ${files.length} demo transcripts (${options.days} days, seed ${options.seed}) …`,
      );
      try {
        await uploadAll(stack.clients.s3, stack.endpoints.bucket, files, {
          concurrency: 24,
          onProgress: (done) => {
            stack.seed.uploaded = demo.files.length - files.length + done;
          },
        });
        await stack.bridge.drain();
        await writeSeededDemo({ dataId: stack.data.id, complete: true, options });
        stack.seed.state = "done";
        log(`uploaded in ${seconds(t0)} s; the sampler is working through them …`);
      } catch (error) {
        stack.seed = { ...stack.seed, state: "failed", detail: errorText(error) };
        jobs.report(`seeding failed: ${errorText(error)}`);
      }
    }
    // Seeded by an earlier run: the status page shows it as seeded all the same.
    if (stack.seed.state === "off" && demoFiles > 0)
      stack.seed = { state: "done", uploaded: demoFiles, total: demoFiles };
  }

  // The sampler works through the objects as Lambda would; ready waits until it is done.
  stack.phase = "sampling";
  await stack.bridge.drain();
  await stack.sampler?.idle();
  if (stopping) return;
  log(`sampled in ${seconds(t0)} s; closing the ended weeks …`);
  // Period close runs on a schedule in AWS; here: now for every ended week, then every 10 min.
  stack.phase = "closing";
  const closed = await jobs.run("period close", async () => {
    const results = await closeEndedWeeks({
      clients: stack.clients,
      endpoints: stack.endpoints,
      policy,
    });
    const toppedUp = results.reduce((n, r) => n + r.toppedUp, 0);
    if (toppedUp > 0)
      log(`period close: ${toppedUp} floor top-ups over ${results.length} ended weeks`);
    return results.length;
  });
  jobs.every(
    600_000,
    "period close",
    () => closeEndedWeeks({ clients: stack.clients, endpoints: stack.endpoints, policy }),
    { now: false },
  );

  if (stopping) return;
  const status = await stack.status();
  const review = status.queues.find((q) => q.name === "review");
  const queued = (review?.visible ?? 0) + (review?.inFlight ?? 0);
  const t = status.sampling?.totals;
  stack.phase = "ready";
  const web = stack.endpoints.web;
  const lines = [
    `Spotcheck is ready in ${seconds(t0)} s: open ${web}  (reviewers: ${web}/review · managers: ${web}/dashboard · Ctrl-C to stop)`,
    `  ${status.objects} objects sampled: ${t?.ledger ?? 0} in the ledger, ${t?.quarantined ?? 0} quarantined, ${t?.duplicates ?? 0} duplicates; ${closed ?? 0} ended weeks closed; ${queued} tasks wait for review.`,
    stack.data.fresh
      ? `  Data: new, kept in ${where} across restarts ('npm start -- --reset' starts over).`
      : `  Data: kept from the last run in ${where} ('npm start -- --reset' starts over).`,
    demoFiles === 0
      ? "  Next: npm run spotcheck -- upload <folder>   (or: npm run spotcheck -- demo generate)"
      : queued > 0
        ? "  Next: npm run spotcheck -- demo simulate-reviews   (simulated reviewers score the queue)"
        : `  Next: open ${web}/dashboard as a manager: every task is scored`,
  ];
  process.stdout.write(`\n${lines.join("\n")}\n\n`);

  // The drift job runs weekly in AWS. Here it re-evaluates every ended week each 30 s, so
  // scores submitted now (by people or `demo simulate-reviews`) show up as alerts soon.
  jobs.every(30_000, "drift evaluation", () =>
    evaluateEndedWeeks({
      clients: stack.clients,
      endpoints: stack.endpoints,
      announce: (alert) => log(describeAlert(alert)),
    }),
  );
}

/**
 * The stack's background jobs: each runs alone (a tick that finds its previous run still
 * going is skipped), and `stop()` waits for the running ones, so that shutdown stops them
 * before the emulators they use.
 */
class Jobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;

  /** Runs `job` now; its failure is logged, not thrown. */
  async run<T>(name: string, job: () => Promise<T>): Promise<T | undefined> {
    if (this.stopping) return undefined;
    const task = job().catch((error: unknown) => {
      this.report(`${name} failed: ${errorText(error)}`);
      return undefined;
    });
    this.running.add(task);
    try {
      return await task;
    } finally {
      this.running.delete(task);
    }
  }

  /** Runs `job` every `ms` (and now, unless told not to), skipping a tick while it still runs. */
  every(
    ms: number,
    name: string,
    job: () => Promise<unknown>,
    options: { now: boolean } = { now: true },
  ): void {
    let busy = false;
    const timer = setInterval(async () => {
      if (busy || this.stopping) return;
      busy = true;
      await this.run(name, job);
      busy = false;
    }, ms);
    timer.unref();
    this.timers.push(timer);
    if (options.now) void this.run(name, job);
  }

  /** Logs a problem, unless the stack is stopping (then the emulators are going away). */
  report(line: string): void {
    if (!this.stopping) log(line);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.running]);
  }
}

/** Set once a signal asked the stack to stop; start-up then gives way to shutdown. */
let stopping = false;

function installShutdown(stack: LocalStack, jobs: Jobs): void {
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the local stack …`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    // Jobs first, then the stack: the sampler and web server before the queues are saved,
    // and DynamoDB Local last.
    void jobs
      .stop()
      .then(() => stack.stop())
      .then(() => process.exit(0));
  };
  // If whatever started us (npm, a terminal) dies without signalling, we are re-parented:
  // stop then too, so DynamoDB Local's Java process never outlives the stack.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent exited");
  }, 1_000).unref();
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new SpotcheckError(`${flag} takes a positive whole number, got '${text}'`);
  return n;
}

/** A path as the user would type it: relative to the working folder when inside it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const log = (line: string) => process.stderr.write(`spotcheck: ${line}\n`);

main().catch((error: unknown) => {
  // Start-up steps cut short by a shutdown fail as the emulators go; shutdown exits.
  if (stopping) return;
  // parseArgs reports an unknown or malformed flag with an ERR_PARSE_ARGS_* code.
  const usage = String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
  const message =
    error instanceof SpotcheckError || usage
      ? errorText(error)
      : `could not start the local stack: ${errorText(error)}`;
  process.stderr.write(`spotcheck: ${message.split("\n")[0]}\n`);
  process.exit(1);
});
