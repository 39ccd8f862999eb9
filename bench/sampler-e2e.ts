import { createHash } from "node:crypto";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { queryPeriodPartition } from "../core/db/query-partition";
import { newTaskId } from "../core/db/task-id";
import { ledgerTransaction } from "../core/sampler/ingest";
import { destroyClients, type LocalClients, localClients } from "../local/clients";
import { type DemoFile, generateDemo } from "../local/demo/generate";
import { loadPolicy } from "../local/policy";
import { createTableInput } from "../local/provision";
import { closeEndedWeeks } from "../local/runners/period-close";
import { startLocalSampler } from "../local/runners/sampler";
import { startLocalStack } from "../local/stack";
import { uploadAll } from "../local/upload";
import { normalize } from "../shared/importers";
import { rateFor, type SamplingPolicy } from "../shared/policy";
import { decide, plannedTasks } from "../shared/sampling";
import { PERIOD } from "../shared/table-keys";
import type { Task } from "../shared/task";
import { isoWeek } from "../shared/time";
import type { Channel } from "../shared/transcript";

/** Public on-demand prices (us-east-1, USD) used for the cost model. */
const PRICES = {
  s3GetPer1k: 0.0004,
  dynamoWritePerMillionWru: 0.625,
  dynamoReadPerMillionRru: 0.125,
  sqsPerMillionRequests: 0.4,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
};

type Counts = Record<string, number>;

/** Counts every SDK call a client makes, by operation, with a middleware. */
function countCalls(clients: LocalClients): Counts {
  const counts: Counts = {};
  for (const client of [clients.s3, clients.sqs, clients.dynamodb]) {
    // The clients' stacks have different type parameters; the middleware uses none of them.
    const stack = client.middlewareStack as unknown as {
      add(middleware: unknown, options: object): void;
    };
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: unknown) => {
          const name = String(context.commandName ?? "unknown").replace(/Command$/, "");
          counts[name] = (counts[name] ?? 0) + 1;
          return next(args);
        },
      { step: "initialize", name: "spotcheckCallCounter" },
    );
  }
  return counts;
}

const perThousand = (counts: Counts, n: number) =>
  Object.fromEntries(
    Object.entries(counts)
      .sort()
      .map(([op, c]) => [op, Math.round((c * 1000 * 100) / n) / 100]),
  );

/**
 * The sampler end to end on the local stack: `n` demo transcripts already queued as Object
 * Created events, drained by the real batch handler through the local event-source runner.
 * Compared, against the same emulators, with a minimal script that makes only the
 * unavoidable calls (1 GET and 1 transaction per transcript, SendMessageBatch for tasks).
 */
