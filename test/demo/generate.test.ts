import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isoTime } from "../../local/demo/clock";
import {
  DEFAULT_START,
  type DemoFile,
  type DemoManifest,
  type DemoTruth,
  generateDemo,
} from "../../local/demo/generate";
import { BANKS, CANNED_CLOSER } from "../../local/demo/phrases";
import { Rng } from "../../local/demo/random";
import { VENDORS } from "../../local/demo/roster";
import { rosterCsv, writeDemo } from "../../local/demo/write";
import { normalize } from "../../shared/importers";
import { TranscriptSchema } from "../../shared/transcript";

const demo = generateDemo({ days: 90, seed: 7 });
const { files, manifest } = demo;
const truth = manifest.truth;

function fingerprint(result: { files: DemoFile[]; manifest: DemoManifest }): string {
  const hash = createHash("sha256");
  for (const f of result.files) {
    hash.update(f.key).update("\0").update(f.body).update("\0").update(JSON.stringify(f.metadata));
  }
  hash.update(JSON.stringify(result.manifest));
  return hash.digest("hex");
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}

function dayIndex(t: DemoTruth): number {
  return (Date.parse(t.day) - Date.parse(manifest.start)) / 86_400_000;
}

interface SimpleTurn {
  role: string;
  text: string;
}

type Json = Record<string, unknown>;

