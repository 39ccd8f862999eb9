import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile } from "../../core/audit/reconcile";
import { reprocessQuarantined } from "../../core/audit/reprocess";
import { importRoster } from "../../core/audit/roster-import";
import { verifyLedger } from "../../core/audit/verify";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import type { LocalStack } from "../../local/stack";
import { collectSampling } from "../../local/status/collect";
import { uploadAll } from "../../local/upload";
import type { SamplingPolicy } from "../../shared/policy";
import { utcDay } from "../../shared/time";
import { startTestStack } from "../integration/stack";
import { queueDepth, redeliver, settle } from "./helpers";

let stack: LocalStack;
let policy: SamplingPolicy;
const key = randomBytes(32);
const demo = generateDemo({ days: 10, seed: 23, perDay: 40 });
let invocations = 0;
let crashes = 0;

const malformed = Array.from({ length: Math.ceil(demo.files.length * 0.02) }, (_, i) => ({
  key: `bad/malformed-${i}.json`,
  body:
    i % 2 === 0
      ? (demo.files[i]?.body.slice(0, 200 + i) ?? "{")
      : JSON.stringify({ schemaVersion: 1, interactionId: i }),
  metadata: {},
}));
// Agents the roster does not know yet, with no vendor in their metadata.
const unattributed = demo.files
  .filter((f) => f.key.includes("contact-lens"))
  .slice(0, 5)
  .map((f, i) => {
    const doc = JSON.parse(f.body) as { CustomerMetadata: { ContactId: string } };
    doc.CustomerMetadata.ContactId = `late-${i}`;
    return {
      key: `late-roster/${i}.json`,
      body: JSON.stringify(doc),
      metadata: { "agent-id": `agt-new-${i}` },
    };
  });

beforeAll(async () => {
  policy = await loadPolicy();
  stack = await startTestStack({
    sampler: {
      policy,
      key,
      retryDelaySeconds: 1,
      // Every fifth invocation ingests half its batch, then crashes: the whole batch returns.
      intercept: async (event, next) => {
        invocations += 1;
        if (invocations % 5 === 0 && event.Records.length > 1) {
          crashes += 1;
          await next({ Records: event.Records.slice(0, Math.floor(event.Records.length / 2)) });
          throw new Error("simulated crash mid-batch");
        }
        return next(event);
      },
    },
  });
  const all = [...demo.files, ...malformed, ...unattributed];
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, all, { concurrency: 16 });
  // At-least-once delivery: every object's event arrives a second time.
  await redeliver(
    stack,
    all.map((f) => f.key),
  );
  await settle(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe("sampler reliability on the local stack", () => {
  const today = () => utcDay(new Date());
  const total = () => demo.files.length + malformed.length + unattributed.length;

  it("survives crashes mid-batch and duplicate deliveries with every object counted once", async () => {
    expect(crashes).toBeGreaterThan(0);
    const { totals } = await collectSampling(stack.clients, stack.endpoints.table);
    expect(totals.ledger + totals.quarantined + totals.duplicates).toBe(total());
    expect(totals.quarantined).toBe(malformed.length + unattributed.length);
    expect(totals.ledger).toBe(demo.files.length);
    expect(await queueDepth(stack, stack.endpoints.queues.ingest)).toBe(0);
    expect(await queueDepth(stack, stack.endpoints.queues.ingestDlq)).toBe(0);
  });

  it("brings unattributed transcripts into the ledger after a roster import and reprocess", async () => {
    await importRoster(
      stack.clients.doc,
      stack.endpoints.table,
      unattributed.map((_, i) => ({
        agentId: `agt-new-${i}`,
        vendor: "northwind-bpo",
        site: "Manila",
        team: "T9",
      })),
      new Date(),
    );
    const result = await reprocessQuarantined(
      {
        db: stack.clients.doc,
        sqs: stack.clients.sqs,
        table: stack.endpoints.table,
        ingestQueueUrl: stack.endpoints.queues.ingest,
        region: stack.endpoints.region,
        now: () => new Date(),
      },
      "unattributed",
    );
    expect(result.requeued).toBe(unattributed.length);
    await settle(stack);
    const { totals } = await collectSampling(stack.clients, stack.endpoints.table);
    expect(totals.ledger).toBe(demo.files.length + unattributed.length);
    expect(totals.quarantined).toBe(malformed.length);
    expect(totals.ledger + totals.quarantined + totals.duplicates).toBe(total());
  });

  it("reconciles with nothing missing and nothing orphaned, and verifies every decision", async () => {
    const r = await reconcile(
      {
        s3: stack.clients.s3,
        db: stack.clients.doc,
        table: stack.endpoints.table,
        bucket: stack.endpoints.bucket,
      },
      today(),
      today(),
    );
    expect(r.objects).toBe(total());
    expect(r.missing).toEqual([]);
    expect(r.orphaned).toEqual([]);
    const v = await verifyLedger(
      { db: stack.clients.doc, table: stack.endpoints.table, key, policy },
      today(),
      today(),
    );
    expect(v.checked).toBe(demo.files.length + unattributed.length);
    expect(v.mismatches).toEqual([]);
  });
});