export async function samplerEndToEnd(n: number) {
  const policy = await loadPolicy();
  // A fixed key keeps the sample, and so the accuracy figures, reproducible run to run.
  const key = createHash("sha256").update("spotcheck-bench").digest();
  const stack = await startLocalStack({ ports: { web: 0, aws: 0, dynamodb: 0 } });
  try {
    const perDay = Math.ceil(n / 70);
    const files = generateDemo({ days: 90, seed: 7, perDay }).files.slice(0, n);
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, files, { concurrency: 24 });
    await stack.bridge.drain();

    // 0. DynamoDB Local's JVM runs several times faster once warm: warm it up first, so neither
    //    measured run pays for that.
    const prepare = (table: string) =>
      prepareMinimal(files.slice(0, Math.min(files.length, 2_000)), table, policy, key);
    const warm = localClients(stack.endpoints);
    await createTwin(warm, "bench-warmup");
    await runMinimal(warm, stack.endpoints.bucket, prepare("bench-warmup"), undefined);
    destroyClients(warm);

    // 1. The minimal script: same objects, same transaction payloads, into a twin table. It
    //    runs first, so the sampler, not the baseline, works against the larger database.
    const minimal = localClients(stack.endpoints);
    await createTwin(minimal, "bench-minimal");
    const queue = await minimal.sqs.send(new CreateQueueCommand({ QueueName: "bench-minimal" }));
    const prepared = prepareMinimal(files, "bench-minimal", policy, key);
    const minimalCalls = countCalls(minimal);
    const t1 = performance.now();
    await runMinimal(minimal, stack.endpoints.bucket, prepared, queue.QueueUrl);
    const minimalSeconds = (performance.now() - t1) / 1000;
    destroyClients(minimal);

    // 2. The sampler, as Lambda's event source mapping would drive it.
    const sampled = localClients(stack.endpoints);
    const samplerCalls = countCalls(sampled);
    const t0 = performance.now();
    const runner = startLocalSampler({
      clients: sampled,
      provisioned: {
        table: stack.endpoints.table,
        bucket: stack.endpoints.bucket,
        queues: stack.endpoints.queues,
      },
      policy,
      key,
    });
    await runner.idle();
    const samplerSeconds = (performance.now() - t0) / 1000;
    const batches = runner.stats.batches;
    await runner.stop();

    // 3. Accuracy: realised rates per stratum, floors after period close.
    destroyClients(sampled);
    const audit = localClients(stack.endpoints);
    await closeEndedWeeks({ clients: audit, endpoints: stack.endpoints, policy });
    const accuracy = await samplingAccuracy(audit, stack.endpoints.table, policy);
    destroyClients(audit);

    const samplerRate = n / samplerSeconds;
    const minimalRate = n / minimalSeconds;
    return {
      transcripts: n,
      sampler: {
        seconds: round(samplerSeconds),
        transcriptsPerSecond: round(samplerRate),
        batches,
      },
      minimal: { seconds: round(minimalSeconds), transcriptsPerSecond: round(minimalRate) },
      ratioToMinimal: round(samplerSeconds / minimalSeconds),
      callsPer1000: {
        sampler: perThousand(samplerCalls, n),
        minimal: perThousand(minimalCalls, n),
      },
      costPerMillion: costModel(samplerCalls, n, samplerSeconds / Math.max(batches, 1)),
      accuracy,
    };
  } finally {
    await stack.stop();
  }
}

async function createTwin(clients: LocalClients, table: string): Promise<void> {
  await clients.dynamodb.send(new CreateTableCommand(createTableInput(table)));
  await waitUntilTableExists({ client: clients.dynamodb, maxWaitTime: 30 }, { TableName: table });
}

type Prepared = { key: string; tasks: Task[]; transaction: TransactWriteCommandInput };

/** Everything but the calls, computed before the clock starts. */
function prepareMinimal(
  files: DemoFile[],
  table: string,
  policy: SamplingPolicy,
  key: Uint8Array,
): Prepared[] {
  const now = new Date().toISOString();
  return files.map((f) => {
    const transcript = normalize(f.body, { source: f.key, metadata: f.metadata, objectTime: now });
    const decision = decide(policy, key, transcript);
    const tasks = decision.sampled
      ? plannedTasks(policy, transcript, decision, "random", now, newTaskId)
      : [];
    const marker = { pk: `OBJ#${f.key}`, sk: "V#1" };
    const transaction = ledgerTransaction(table, {
      transcript,
      decision,
      tasks,
      name: f.key,
      day: "2026-11-25",
      version: "1",
      marker,
      createdAt: now,
    });
    return { key: f.key, tasks, transaction };
  });
}

/** 20 workers: GET the object, write the transaction; tasks go out ten to a SendMessageBatch. */
async function runMinimal(
  clients: LocalClients,
  bucket: string,
  prepared: Prepared[],
  queueUrl: string | undefined,
): Promise<void> {
  let next = 0;
  const pending: string[] = [];
  const flush = async (all: boolean) => {
    while (queueUrl && (pending.length >= 10 || (all && pending.length > 0))) {
      const batch = pending.splice(0, 10);
      await clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((body, i) => ({ Id: String(i), MessageBody: body })),
        }),
      );
    }
  };
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (;;) {
        const item = prepared[next++];
        if (!item) return;
        const object = await clients.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: item.key }),
        );
        await object.Body?.transformToByteArray();
        await clients.doc.send(new TransactWriteCommand(item.transaction));
        for (const task of item.tasks)
          pending.push(JSON.stringify({ taskId: task.taskId, interactionId: task.interactionId }));
        await flush(false);
      }
    }),
  );
  await flush(true);
}