function records(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** The turns of a generated document, read straight from its format (independent of importers). */
function turnsOf(file: DemoFile, t: DemoTruth): SimpleTurn[] {
  const doc = JSON.parse(file.body) as Json;
  switch (t.format) {
    case "contact-lens": {
      const roles = new Map(
        records(doc.Participants).map((p) => [String(p.ParticipantId), String(p.ParticipantRole)]),
      );
      return records(doc.Transcript).map((x) => ({
        role: (roles.get(String(x.ParticipantId)) ?? "?").toLowerCase(),
        text: String(x.Content),
      }));
    }
    case "transcribe-call-analytics":
      return records(doc.Transcript).map((x) => ({
        role: String(x.ParticipantRole).toLowerCase(),
        text: String(x.Content),
      }));
    case "connect-chat":
      return records(doc.Transcript)
        .filter((x) => x.Type === "MESSAGE")
        .map((x) => ({ role: String(x.ParticipantRole).toLowerCase(), text: String(x.Content) }));
    case "zendesk": {
      const ticket = doc.ticket as Json;
      return records(doc.comments)
        .filter((c) => c.public === true)
        .map((c) => ({
          role: c.author_id === ticket.requester_id ? "customer" : "agent",
          text: String(c.body),
        }));
    }
    case "canonical":
      return records(doc.turns).map((x) => ({ role: String(x.role), text: String(x.text) }));
  }
}

function pairs(): Array<{ file: DemoFile; t: DemoTruth }> {
  return files.map((file, i) => {
    const t = truth[i];
    if (!t) throw new Error(`no truth for ${file.key}`);
    return { file, t };
  });
}

describe("random", () => {
  it("repeats a sequence for the same seed and label, and differs otherwise", () => {
    const draw = (rng: Rng) => Array.from({ length: 8 }, () => rng.uint32());
    expect(draw(new Rng(7, "a"))).toEqual(draw(new Rng(7, "a")));
    expect(draw(new Rng(7, "a"))).not.toEqual(draw(new Rng(7, "b")));
    expect(draw(new Rng(7, "a"))).not.toEqual(draw(new Rng(8, "a")));
  });

  it("keeps helpers in range", () => {
    const rng = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      expect(rng.pareto(2, 1.5)).toBeGreaterThanOrEqual(2);
      expect(rng.lognormal(0, 1)).toBeGreaterThan(0);
      expect(rng.weighted(["a", "b", "c"], [0, 1, 0])).toBe("b");
    }
    expect(rng.uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(mean(Array.from({ length: 4000 }, () => rng.normal(3, 0.5)))).toBeCloseTo(3, 1);
  });

  it("formats timestamps exactly like Date#toISOString", () => {
    const rng = new Rng(2);
    for (let i = 0; i < 2000; i++) {
      const ms = rng.int(0, 2 ** 31) * 1000 + rng.int(0, 999);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe("generateDemo: determinism", () => {
  it("produces byte-identical output for the same options", () => {
    expect(fingerprint(generateDemo({ days: 90, seed: 7 }))).toBe(fingerprint(demo));
  });

  it("produces different output for a different seed", () => {
    expect(fingerprint(generateDemo({ days: 90, seed: 8 }))).not.toBe(fingerprint(demo));
  });

  it("defaults to a fixed Monday start and 45 per weekday", () => {
    expect(manifest.start).toBe(DEFAULT_START);
    expect(new Date(`${DEFAULT_START}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(manifest.perDay).toBe(45);
    expect(fingerprint(generateDemo({ days: 90, seed: 7, perDay: 45, start: DEFAULT_START }))).toBe(
      fingerprint(demo),
    );
  });

  it("extends rather than reshuffles: a shorter run is a prefix of a longer one", () => {
    const short = generateDemo({ days: 10, seed: 7 });
    expect(short.files).toEqual(files.slice(0, short.files.length));
    expect(short.manifest.truth).toEqual(truth.slice(0, short.files.length));
    expect(short.manifest.agents).toEqual(manifest.agents);
  });

  it("refuses bad options", () => {
    expect(() => generateDemo({ days: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateDemo({ days: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateDemo({ days: 5, seed: 1, start: "2026-02-30" })).toThrow(RangeError);
    expect(() => generateDemo({ days: 5, seed: 1, perDay: -1 })).toThrow(RangeError);
  });
});

describe("generateDemo: shape", () => {
  it("has at least 3 vendors, all 3 channels and 40+ agents", () => {
    expect(new Set(truth.map((t) => t.vendor)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(truth.map((t) => t.channel))).toEqual(new Set(["voice", "chat", "email"]));
    expect(manifest.agents.length).toBeGreaterThanOrEqual(40);
    expect(manifest.agents.every((a) => /^agt-\d{4}$/.test(a.agent))).toBe(true);
    expect(new Set(manifest.agents.map((a) => a.agent)).size).toBe(manifest.agents.length);
  });

  it("mixes channels roughly 40/35/25", () => {
    const share = (c: string) => truth.filter((t) => t.channel === c).length / truth.length;
    expect(share("voice")).toBeGreaterThan(0.33);
    expect(share("voice")).toBeLessThan(0.47);
    expect(share("chat")).toBeGreaterThan(0.28);
    expect(share("chat")).toBeLessThan(0.42);
    expect(share("email")).toBeGreaterThan(0.18);
    expect(share("email")).toBeLessThan(0.32);
  });

  it("gives agents heavy-tailed volumes: the top 10% handle at least 30%", () => {
    const volume = new Map<string, number>();
    for (const t of truth) volume.set(t.agent, (volume.get(t.agent) ?? 0) + 1);
    const sorted = [...volume.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(manifest.agents.length / 10));
    expect(top.reduce((s, n) => s + n, 0) / truth.length).toBeGreaterThanOrEqual(0.3);
    expect(mean(manifest.agents.map((a) => a.volumeWeight)) * manifest.agents.length).toBeCloseTo(
      1,
      3,
    );
  });

  it("has a weekday pattern: weekends lower, Monday the peak", () => {
    const perDay = new Map<string, number>();
    for (const t of truth) perDay.set(t.day, (perDay.get(t.day) ?? 0) + 1);
    const byWeekday = (days: number[]) =>
      mean([...perDay].filter(([d]) => days.includes(new Date(d).getUTCDay())).map(([, n]) => n));
    const weekday = byWeekday([1, 2, 3, 4, 5]);
    const weekend = byWeekday([0, 6]);
    expect(weekend).toBeLessThan(weekday * 0.5);
    expect(weekend).toBeGreaterThan(weekday * 0.2);
    expect(byWeekday([1])).toBeGreaterThan(byWeekday([2, 3, 4, 5]));
    expect(weekday).toBeGreaterThan(38);
    expect(weekday).toBeLessThan(52);
  });

  it("writes every format, with unique keys and interaction ids", () => {
    expect(new Set(truth.map((t) => t.format))).toEqual(
      new Set([
        "contact-lens",
        "transcribe-call-analytics",
        "connect-chat",
        "zendesk",
        "canonical",
      ]),
    );
    expect(new Set(files.map((f) => f.key)).size).toBe(files.length);
    expect(new Set(truth.map((t) => t.interactionId)).size).toBe(truth.length);
    expect(files.length).toBeGreaterThanOrEqual(2500);
    expect(files.length).toBeLessThanOrEqual(5000);
    expect(manifest.generatedFiles).toBe(files.length);
    expect(truth.length).toBe(files.length);
  });

  it("names keys and ids after the format, and sets vendor and agent metadata", () => {
    const idPattern: Record<string, RegExp> = {
      "contact-lens": /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      "connect-chat": /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      "transcribe-call-analytics": /^tca-\d{8}-[0-9a-f]{10}$/,
      zendesk: /^zendesk-\d+$/,
      canonical: /^int-[0-9a-f]{12}$/,
    };
    for (const { file, t } of pairs()) {
      expect(t.interactionId).toMatch(idPattern[t.format] ?? /^$/);
      expect(file.key).toBe(
        `incoming/${t.format}/${t.day.replaceAll("-", "/")}/${t.interactionId}.json`,
      );
      expect(file.metadata.vendor).toBe(t.vendor);
      expect(file.metadata["agent-id"]).toBe(t.agent);
      if (t.format === "transcribe-call-analytics") {
        expect(file.metadata["started-at"]).toBe(t.startedAt);
      }
    }
  });

  it("starts contacts in vendor business hours, with channel-typical durations", () => {
    const sites = new Map(VENDORS.flatMap((v) => v.sites.map((s) => [s.id, s])));
    const siteOf = new Map(manifest.agents.map((a) => [a.agent, sites.get(a.site)]));
    for (const t of truth) {
      expect(t.startedAt.slice(0, 10)).toBe(t.day);
      const site = siteOf.get(t.agent);
      if (!site) throw new Error(`no site for ${t.agent}`);
      const start = new Date(t.startedAt);
      const local = (start.getUTCHours() + site.utcOffsetHours + 24) % 24;
      expect(local).toBeGreaterThanOrEqual(site.openHour);
      expect(local).toBeLessThan(site.closeHour);
      const minutes = (Date.parse(t.endedAt) - start.getTime()) / 60_000;
      if (t.channel === "voice") {
        expect(minutes).toBeGreaterThanOrEqual(2);
        expect(minutes).toBeLessThanOrEqual(15);
      } else if (t.channel === "chat") {
        expect(minutes).toBeGreaterThanOrEqual(5);
        expect(minutes).toBeLessThanOrEqual(25);
      } else {
        expect(minutes).toBeGreaterThanOrEqual(60);
        expect(minutes).toBeLessThanOrEqual(48 * 60);
      }
      expect(t.turns).toBeGreaterThanOrEqual(4);
      expect(t.turns).toBeLessThanOrEqual(14);
    }
  });

  it("lists the roster as CSV", () => {
    const lines = rosterCsv(manifest).trimEnd().split("\n");
    expect(lines[0]).toBe("agentId,vendor,site,team");
    expect(lines.length).toBe(manifest.agents.length + 1);
  });
});

describe("generateDemo: planted effects", () => {
  it("records the three effects", () => {
    expect(manifest.plantedEffects.map((e) => e.kind).sort()).toEqual([
      "channel-inconsistency",
      "empathy-drift",
      "script-reciters",
    ]);
  });

  it("drifts bluepeak-support's empathy down from day 60 by at least 0.7", () => {
    const drift = manifest.plantedEffects.find((e) => e.kind === "empathy-drift");
    expect(drift?.vendor).toBe("bluepeak-support");
    const from = drift?.fromDay ?? 60;
    const vendor = truth.filter((t) => t.vendor === drift?.vendor);
    const before = mean(vendor.filter((t) => dayIndex(t) < from).map((t) => t.quality.empathy));
    const after = mean(vendor.filter((t) => dayIndex(t) >= from).map((t) => t.quality.empathy));
    expect(before - after).toBeGreaterThanOrEqual(0.7);
    // Other vendors do not drift.
    const other = truth.filter((t) => t.vendor === "northwind-bpo");
    const otherBefore = mean(other.filter((t) => dayIndex(t) < from).map((t) => t.quality.empathy));
    const otherAfter = mean(other.filter((t) => dayIndex(t) >= from).map((t) => t.quality.empathy));
    expect(Math.abs(otherBefore - otherAfter)).toBeLessThan(0.2);
    // And the text shows it: more dismissive or formulaic acknowledgements.
    const cold = (ts: DemoTruth[]) =>
      ts.filter((t) => ["dismissive", "formulaic"].includes(t.cues.empathyStyle)).length /
      Math.max(1, ts.length);
    expect(cold(vendor.filter((t) => dayIndex(t) >= from + 15))).toBeGreaterThan(
      cold(vendor.filter((t) => dayIndex(t) < from)) + 0.25,
    );
  });

  it("makes meridian-cx email consistency at least 1 lower than its chat and voice", () => {
    const meridian = truth.filter((t) => t.vendor === "meridian-cx");
    const email = mean(
      meridian.filter((t) => t.channel === "email").map((t) => t.quality.consistency),
    );
    for (const channel of ["chat", "voice"]) {
      const other = mean(
        meridian.filter((t) => t.channel === channel).map((t) => t.quality.consistency),
      );
      expect(other - email).toBeGreaterThanOrEqual(1);
    }
  });

  it("states meridian-cx's outdated macro facts in email text, and only there", () => {
    const macros = Object.values(BANKS).map((b) =>
      b.fact.emailMacro.replace("{plan}", "Fernway Plus"),
    );
    const hasMacro = (f: DemoFile, t: DemoTruth) =>
      turnsOf(f, t).some(
        (turn) => turn.role === "agent" && macros.some((m) => turn.text.includes(m)),
      );
    for (const { file, t } of pairs()) {
      const expected =
        t.vendor === "meridian-cx" && t.channel === "email" && t.resolution !== "transferred";
      expect(hasMacro(file, t)).toBe(expected);
    }
  });

  it("gives script reciters low script-reliance truth and canned, repeated lines", () => {
    const reciters = manifest.agents.filter((a) => a.scriptReciter).map((a) => a.agent);
    expect(reciters.length).toBeGreaterThanOrEqual(3);
    expect(reciters.length).toBeLessThanOrEqual(4);
    expect(
      new Set(manifest.agents.filter((a) => a.scriptReciter).map((a) => a.vendor)).size,
    ).toBeGreaterThanOrEqual(2);
    const effect = manifest.plantedEffects.find((e) => e.kind === "script-reciters");
    expect(effect?.agents?.sort()).toEqual([...reciters].sort());
    for (const agent of reciters) {
      const own = pairs().filter(({ t }) => t.agent === agent);
      expect(own.length).toBeGreaterThan(20);
      expect(mean(own.map(({ t }) => t.quality.scriptReliance))).toBeLessThan(2.5);
      for (const { file, t } of own) {
        const agentText = turnsOf(file, t)
          .filter((turn) => turn.role === "agent")
          .map((turn) => turn.text)
          .join("\n");
        expect(agentText).toContain(CANNED_CLOSER);
        if (t.resolution !== "transferred") expect(agentText).toContain("Per our policy, ");
      }
    }
    const others = truth.filter((t) => !reciters.includes(t.agent));
    expect(mean(others.map((t) => t.quality.scriptReliance))).toBeGreaterThan(3.2);
  });

  it("keeps every true score on the 1–5 scale", () => {
    for (const t of truth) {
      for (const v of Object.values(t.quality)) {
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(5);
      }
    }
  });
});

describe("generateDemo: text", () => {
  it("has no placeholder text and no unfilled slots", () => {
    for (const f of files) {
      expect(f.body.toLowerCase()).not.toContain("lorem");
      expect(f.body).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(f.body).not.toContain("undefined");
    }
  });

  it("varies agent openings and customer problem statements", () => {
    const sample = pairs().slice(0, 1000);
    const firstAgent = new Set<string>();
    const firstCustomer = new Set<string>();
    for (const { file, t } of sample) {
      const turns = turnsOf(file, t);
      const agent = turns.find((x) => x.role === "agent");
      const customer = turns.find((x) => x.role === "customer");
      if (agent) firstAgent.add(agent.text);
      if (customer) firstCustomer.add(customer.text);
    }
    expect(firstAgent.size).toBeGreaterThanOrEqual(30);
    expect(firstCustomer.size).toBeGreaterThanOrEqual(300);
  });

  it("includes bot turns in some chats", () => {
    const chats = pairs().filter(({ t }) => t.channel === "chat");
    const withBot = chats.filter(({ file, t }) =>
      turnsOf(file, t).some((x) => x.role === "bot" || x.role === "system"),
    );
    expect(withBot.length / chats.length).toBeGreaterThan(0.2);
    expect(withBot.length / chats.length).toBeLessThan(0.6);
  });

  it("writes email as longer text with sign-offs", () => {
    const emails = pairs().filter(({ t }) => t.channel === "email");
    const voice = pairs().filter(({ t }) => t.channel === "voice");
    const avg = (ps: typeof emails) =>
      mean(ps.flatMap(({ file, t }) => turnsOf(file, t).map((x) => x.text.length)));
    expect(avg(emails)).toBeGreaterThan(2 * avg(voice));
    for (const { file, t } of emails.slice(0, 200)) {
      const first = turnsOf(file, t)[0];
      expect(first?.role).toBe("customer");
      expect(first?.text).toContain("\n\n");
    }
  });
});

describe("generateDemo: documents", () => {
  it("writes canonical documents that pass TranscriptSchema", () => {
    const canonical = pairs().filter(({ t }) => t.format === "canonical");
    expect(canonical.length).toBeGreaterThan(100);
    for (const { file, t } of canonical) {
      const parsed = TranscriptSchema.safeParse(JSON.parse(file.body));
      expect(parsed.success, `${file.key}: ${parsed.error?.message}`).toBe(true);
      expect(parsed.data?.interactionId).toBe(t.interactionId);
      expect(parsed.data?.startedAt).toBe(t.startedAt);
    }
  });

  it("normalises every file to the truth's id, vendor, agent, channel and times", () => {
    for (const { file, t } of pairs()) {
      const transcript = normalize(file.body, {
        source: file.key,
        metadata: file.metadata,
        // Transcribe output has no start time: it must come from the metadata `started-at`.
        objectTime: t.format === "transcribe-call-analytics" ? "2000-01-01T00:00:00Z" : t.startedAt,
      });
      expect({
        interactionId: transcript.interactionId,
        vendor: transcript.vendor,
        agent: transcript.agent,
        channel: transcript.channel,
        startedAt: transcript.startedAt,
        endedAt: transcript.endedAt,
        turns: transcript.turns.length,
      }).toEqual({
        interactionId: t.interactionId,
        vendor: t.vendor,
        agent: t.agent,
        channel: t.channel,
        startedAt: t.startedAt,
        endedAt: t.endedAt,
        turns: t.turns,
      });
    }
  });

  it("normalises without objectTime for every format that carries its own start", () => {
    for (const { file, t } of pairs().filter(({ t }) => t.format !== "transcribe-call-analytics")) {
      const transcript = normalize(file.body, { source: file.key, metadata: file.metadata });
      expect(transcript.startedAt).toBe(t.startedAt);
    }
  });
});

describe("writeDemo", () => {
  it("writes every file at its key plus manifest.json, metadata.json and roster.csv", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spotcheck-demo-"));
    try {
      const small = generateDemo({ days: 2, seed: 3, perDay: 10 });
      await writeDemo(dir, small);
      for (const f of small.files) expect(await readFile(join(dir, f.key), "utf8")).toBe(f.body);
      const written = JSON.parse(
        await readFile(join(dir, "manifest.json"), "utf8"),
      ) as DemoManifest;
      expect(written).toEqual(small.manifest);
      const metadata = JSON.parse(await readFile(join(dir, "metadata.json"), "utf8")) as Record<
        string,
        Record<string, string>
      >;
      expect(Object.keys(metadata).sort()).toEqual(small.files.map((f) => f.key).sort());
      for (const f of small.files) expect(metadata[f.key]).toEqual(f.metadata);
      expect(await readFile(join(dir, "roster.csv"), "utf8")).toBe(rosterCsv(small.manifest));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
