import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../local/demo/generate";
import { loadPolicy } from "../../local/policy";
import { loadOrCreateSamplingKey } from "../../local/sampling-key";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { ledgerKey } from "../../shared/table-keys";
import { utcDay } from "../../shared/time";
import { startTestStack } from "../integration/stack";
import { createSpotcheckHome, runSpotcheck, stopStackAndHome } from "../lib/cli";

let home: string;
let stack: LocalStack;
const demo = generateDemo({ days: 7, seed: 5, perDay: 20 });
const today = utcDay(new Date());
/** Today's range as JSON: the flags the reconcile and verify runs share. */
const todayJson = ["--from", today, "--to", today, "--format", "json"];

function spotcheck(args: string[]) {
  return runSpotcheck(home, args);
}

beforeAll(async () => {
  home = await createSpotcheckHome("audit");
  const [policy, key] = await Promise.all([loadPolicy(), loadOrCreateSamplingKey()]);
  stack = await startTestStack({
    writeEndpointsFile: true,
    sampler: { policy, key },
  });
  await uploadAll(stack.clients.s3, stack.endpoints.bucket, demo.files);
  await stack.bridge.drain();
  await stack.sampler?.idle();
}, 120_000);

afterAll(() => stopStackAndHome(stack, home));

describe("audit commands against a sampled stack", () => {
  it("reconcile finds nothing missing or orphaned and exits 0", async () => {
    const { code, stdout } = await spotcheck(["reconcile", ...todayJson]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { objects: number; missing: string[]; orphaned: string[] };
    expect(result.objects).toBe(demo.files.length);
    expect(result.missing).toEqual([]);
    expect(result.orphaned).toEqual([]);
  });

  it("sample explain shows the stored decision and that the key re-derives it", async () => {
    const id = demo.manifest.truth[0]?.interactionId ?? "";
    const { code, stdout } = await spotcheck(["sample", "explain", id, "--format", "json"]);
    expect(code).toBe(0);
    const explanation = JSON.parse(stdout) as {
      interactionId: string;
      rederived: { agrees: boolean };
      policyVersion: string;
    };
    expect(explanation.interactionId).toBe(id);
    expect(explanation.rederived.agrees).toBe(true);
    const missing = await spotcheck(["sample", "explain", "no-such-interaction"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not in the ledger/);
  });

  it("sample verify exits 0, and 1 once a stored decision has been tampered with", async () => {
    const clean = await spotcheck(["sample", "verify", ...todayJson]);
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as { checked: number }).checked).toBe(demo.files.length);
    const victim = demo.manifest.truth[1]?.interactionId ?? "";
    await stack.clients.doc.send(
      new UpdateCommand({
        TableName: stack.endpoints.table,
        Key: ledgerKey(victim),
        UpdateExpression: "SET #u = :u",
        ExpressionAttributeNames: { "#u": "u" },
        ExpressionAttributeValues: { ":u": 0.5 },
      }),
    );
    const tampered = await spotcheck(["sample", "verify", ...todayJson]);
    expect(tampered.code).toBe(1);
    const result = JSON.parse(tampered.stdout) as {
      mismatches: Array<{ interactionId: string; field: string }>;
    };
    expect(result.mismatches).toContainEqual(
      expect.objectContaining({ interactionId: victim, field: "u" }),
    );
  });

  it("roster import refuses a malformed file with the line number, in one line", async () => {
    const file = join(home, "roster.csv");
    await writeFile(file, "agentId,vendor,site,team\nagt-1,acme,Manila,A\nagt 2,acme,,\n");
    const { code, stderr } = await spotcheck(["roster", "import", file]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/roster\.csv: line 3: agentId/);
  });

  it("refuses a bad date range in one line, as a usage error (exit 2)", async () => {
    const { code, stderr } = await spotcheck([
      "reconcile",
      "--from",
      "2026-11-30",
      "--to",
      "2026-11-01",
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--to 2026-11-01 is before --from 2026-11-30/);
  });

  it("queue stats reports depths, and queue redrive moves DLQ messages back", async () => {
    type Stats = Array<{ queue: string; visible: number; inFlight: number; dlq: number }>;
    const before = JSON.parse(
      (await spotcheck(["queue", "stats", "--format", "json"])).stdout,
    ) as Stats;
    const review = () => before.find((q) => q.queue === "review");
    expect(review()?.dlq).toBe(0);
    for (let i = 0; i < 3; i++) {
      await stack.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.endpoints.queues.reviewDlq,
          MessageBody: JSON.stringify({
            taskId: `tk-${String(i).padStart(24, "0")}`,
            interactionId: `x-${i}`,
          }),
        }),
      );
    }
    const loaded = JSON.parse(
      (await spotcheck(["queue", "stats", "--format", "json"])).stdout,
    ) as Stats;
    expect(loaded.find((q) => q.queue === "review")?.dlq).toBe(3);
    const moved = await spotcheck(["queue", "redrive", "--queue", "review", "--format", "json"]);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toEqual({ queue: "review", moved: 3 });
    const after = JSON.parse(
      (await spotcheck(["queue", "stats", "--format", "json"])).stdout,
    ) as Stats;
    const r = after.find((q) => q.queue === "review");
    expect(r?.dlq).toBe(0);
    expect((r?.visible ?? 0) + (r?.inFlight ?? 0)).toBe(
      (review()?.visible ?? 0) + (review()?.inFlight ?? 0) + 3,
    );
    const bad = await spotcheck(["queue", "redrive", "--queue", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--queue must be one of ingest, review/);
  });
});
