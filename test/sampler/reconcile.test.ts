import { randomBytes } from "node:crypto";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PurgeQueueCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile } from "../../core/audit/reconcile";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { startLocalSampler } from "../../local/runners/sampler";
import type { SqsPoller } from "../../local/runners/sqs-poller";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { startTestStack } from "../integration/stack";
import { createSpotcheckHome, removeSpotcheckHome, runSpotcheck } from "../lib/cli";

const today = new Date().toISOString().slice(0, 10);
const todayRange = ["--from", today, "--to", today];
let home: string;
let stack: LocalStack;
let sampler: SqsPoller | undefined;
const demo = generateDemo({ days: 7, seed: 21, perDay: 10 });
const files = demo.files.slice(0, 6);

function spotcheck(args: string[], env: Record<string, string> = {}) {
  return runSpotcheck(home, args, { env });
}

const check = () =>
  reconcile(
    {
      s3: stack.clients.s3,
      db: stack.clients.doc,
      table: stack.endpoints.table,
      bucket: stack.endpoints.bucket,
    },
    today,
    today,
  );

beforeAll(async () => {
  home = await createSpotcheckHome("reconcile");
  // No sampler yet: the events of the first uploads are lost before anything reads them.
  stack = await startTestStack({
    writeEndpointsFile: true,
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, files);
  await stack.bridge.drain();
  await stack.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: stack.endpoints.queues.ingest }));
});

afterAll(async () => {
  await sampler?.stop();
  await stack?.stop();
  await removeSpotcheckHome(home);
});

describe("reconcile --repair", () => {
  it("lists objects whose events were lost, and sends them through ingestion again", async () => {
    const before = await check();
    expect(before.missing).toHaveLength(files.length);

    const { code, stdout } = await spotcheck([
      "reconcile",
      ...todayRange,
      "--repair",
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ repaired: files.length });

    sampler = startLocalSampler({
      clients: stack.clients,
      provisioned: stack.endpoints,
      policy: await loadPolicy(),
      key: randomBytes(32),
    });
    await sampler.idle();
    const after = await check();
    expect(after.missing).toEqual([]);
    expect(after.outcomes.ledger).toBe(files.length);
    expect(after.changed).toEqual([]);
  });

  it("reports a ledger entry whose object was overwritten after it was sampled", async () => {
    const file = files[0];
    if (!file) throw new Error("no demo file");
    const head = () =>
      stack.clients.s3.send(
        new HeadObjectCommand({ Bucket: stack.endpoints.bucket, Key: file.key }),
      );
    const recorded = (await head()).ETag?.replaceAll('"', "");
    // The same interaction written again with other bytes: a new version of the object.
    await stack.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.endpoints.bucket,
        Key: file.key,
        Body: `${String(file.body)}\n`,
        ...(file.metadata ? { Metadata: file.metadata } : {}),
      }),
    );
    await stack.bridge.drain();
    await sampler?.idle();
    const current = (await head()).ETag?.replaceAll('"', "");
    expect(current).not.toBe(recorded);

    const result = await check();
    expect(result.changed).toEqual([
      {
        object: `${stack.endpoints.bucket}/${file.key}`,
        interactionId: demo.manifest.truth.find((t) => t.key === file.key)?.interactionId,
        recorded,
        current,
      },
    ]);
    // The new version itself was recorded, as a duplicate of the interaction.
    expect(result.missing).toEqual([]);
    expect(result.outcomes.duplicate).toBe(1);
    const cli = await spotcheck(["reconcile", ...todayRange]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(new RegExp(`changed  ${stack.endpoints.bucket}/${file.key}`));
    await stack.bridge.drain();
  });

  it("with --aws, says in one line which deployment variables are missing", async () => {
    const { code, stderr } = await spotcheck(["reconcile", "--aws", ...todayRange], {
      TRANSCRIPTS_BUCKET_NAME: "",
      TABLE_NAME: "",
      INGEST_QUEUE_URL: "",
    });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /--aws needs \$TRANSCRIPTS_BUCKET_NAME, \$TABLE_NAME, \$INGEST_QUEUE_URL/,
    );
  });
});
