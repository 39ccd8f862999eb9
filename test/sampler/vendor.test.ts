import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { createReviewApp } from "../../core/review-api/app";
import { devVerifier, issueDevToken, loadOrCreateDevIssuer } from "../../local/auth/dev-issuer";
import { loadPolicy } from "../../local/policy";
import type { LocalStack } from "../../local/stack";
import { uploadAll } from "../../local/upload";
import { ledgerKey, rosterKey } from "../../shared/table-keys";
import { startTestStack } from "../integration/stack";
import { createSpotcheckHome, repo, runSpotcheck, stopStackAndHome } from "../lib/cli";
import { reviewAppOn, scanTable, settle } from "./helpers";

/**
 * Vendor ids through the real local stack: the CLI's roster import, uploads whose vendor is
 * spelt `NorthWind-BPO` in metadata or in the key path, the sampler, the review API and the
 * read CLI. The roster and the sampler meet in one place (attribution), so a roster that
 * contradicts the export is quarantined as `vendor-mismatch`, not counted for either vendor.
 */

const RANGE = ["--from", "2026-11-01", "--to", "2026-11-30"];
/** The roster cache of the local sampler reloads at most once a second (local/runners/sampler.ts). */
const ROSTER_REFRESH_MS = 1_000;

let home: string;
let stack: LocalStack;
let app: ReturnType<typeof createReviewApp>;
let tokens: Record<"nwReviewer" | "nwManager", string>;
let chat: Record<string, unknown>;
let sampledAt = 0;

function spotcheck(args: string[]) {
  return runSpotcheck(home, args);
}

/** The repository's Connect chat fixture as another contact. */
function chatAs(contactId: string): string {
  return JSON.stringify({ ...chat, ContactId: contactId, InitialContactId: contactId });
}

async function ledger(interactionId: string): Promise<Record<string, unknown> | undefined> {
  const found = await stack.clients.doc.send(
    new GetCommand({ TableName: stack.endpoints.table, Key: ledgerKey(interactionId) }),
  );
  return found.Item;
}

async function rosterVendor(agentId: string): Promise<unknown> {
  const found = await stack.clients.doc.send(
    new GetCommand({ TableName: stack.endpoints.table, Key: rosterKey(agentId) }),
  );
  return found.Item?.vendor;
}

const call = (path: string, who: keyof typeof tokens, method = "GET") =>
  app.request(path, { method, headers: { authorization: `Bearer ${tokens[who]}` } });

beforeAll(async () => {
  home = await createSpotcheckHome("vendor");
  chat = JSON.parse(
    await readFile(join(repo, "test/fixtures/connect-chat-transcript.json"), "utf8"),
  ) as Record<string, unknown>;
  // Every interaction sampled, one task each: which reviewer gets which task is then certain.
  const policy = {
    ...(await loadPolicy()),
    defaultRate: 1,
    overrides: [],
    floor: { perAgentWeek: 0 },
    calibration: { fraction: 0, reviewers: 2 },
  };
  stack = await startTestStack({
    writeEndpointsFile: true,
    sampler: { policy, key: randomBytes(32), keyTemplate: "{vendor}/{agent}/{any}" },
  });
  const dev = await loadOrCreateDevIssuer(join(home, "dev-issuer.json"));
  app = reviewAppOn(stack, devVerifier(dev));
  tokens = {
    nwReviewer: await issueDevToken(dev, {
      sub: "nw-rev",
      role: "reviewer",
      vendor: "NorthWind-BPO",
    }),
    nwManager: await issueDevToken(dev, {
      sub: "nw-mgr",
      role: "manager",
      vendor: "NORTHWIND-BPO",
    }),
  };
}, 120_000);

afterAll(() => stopStackAndHome(stack, home));