/**
 * Cost per million transcripts from the measured calls. Writes: a transactional write
 * costs 2 WRU per item (items here are under 1 KB), plus 1 WRU per GSI entry written (the
 * ledger has 2, the marker and each rollup 1): 4 items → 8 + 5 = 13 WRU per transcript.
 */
function costModel(calls: Counts, n: number, secondsPerBatch: number) {
  const scale = 1_000_000 / n;
  const sqsRequests =
    (calls.ReceiveMessage ?? 0) +
    (calls.DeleteMessageBatch ?? 0) +
    (calls.SendMessageBatch ?? 0) +
    (calls.ChangeMessageVisibilityBatch ?? 0) +
    n; // + EventBridge's SendMessage per object
  const wruPerTranscript = 13;
  const s3 = ((calls.GetObject ?? 0) * scale * PRICES.s3GetPer1k) / 1000;
  const dynamo =
    (wruPerTranscript * 1_000_000 * PRICES.dynamoWritePerMillionWru) / 1_000_000 +
    ((calls.Query ?? 0) * scale * PRICES.dynamoReadPerMillionRru) / 1_000_000;
  const sqs = (sqsRequests * scale * PRICES.sqsPerMillionRequests) / 1_000_000;
  const invocations = ((calls.ReceiveMessage ?? 0) > 0 ? n / 10 : 0) * scale;
  const lambda =
    (invocations * PRICES.lambdaPerMillionRequests) / 1_000_000 +
    invocations * secondsPerBatch * 0.5 * PRICES.lambdaArmPerGbSecond;
  return {
    assumptions:
      "us-east-1 on-demand list prices; 13 WRU per transcript; Lambda 512 MB ARM billed for the locally measured seconds per batch (an upper bound); EventBridge delivery of S3 events to the default bus is free",
    s3: round(s3),
    dynamodb: round(dynamo),
    sqs: round(sqs),
    lambda: round(lambda),
    total: round(s3 + dynamo + sqs + lambda),
  };
}

/** Realised rate of every stratum against its policy rate's 99% binomial interval; floors. */
async function samplingAccuracy(
  clients: LocalClients,
  table: string,
  policy: Awaited<ReturnType<typeof loadPolicy>>,
) {
  const strata = new Map<
    string,
    { vendor: string; channel: string; eligible: number; sampled: number }
  >();
  for (const item of await queryPeriodPartition(clients.doc, table, PERIOD.strata)) {
    const id = `${item.vendor}#${item.channel}`;
    const row = strata.get(id) ?? {
      vendor: String(item.vendor),
      channel: String(item.channel),
      eligible: 0,
      sampled: 0,
    };
    row.eligible += Number(item.eligible ?? 0);
    row.sampled += Number(item.sampled ?? 0);
    strata.set(id, row);
  }
  const rows = [...strata.values()].map((s) => {
    const rate = rateFor(policy, s.vendor, s.channel as Channel);
    const half = 2.576 * Math.sqrt((rate * (1 - rate)) / s.eligible);
    const realised = s.sampled / s.eligible;
    return {
      stratum: `${s.vendor}×${s.channel}`,
      eligible: s.eligible,
      rate,
      realised: round4(realised),
      ci99: [round4(rate - half), round4(rate + half)],
      within: Math.abs(realised - rate) <= half,
    };
  });
  const weeks = new Set<string>();
  for (const item of await queryPeriodPartition(clients.doc, table, PERIOD.strata))
    weeks.add(isoWeek(String(item.day)));
  let withVolume = 0;
  let met = 0;
  const target = policy.floor.perAgentWeek;
  const current = isoWeek(new Date());
  for (const week of [...weeks].filter((w) => w < current)) {
    for (const aw of await queryPeriodPartition(clients.doc, table, PERIOD.agentWeeks(week))) {
      if (Number(aw.eligible ?? 0) < target) continue;
      withVolume += 1;
      if (Number(aw.sampled ?? 0) + Number(aw.floor ?? 0) >= target) met += 1;
    }
  }
  return {
    strata: rows,
    strataWithin99: `${rows.filter((r) => r.within).length}/${rows.length}`,
    floors: { agentWeeksWithVolume: withVolume, met },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
