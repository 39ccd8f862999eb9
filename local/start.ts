// Local tools run on Node 20; the SDK's notice that its 2027 releases need Node 22 is not for users here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { parseArgs } from "node:util";
import { describeAlert } from "../functions/drift/announce";
import { SpotcheckError } from "../shared/errors";
import { devVerifier, loadOrCreateDevIssuer } from "./auth/dev-issuer";
import { generateDemo } from "./demo/generate";
import { writeSeededDemo } from "./demo/simulate-reviews";
import { loadPolicy } from "./policy";
import { evaluateEndedWeeks } from "./runners/drift";
import { closeEndedWeeks } from "./runners/period-close";
import { loadOrCreateSamplingKey } from "./sampling-key";
import { type LocalStack, startLocalStack } from "./stack";
import { uploadAll } from "./upload";

const HELP = `Usage: npm start [-- options]

Starts the local Spotcheck stack: DynamoDB Local and fauxqs (S3 + SQS) on 127.0.0.1,
the table, queues and bucket of the CDK stack, demo data, and a status page.

Options:
  --no-seed          start empty (no demo transcripts)
  --days <n>         days of demo data (default 90)
  --per-day <n>      mean weekday interactions across all vendors (default 45, ~3,500 files)
  --seed <n>         demo random seed (default 7)
  -h, --help         show this help

Ports: SPOTCHECK_PORT (web, 4000), SPOTCHECK_AWS_PORT (S3+SQS, 4566),
SPOTCHECK_DYNAMODB_PORT (8000). Stop with Ctrl-C.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "no-seed": { type: "boolean", default: false },
      days: { type: "string", default: "90" },
      "per-day": { type: "string", default: "45" },
      seed: { type: "string", default: "7" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const days = positiveInt(values.days, "--days");
  const perDay = positiveInt(values["per-day"], "--per-day");
  const seed = positiveInt(values.seed, "--seed");

  const t0 = performance.now();
  log("starting DynamoDB Local and fauxqs …");
  const [policy, key, dev] = await Promise.all([
    loadPolicy(),
    loadOrCreateSamplingKey(),
    loadOrCreateDevIssuer(),
  ]);
  const stack = await startLocalStack({
    writeEndpointsFile: true,
    onEventError: (error) => log(`event delivery failed: ${errorText(error)}`),
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
      onError: (error) => log(`sampler: ${errorText(error)} (the record will be retried)`),
    },
  });
  installShutdown(stack);
  log(
    `resources created (${seconds(t0)} s): table ${stack.endpoints.table}, bucket ${stack.endpoints.bucket}, 4 queues`,
  );

  if (!values["no-seed"]) {
    const demo = generateDemo({ days, seed, perDay });
    // `demo simulate-reviews` regenerates this exact manifest as its ground truth.
    await writeSeededDemo({
      pid: process.pid,
      startedAt: stack.endpoints.startedAt,
      options: { days, seed, perDay },
    }).catch((error: unknown) => log(`could not record the demo options: ${errorText(error)}`));
    stack.seed = { state: "seeding", uploaded: 0, total: demo.files.length };
    log(`seeding ${demo.files.length} demo transcripts (${days} days, seed ${seed}) …`);
    try {
      await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files, {
        concurrency: 24,
        onProgress: (done) => {
          stack.seed.uploaded = done;
        },
      });
      await stack.bridge.drain();
      stack.seed.state = "done";
    } catch (error) {
      stack.seed = { ...stack.seed, state: "failed", detail: errorText(error) };
      log(`seeding failed: ${errorText(error)}`);
    }
  }
  process.stdout.write(
    `\nSpotcheck is ready in ${seconds(t0)} s: open ${stack.endpoints.web}  (reviewers: ${stack.endpoints.web}/review · managers: ${stack.endpoints.web}/dashboard · Ctrl-C to stop)\n`,
  );
  // The sampler works through the seeded objects in the background, as Lambda would.
  await stack.sampler?.idle();
  const { objects, sampling } = await stack.status();
  if (sampling) {
    const t = sampling.totals;
    log(
      `sampled in ${seconds(t0)} s: ${objects} objects → ${t.ledger} in the ledger (${t.sampled} sampled for review), ${t.quarantined} quarantined, ${t.duplicates} duplicates (policy ${policy.version})`,
    );
  }
  // Period close runs on a schedule in AWS; here: now for every ended week, then every 10 min.
  const closePeriods = async () => {
    try {
      const results = await closeEndedWeeks({
        clients: stack.clients,
        endpoints: stack.endpoints,
        policy,
      });
      const toppedUp = results.reduce((n, r) => n + r.toppedUp, 0);
      if (toppedUp > 0)
        log(`period close: ${toppedUp} floor top-ups over ${results.length} ended weeks`);
    } catch (error) {
      log(`period close failed: ${errorText(error)}`);
    }
  };
  await closePeriods();
  setInterval(closePeriods, 600_000).unref();
  // The drift job runs weekly in AWS. Here it re-evaluates every ended week each 30 s, so
  // scores submitted now (by people or `demo simulate-reviews`) show up as alerts soon.
  let evaluating = false;
  const evaluateDrift = async () => {
    if (evaluating) return;
    evaluating = true;
    try {
      await evaluateEndedWeeks({
        clients: stack.clients,
        endpoints: stack.endpoints,
        announce: (alert) => log(describeAlert(alert)),
      });
    } catch (error) {
      log(`drift evaluation failed: ${errorText(error)}`);
    } finally {
      evaluating = false;
    }
  };
  await evaluateDrift();
  setInterval(evaluateDrift, 30_000).unref();
}

function installShutdown(stack: LocalStack): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the local stack …`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void stack.stop().then(() => process.exit(0));
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

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const log = (line: string) => process.stderr.write(`spotcheck: ${line}\n`);

main().catch((error: unknown) => {
  // parseArgs reports an unknown or malformed flag with an ERR_PARSE_ARGS_* code.
  const usage = String((error as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
  const message =
    error instanceof SpotcheckError || usage
      ? errorText(error)
      : `could not start the local stack: ${errorText(error)}`;
  process.stderr.write(`spotcheck: ${message.split("\n")[0]}\n`);
  process.exit(1);
});