describe("vendor ids on the local stack", () => {
  it("imports a roster with its vendor ids lower-cased and trimmed", async () => {
    const file = join(home, "roster.csv");
    await writeFile(
      file,
      "agentId,vendor,site,team\nagt-nw-1,NorthWind-BPO,Cebu,T1\nagt-lk-1, Lakeside-CX ,Manila,T2\n",
    );
    const { code, stdout, stderr } = await spotcheck([
      "roster",
      "import",
      file,
      "--format",
      "json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ file, imported: 2, vendors: 2, moves: [] });
    expect(await rosterVendor("agt-nw-1")).toBe("northwind-bpo");
    expect(await rosterVendor("agt-lk-1")).toBe("lakeside-cx");
  });

  it("files NorthWind-BPO uploads under northwind-bpo and quarantines a roster mismatch", async () => {
    await uploadAll(stack.clients.s3, stack.endpoints.bucket, [
      {
        key: "uploads/vendor-a.json",
        body: chatAs("vendor-a"),
        metadata: { vendor: "NorthWind-BPO", "agent-id": "agt-nw-1" },
      },
      // No metadata: the key template gives vendor and agent.
      { key: "NorthWind-BPO/agt-nw-2/vendor-b.json", body: chatAs("vendor-b") },
      {
        key: "uploads/vendor-c.json",
        body: chatAs("vendor-c"),
        metadata: { vendor: "lakeside-cx", "agent-id": "agt-lk-2" },
      },
      // The roster has agt-lk-1 under lakeside-cx.
      {
        key: "uploads/vendor-d.json",
        body: chatAs("vendor-d"),
        metadata: { vendor: "northwind-bpo", "agent-id": "agt-lk-1" },
      },
    ]);
    await settle(stack);
    sampledAt = Date.now();

    expect(await ledger("vendor-a")).toMatchObject({ vendor: "northwind-bpo", agent: "agt-nw-1" });
    expect(await ledger("vendor-b")).toMatchObject({ vendor: "northwind-bpo", agent: "agt-nw-2" });
    expect(await ledger("vendor-c")).toMatchObject({ vendor: "lakeside-cx", agent: "agt-lk-2" });
    expect(await ledger("vendor-d")).toBeUndefined();

    const items = await scanTable(stack);
    const vendors = new Set(items.flatMap((i) => (typeof i.vendor === "string" ? [i.vendor] : [])));
    expect([...vendors].sort()).toEqual(["lakeside-cx", "northwind-bpo"]);
    const keys = items.flatMap((i) => Object.values(i).filter((v) => typeof v === "string"));
    const rollupKeys = keys.filter((k) => /^(ST|AG|AW)#/.test(k));
    expect(rollupKeys).toContain("ST#northwind-bpo#chat");
    expect(rollupKeys.filter((k) => k.includes("NorthWind"))).toEqual([]);
    const stratum = items.find((i) => i.pk === "ST#northwind-bpo#chat");
    expect(stratum).toMatchObject({ population: 2, sampled: 2 });

    const quarantined = items.filter((i) => i.type === "quarantine");
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({
      key: "uploads/vendor-d.json",
      reason: "vendor-mismatch",
      field: "vendor",
    });
    expect(String(quarantined[0]?.detail)).toContain(
      'vendor "northwind-bpo" (from metadata) but the roster has agent "agt-lk-1" under "lakeside-cx"',
    );
  });

  it("keeps a NorthWind-BPO reviewer off northwind-bpo's tasks", async () => {
    const first = await call("/api/tasks/claim", "nwReviewer", "POST");
    expect(first.status).toBe(200);
    const { task } = (await first.json()) as { task: { interactionId: string } };
    expect(task.interactionId).toBe("vendor-c");
    // What is left in the queue is northwind-bpo's work only.
    expect((await call("/api/tasks/claim", "nwReviewer", "POST")).status).toBe(204);
  });

  it("shows a NORTHWIND-BPO manager northwind-bpo's agents, through the API and the CLI", async () => {
    const query = "dimension=empathy&from=2026-11-01&to=2026-11-30";
    const res = await call(`/api/agents?vendor=NorthWind-BPO&${query}`, "nwManager");
    expect(res.status).toBe(200);
    const api = (await res.json()) as { agents: Array<{ agent: string; population: number }> };
    expect(api.agents.map((a) => [a.agent, a.population])).toEqual([
      ["agt-nw-1", 1],
      ["agt-nw-2", 1],
    ]);
    expect((await call(`/api/agents?vendor=lakeside-cx&${query}`, "nwManager")).status).toBe(403);

    const cli = await spotcheck([
      "agents",
      "--vendor",
      " NorthWind-BPO",
      "--dimension",
      "empathy",
      ...RANGE,
      "--format",
      "json",
    ]);
    expect(cli.stderr).toBe("");
    const table = JSON.parse(cli.stdout) as { agents: Array<{ agent: string }> };
    expect(table.agents.map((a) => a.agent)).toEqual(["agt-nw-1", "agt-nw-2"]);
  });

  it("refuses a roster import that moves an agent to another vendor unless allowed", async () => {
    const file = join(home, "roster-move.csv");
    // agt-nw-1 changes only its spelling; agt-lk-1 moves.
    await writeFile(file, "agentId,vendor\nagt-nw-1,NORTHWIND-BPO\nagt-lk-1,northwind-bpo\n");

    const refused = await spotcheck(["roster", "import", file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /roster-move\.csv: 1 agent\(s\) would move to another vendor; nothing was imported: .*--allow-vendor-change/,
    );
    expect(refused.stdout).toMatch(
      /agent\s+from\s+to\n[-\s]+\nagt-lk-1\s+lakeside-cx\s+northwind-bpo/,
    );
    expect(await rosterVendor("agt-lk-1")).toBe("lakeside-cx");

    const allowed = await spotcheck([
      "roster",
      "import",
      file,
      "--allow-vendor-change",
      "--format",
      "json",
    ]);
    expect(allowed.stderr).toBe("");
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toEqual({
      file,
      imported: 2,
      vendors: 1,
      moves: [{ agentId: "agt-lk-1", from: "lakeside-cx", to: "northwind-bpo" }],
    });
    expect(await rosterVendor("agt-lk-1")).toBe("northwind-bpo");
  });

  it("brings the mismatch into the ledger once the roster agrees, past a stale roster cache", async () => {
    // The sampler cached the roster (agt-lk-1 under lakeside-cx) while sampling above; let its
    // refresh interval pass so that a mismatch can make it look again.
    const wait = sampledAt + ROSTER_REFRESH_MS + 100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));

    const { code, stdout } = await spotcheck([
      "reprocess",
      "--reason",
      "vendor-mismatch",
      "--format",
      "json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ reason: "vendor-mismatch", requeued: 1 });
    await settle(stack);

    expect(await ledger("vendor-d")).toMatchObject({ vendor: "northwind-bpo", agent: "agt-lk-1" });
    const items = await scanTable(stack);
    expect(items.filter((i) => i.type === "quarantine")).toEqual([]);
  });
});
