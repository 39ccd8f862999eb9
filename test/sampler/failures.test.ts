import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Logger } from "@aws-lambda-powertools/logger";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ingestObject,
  type SamplerDeps,
  TRANSACTION_RETRY,
  TranscriptAccessDeniedError,
} from "../../core/sampler/ingest";
import { processIngestBatch } from "../../core/sampler/process-batch";
import {
  logRecordFailure,
  RECORD_FAILED,
  type RecordFailure,
  recordFailure,
} from "../../core/sampler/record-failure";
import { createRosterCache } from "../../core/sampler/roster";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import type { LocalStack } from "../../local/stack";
import type { SamplingPolicy } from "../../shared/policy";
import { QUEUES } from "../../shared/resources";
import { startTestStack } from "../integration/stack";
import { cancellingDb, denyingS3, ingestRecord } from "./faults";
import { scanTable } from "./helpers";

let stack: LocalStack;
let policy: SamplingPolicy;
const key = randomBytes(32);
// Attributed by their S3 metadata, so no roster is needed.
const files = generateDemo({ days: 2, seed: 41, perDay: 12 }).files.filter(
  (f) => !f.key.includes("contact-lens"),
);
let next = 0;
/** A demo file nobody has ingested yet, uploaded under a key of its own. */
async function freshObject(prefix: string): Promise<{ key: string; body: string }> {
  const file = files[next++];
  if (!file) throw new Error("the demo has run out of files");
  const objectKey = `${prefix}/${file.key}`;
  await stack.s3Put(objectKey, file.body, file.metadata);
  return { key: objectKey, body: file.body };
}

function deps(overrides: { db?: DynamoDBDocumentClient; s3?: S3Client } = {}): SamplerDeps {
  const db = overrides.db ?? stack.clients.doc;
  return {
    s3: overrides.s3 ?? stack.clients.s3,
    db,
    table: stack.endpoints.table,
    key,
    policy,
    roster: createRosterCache(db, stack.endpoints.table),
    now: () => new Date(),
  };
}

/** Runs one batch as the event source would, collecting what `onRecordError` is told. */
async function runBatch(d: SamplerDeps, records: SQSRecord[]) {
  const failures: RecordFailure[] = [];
  const response = await processIngestBatch(
    {
      ...d,
      sqs: stack.clients.sqs,
      reviewQueueUrl: stack.endpoints.queues.review,
      onRecordError: (_error, _record, failure) => failures.push(failure),
    },
    { Records: records },
  );
  return { failed: response.batchItemFailures.map((f) => f.itemIdentifier), failures };
}

/** A cancellation injector: `codes(items)` decides, and every injection is counted. */
function injector(codes: (items: Array<Record<string, unknown>>) => string[] | undefined) {
  const state = { injected: 0, seen: 0 };
  const db = cancellingDb(stack, (items) => {
    state.seen += 1;
    const result = codes(items);
    if (result) state.injected += 1;
    return result;
  });
  return { db, state };
}

/** The codes of a transaction in which only the item keyed `pk…` fails, if it has one. */
function onlyItem(items: Array<Record<string, unknown>>, pk: string, code: string) {
  const codes = items.map((item) => (JSON.stringify(item).includes(`{"S":"${pk}`) ? code : "None"));
  return codes.includes(code) ? codes : undefined;
}

const ledgerOf = async (interactionPrefix: string) =>
  (await scanTable(stack)).filter(
    (i) => i.type === "ledger" && String(i.object).includes(interactionPrefix),
  );

/** A JSON value's leaves by their Logs Insights names (`error.message`, `keys.0`). */
function flatten(value: unknown, prefix = ""): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return { [prefix]: value };
  return Object.assign(
    {},
    ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)),
  );
}

