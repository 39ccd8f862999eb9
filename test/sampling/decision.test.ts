import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newTaskId } from "../../core/db/task-id";
import { ConfigError } from "../../shared/errors";
import { parsePolicy, rateFor } from "../../shared/policy";
import { decide, ineligibility, keyFingerprint, plannedTasks, rank } from "../../shared/sampling";
import type { Transcript } from "../../shared/transcript";

const key = Buffer.from("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "hex");
const policy = parsePolicy({
  version: "test-v1",
  defaultRate: 0.1,
  overrides: [
    { channel: "email", rate: 0.2 },
    { vendor: "acme", rate: 0.3 },
    { vendor: "acme", channel: "email", rate: 0.5 },
  ],
  floor: { perAgentWeek: 2 },
  calibration: { fraction: 0.5, reviewers: 3 },
  eligibility: { minAgentTurns: 2, excludeBotOnly: true, languages: ["en"] },
});

function transcript(overrides: Partial<Transcript> = {}): Transcript {
  return {
    schemaVersion: 1,
    interactionId: "int-1",
    vendor: "globex",
    agent: "agt-1",
    channel: "chat",
    language: "en-US",
    startedAt: "2026-11-02T10:00:00Z",
    endedAt: "2026-11-02T10:10:00Z",
    turns: [
      { id: "t1", role: "customer", text: "hi", at: "2026-11-02T10:00:00Z" },
      { id: "t2", role: "agent", text: "hello", at: "2026-11-02T10:01:00Z" },
      { id: "t3", role: "agent", text: "done", at: "2026-11-02T10:02:00Z" },
    ],
    source: { format: "canonical" },
    ...overrides,
  };
}

describe("rank", () => {
  it("is the first 48 bits of HMAC-SHA256(key, id) over 2^48, the same every time", () => {
    // Independent derivation of the documented rule.
    const digest = createHmac("sha256", key).update("int-1").digest();
    expect(rank(key, "int-1")).toBe(
      Number.parseInt(digest.subarray(0, 6).toString("hex"), 16) / 2 ** 48,
    );
    expect(rank(key, "int-1")).toBe(rank(key, "int-1"));
  });

  it("always lies in [0, 1) and depends on the key", () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ minLength: 1, maxLength: 64 }), (id, otherKey) => {
        const u = rank(key, id);
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThan(1);
        if (Buffer.compare(Buffer.from(otherKey), key) !== 0)
          expect(rank(otherKey, id)).not.toBe(u);
      }),
      { numRuns: 300 },
    );
  });

  it("is close to uniform: 20,000 ids fill ten bins within 10% of each other", () => {
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) bins[Math.floor(rank(key, `id-${i}`) * 10)] += 1;
    for (const count of bins) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });
});

describe("policy", () => {
  it("takes the most specific rate: vendor × channel, vendor, channel, default", () => {
    expect(rateFor(policy, "acme", "email")).toBe(0.5);
    expect(rateFor(policy, "acme", "chat")).toBe(0.3);
    expect(rateFor(policy, "globex", "email")).toBe(0.2);
    expect(rateFor(policy, "globex", "voice")).toBe(0.1);
  });

  it("refuses a bad policy naming the path of the bad field", () => {
    expect(() =>
      parsePolicy(
        { version: "x", defaultRate: 0.1, overrides: [{ channel: "fax", rate: 0.2 }] },
        "p.json",
      ),
    ).toThrow(/p\.json: invalid sampling policy: overrides\.0\.channel/);
    expect(() => parsePolicy({ version: "x", defaultRate: 1.5 })).toThrow(ConfigError);
  });
});

describe("decide", () => {
  it("samples iff eligible and u < rate, with π equal to the rate", () => {
    for (let i = 0; i < 500; i++) {
      const t = transcript({ interactionId: `int-${i}` });
      const d = decide(policy, key, t);
      expect(d.u).toBe(rank(key, t.interactionId));
      expect(d.sampled).toBe(d.u < 0.1);
      expect(d.pi).toBe(0.1);
      expect(d.keyId).toBe(keyFingerprint(key));
      if (d.calibration) expect(d.sampled).toBe(true);
    }
  });

  it("applies the eligibility rules", () => {
    expect(ineligibility(policy, transcript({ language: "fr-FR" }))).toBe("language");
    expect(ineligibility(policy, transcript({ language: "en" }))).toBeUndefined();
    const botOnly = transcript({
      turns: [{ id: "t1", role: "bot", text: "hi", at: "2026-11-02T10:00:00Z" }],
    });
    expect(ineligibility(policy, botOnly)).toBe("bot-only");
    const oneAgentTurn = transcript({ turns: transcript().turns.slice(0, 2) });
    expect(ineligibility(policy, oneAgentTurn)).toBe("too-few-agent-turns");
    const d = decide(policy, key, { ...botOnly, interactionId: "always" });
    expect(d.eligible).toBe(false);
    expect(d.sampled).toBe(false);
  });
});

describe("plannedTasks", () => {
  it("plans one primary task, plus k − 1 blind calibration copies when chosen, named by newId", () => {
    const t = transcript();
    let n = 0;
    const newId = () => `tk-${String(++n).padStart(24, "0")}`;
    const plan = (calibration: boolean) =>
      plannedTasks(
        policy,
        t,
        { u: 0.01, pi: 0.1, calibration, policyVersion: "test-v1" },
        "random",
        "2026-11-03T00:00:00Z",
        newId,
      );
    const plain = plan(false);
    expect(plain.map((x) => x.kind)).toEqual(["random"]);
    const calibrated = plan(true);
    expect(calibrated.map((x) => x.kind)).toEqual(["random", "calibration", "calibration"]);
    expect(calibrated.map((x) => x.taskId)).toEqual([
      "tk-000000000000000000000002",
      "tk-000000000000000000000003",
      "tk-000000000000000000000004",
    ]);
    expect(calibrated[0]).toMatchObject({
      week: "2026-W45",
      day: "2026-11-02",
      pi: 0.1,
      status: "queued",
    });
  });
});

describe("newTaskId", () => {
  it("names tasks at random, so an interaction id does not give away its tasks' kinds", () => {
    const ids = Array.from({ length: 1000 }, () => newTaskId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^tk-[0-9a-f]{24}$/);
  });
});