beforeAll(async () => {
  policy = await loadPolicy();
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("transactions DynamoDB cancels for a conflict or a throttle", () => {
  it("retries a conflict on a shared rollup item and records the object once", async () => {
    const object = await freshObject("conflict");
    // The stratum-day rollup ("ST#…") is the item every object of a vendor, channel and day updates.
    const { db, state } = injector((items) =>
      state.injected < 2 ? onlyItem(items, "ST#", "TransactionConflict") : undefined,
    );

    const outcome = await ingestObject(deps({ db }), {
      bucket: stack.endpoints.bucket,
      key: object.key,
    });

    expect(outcome.outcome).toBe("ledger");
    expect(state).toEqual({ injected: 2, seen: 3 });
    expect(await ledgerOf("conflict/")).toHaveLength(1);
  });

  it.each([["ThrottlingError"], ["ProvisionedThroughputExceeded"]])(
    "retries a %s cancellation",
    async (code) => {
      const object = await freshObject(`throttle-${code}`);
      const { db, state } = injector((items) =>
        state.injected < 1 ? items.map((_, i) => (i === 3 ? code : "None")) : undefined,
      );

      const outcome = await ingestObject(deps({ db }), {
        bucket: stack.endpoints.bucket,
        key: object.key,
      });

      expect(outcome.outcome).toBe("ledger");
      expect(state.injected).toBe(1);
    },
  );

  it("retries the quarantine and duplicate transactions too", async () => {
    await stack.s3Put("conflict-quarantine/broken.json", '{"Transcript": [', {});
    const original = await freshObject("conflict-dup-a");
    await ingestObject(deps(), { bucket: stack.endpoints.bucket, key: original.key });
    await stack.s3Put("conflict-dup-b/copy.json", original.body, files[next - 1]?.metadata ?? {});
    // Each transaction's last item is its day-counters rollup ("COUNT#…").
    const { db, state } = injector((items) =>
      state.injected < 2 ? onlyItem(items, "COUNT#", "TransactionConflict") : undefined,
    );
    const d = deps({ db });

    const quarantined = await ingestObject(d, {
      bucket: stack.endpoints.bucket,
      key: "conflict-quarantine/broken.json",
    });
    expect(state.injected).toBe(2);
    state.injected = 0;
    const duplicate = await ingestObject(d, {
      bucket: stack.endpoints.bucket,
      key: "conflict-dup-b/copy.json",
    });

    expect(quarantined.outcome).toBe("quarantined");
    expect(duplicate.outcome).toBe("duplicate");
    expect(state.injected).toBe(2);
  });

  it("throws a conflict that outlasts its retries, so SQS delivers the record again, and logs why", async () => {
    const object = await freshObject("lasting-conflict");
    const { db, state } = injector((items) => onlyItem(items, "ST#", "TransactionConflict"));
    const record = ingestRecord(stack, object.key, { messageId: "lasting-1", receiveCount: 2 });

    const { failed, failures } = await runBatch(deps({ db }), [record]);

    expect(failed).toEqual(["lasting-1"]);
    expect(state.injected).toBe(TRANSACTION_RETRY.attempts);
    expect(failures).toEqual([
      expect.objectContaining({
        messageId: "lasting-1",
        reason: "transaction-contention",
        receiveCount: 2,
        lastAttempt: false,
        keys: [object.key],
      }),
    ]);
    expect(await ledgerOf("lasting-conflict/")).toEqual([]);

    // Once the contention is over, the redelivered record goes through.
    const again = await runBatch(deps(), [
      { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: "3" } },
    ]);
    expect(again.failed).toEqual([]);
    expect(await ledgerOf("lasting-conflict/")).toHaveLength(1);
  });

  it("reads a failed condition next to a conflict as a replay, without retrying", async () => {
    const object = await freshObject("replay-conflict");
    const ref = { bucket: stack.endpoints.bucket, key: object.key };
    await ingestObject(deps(), ref);
    const { db, state } = injector((items) =>
      items.map((_, i) =>
        i === 0 ? "ConditionalCheckFailed" : i === 2 ? "TransactionConflict" : "None",
      ),
    );

    const outcome = await ingestObject(deps({ db }), ref);

    expect(outcome.outcome).toBe("replay");
    expect(state.injected).toBe(1);
    expect(await ledgerOf("replay-conflict/")).toHaveLength(1);
  });
});

describe("S3 refusing a read", () => {
  it("fails the record with the reason and the missing grants named, as a configuration fault", async () => {
    const object = await freshObject("denied");
    const s3 = denyingS3(stack, { denied: (k) => k === object.key, listBucket: true });
    const record = ingestRecord(stack, object.key, {
      messageId: "denied-1",
      receiveCount: QUEUES.ingest.maxReceiveCount,
    });

    const { failed, failures } = await runBatch(deps({ s3 }), [record]);

    expect(failed).toEqual(["denied-1"]);
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({
      messageId: "denied-1",
      reason: "s3-access-denied",
      receiveCount: QUEUES.ingest.maxReceiveCount,
      lastAttempt: true,
      keys: [object.key],
    });
    expect(failure?.error).toBeInstanceOf(TranscriptAccessDeniedError);
    expect(failure?.error.message).toContain(`s3://${stack.endpoints.bucket}/${object.key}`);
    expect(failure?.error.message).toContain("configuration fault");
    expect(failure?.error.message).toContain("s3:ListBucket");
  });

  it("finds a key by its percent-decoded spelling when the role may list the bucket", async () => {
    const file = files[next++];
    if (!file) throw new Error("the demo has run out of files");
    await stack.s3Put("decoded/a b.json", file.body, file.metadata);
    const ref = {
      bucket: stack.endpoints.bucket,
      key: "decoded/a+b.json",
      decodedKey: "decoded/a b.json",
    };

    const listed = await ingestObject(deps({ s3: denyingS3(stack, { listBucket: true }) }), ref);
    // Without ListBucket the missing raw spelling is a 403, and the fallback never runs.
    const unlisted = ingestObject(deps({ s3: denyingS3(stack, { listBucket: false }) }), ref);

    expect(listed.outcome).toBe("ledger");
    await expect(unlisted).rejects.toBeInstanceOf(TranscriptAccessDeniedError);
  });
});

describe("the log line of a failed record", () => {
  const record = (receiveCount: number, body: string): SQSRecord => ({
    ...ingestRecord(stack, "any/key.json", { messageId: `m-${receiveCount}`, receiveCount }),
    ...(body ? { body } : {}),
  });

  it("says whether the record goes back to the queue or to the DLQ", () => {
    const { maxReceiveCount } = QUEUES.ingest;
    expect(recordFailure(record(maxReceiveCount - 1, ""), new Error("x"))).toMatchObject({
      receiveCount: maxReceiveCount - 1,
      maxReceiveCount,
      lastAttempt: false,
      keys: ["any/key.json"],
      reason: "error",
    });
    expect(recordFailure(record(maxReceiveCount, ""), new Error("x")).lastAttempt).toBe(true);
  });

  it("names no keys for a body it cannot read", () => {
    expect(recordFailure(record(1, "not json"), new Error("x")).keys).toEqual([]);
  });

  it("is a Powertools JSON line with every field the runbook's query reads", () => {
    const lines: string[] = [];
    // Powertools writes warnings and errors through console.warn and console.error.
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, "write").mockImplementation(capture),
      vi.spyOn(process.stderr, "write").mockImplementation(capture),
    ];
    try {
      const logger = new Logger({ serviceName: "spotcheck-sampler" });
      const failure = recordFailure(record(QUEUES.ingest.maxReceiveCount, ""), new Error("boom"));
      logRecordFailure(logger, failure);
      logRecordFailure(logger, { ...failure, lastAttempt: false, receiveCount: 1 });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const logged = lines
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(logged.map((l) => [l.level, l.message, l.lastAttempt])).toEqual([
      ["ERROR", RECORD_FAILED, true],
      ["WARN", RECORD_FAILED, false],
    ]);
    expect(logged[0]).toMatchObject({
      messageId: `m-${QUEUES.ingest.maxReceiveCount}`,
      receiveCount: QUEUES.ingest.maxReceiveCount,
      reason: "error",
      keys: ["any/key.json"],
      error: { name: "Error", message: "boom" },
    });

    // The runbook's Logs Insights query reads these fields; Logs Insights flattens JSON as a.b and a.0.
    const runbook = readFileSync(new URL("../../docs/operations.md", import.meta.url), "utf8");
    const query = [...runbook.matchAll(/```\n(fields [^`]*)```/g)]
      .map((m) => m[1] ?? "")
      .find((q) => q.includes(`filter message = "${RECORD_FAILED}"`));
    const fields = (query?.split("\n")[0] ?? "")
      .replace(/^fields /, "")
      .split(",")
      .map((f) => f.trim())
      .filter((f) => !f.startsWith("@"));
    expect(fields.length).toBeGreaterThan(0);
    const flat = flatten(logged[0]);
    for (const field of fields) expect(flat, field).toHaveProperty([field]);
  });
});
