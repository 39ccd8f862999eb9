import { describe, expect, it } from "vitest";
import { detectFormat, type NormalizeContext, normalize } from "../../shared/importers";
import { type Transcript, TranscriptSchema } from "../../shared/transcript";
import {
  FIXTURES,
  fixtureJson,
  fixtureText,
  NORTHWIND,
  normalizeError,
  OBJECT_TIME,
} from "./helpers";

function run(doc: string | object, ctx: Partial<NormalizeContext> = {}): Transcript {
  const text = typeof doc === "string" ? doc : JSON.stringify(doc);
  const transcript = normalize(text, { source: "samples/doc.json", ...ctx });
  expect(TranscriptSchema.parse(transcript)).toEqual(transcript);
  return transcript;
}

describe("Zendesk ticket export", () => {
  const ticket = () =>
    fixtureJson(FIXTURES.zendesk) as { ticket: Record<string, unknown> } & Record<string, unknown>;

  it("is detected with comments at the top or inside the ticket", () => {
    const doc = ticket();
    expect(detectFormat(doc)).toBe("zendesk");
    const { comments, ...rest } = doc;
    expect(detectFormat(rest)).toBeUndefined();
    expect(detectFormat({ ...rest, ticket: { ...doc.ticket, comments } })).toBe("zendesk");
  });

  it("reads the ticket, skipping internal notes", () => {
    const t = run(fixtureText(FIXTURES.zendesk), { metadata: { ...NORTHWIND } });
    expect(t).toMatchObject({
      interactionId: "zendesk-48213",
      channel: "email",
      // The document's tag and assignee beat the S3 metadata.
      vendor: "northwind-bpo",
      agent: "zd-381",
      queue: "group-2204",
      intent: "wrong_item",
      csat: 5,
      language: "und",
    });
    expect(t.turns.map((turn) => [turn.id, turn.role])).toEqual([
      ["t1", "customer"],
      ["t2", "agent"],
      ["t3", "customer"],
    ]);
    expect(t.turns.some((turn) => turn.text.includes("Warehouse"))).toBe(false);
    expect(t.turns[0]?.text.startsWith("Hi,\n\nI ordered the rain jacket")).toBe(true);
    expect(t.turns[2]?.text).toBe("Brilliant, thank you so much!");
    expect(t.startedAt).toBe("2026-11-05T08:42:17.000Z");
    // The last public comment, not updated_at.
    expect(t.endedAt).toBe("2026-11-05T12:58:30.000Z");
    expect(t.source).toEqual({ format: "zendesk", key: "samples/doc.json" });
  });

  it("reads ticket.comments, underscore tags, other channels and a bad rating", () => {
    const { comments, ...doc } = ticket();
    const t = run(
      {
        ...doc,
        ticket: {
          ...doc.ticket,
          comments,
          tags: ["vendor_lakeside-cx", "intent_exchange"],
          via: { channel: "native_messaging" },
          satisfaction_rating: { score: "bad" },
          group_id: null,
        },
      },
      { metadata: { ...NORTHWIND } },
    );
    expect(t.vendor).toBe("lakeside-cx");
    expect(t.intent).toBe("exchange");
    expect(t.channel).toBe("chat");
    expect(t.csat).toBe(1);
    expect(t.queue).toBeUndefined();
    expect("queue" in t).toBe(false);
  });

  it.each([
    ["voice", "voice"],
    ["sms", "sms"],
    ["whatsapp", "social"],
    ["twitter", "social"],
    ["web", "email"],
    ["api", "email"],
    ["mobile_sdk", "email"],
  ])("maps via.channel %s to %s", (via, channel) => {
    const doc = ticket();
    const t = run({ ...doc, ticket: { ...doc.ticket, via: { channel: via } } });
    expect(t.channel).toBe(channel);
  });

  it("leaves attribution to metadata when the ticket has no vendor tag or assignee", () => {
    const doc = ticket();
    const t = run(
      {
        ...doc,
        ticket: {
          ...doc.ticket,
          tags: [],
          assignee_id: null,
          satisfaction_rating: { score: "offered" },
        },
      },
      { metadata: { ...NORTHWIND } },
    );
    expect(t.vendor).toBe("northwind-bpo");
    expect(t.agent).toBe("agt-0042");
    expect(t.csat).toBeUndefined();
    expect(t.intent).toBeUndefined();
  });

  it("refuses a ticket with only internal notes", () => {
    const doc = ticket();
    const comments = (doc.comments as Record<string, unknown>[]).map((c) => ({
      ...c,
      public: false,
    }));
    const error = normalizeError(() => run({ ...doc, comments }));
    expect(error.reason).toBe("invalid");
    expect(error.field).toBe("turns");
  });

  it("requires the public flag rather than guessing it", () => {
    const doc = ticket();
    const [first, ...rest] = doc.comments as Record<string, unknown>[];
    const { public: _public, ...unflagged } = first ?? {};
    const error = normalizeError(() => run({ ...doc, comments: [unflagged, ...rest] }));
    expect(error.field).toBe("comments.0.public");
    expect(error.detail).toBe("missing (expected boolean)");
    expect(error.format).toBe("zendesk");
  });
});

describe("canonical transcript", () => {
  it("passes through, with trimmed text, its own turn ids and our source", () => {
    const t = run(fixtureText(FIXTURES.canonical), { metadata: { ...NORTHWIND } });
    expect(detectFormat(fixtureJson(FIXTURES.canonical))).toBe("canonical");
    expect(t).toMatchObject({
      interactionId: "crm-2026-11-06-000318",
      vendor: "lakeside-cx",
      agent: "lcx-2207",
      channel: "sms",
      queue: "billing",
      intent: "payment-plan",
      csat: 4,
      resolution: "resolved",
    });
    expect(t.turns.map((turn) => turn.id)).toEqual(["sms-1", "sms-2", "sms-3", "sms-4", "sms-5"]);
    expect(t.turns[3]?.text).toBe("The 15th works.");
    expect(t.startedAt).toBe("2026-11-06T18:01:09Z");
    expect(t.source).toEqual({ format: "canonical", key: "samples/doc.json" });
  });

  it("lets attribution fill a missing vendor and agent", () => {
    const { vendor: _v, agent: _a, ...doc } = fixtureJson(FIXTURES.canonical);
    const t = run(doc, { metadata: { ...NORTHWIND } });
    expect([t.vendor, t.agent]).toEqual(["northwind-bpo", "agt-0042"]);
  });

  it("drops blank turns but keeps the remaining ids", () => {
    const doc = fixtureJson(FIXTURES.canonical);
    const turns = doc.turns as Record<string, unknown>[];
    const t = run({
      ...doc,
      turns: turns.map((turn, i) => (i === 1 ? { ...turn, text: " \n " } : turn)),
    });
    expect(t.turns.map((turn) => turn.id)).toEqual(["sms-1", "sms-3", "sms-4", "sms-5"]);
  });

  it.each([
    ["an unknown field", { sentiment: "positive" }, "(document)"],
    ["a bad channel", { channel: "fax" }, "channel"],
    ["a bad interaction id", { interactionId: "IX#1" }, "interactionId"],
    ["no turns", { turns: [] }, "turns"],
    ["an end before the start", { endedAt: "2026-11-06T17:00:00Z" }, "endedAt"],
    ["a csat out of range", { csat: 7 }, "csat"],
  ])("refuses %s", (_name, change, field) => {
    const error = normalizeError(() => run({ ...fixtureJson(FIXTURES.canonical), ...change }));
    expect(error.reason).toBe("invalid");
    expect(error.format).toBe("canonical");
    expect(error.field).toBe(field);
  });

  it("refuses duplicate turn ids", () => {
    const doc = fixtureJson(FIXTURES.canonical);
    const turns = doc.turns as Record<string, unknown>[];
    const error = normalizeError(() =>
      run({ ...doc, turns: turns.map((turn, i) => (i === 2 ? { ...turn, id: "sms-1" } : turn)) }),
    );
    expect(error.field).toBe("turns.2.id");
    expect(error.message).toBe("samples/doc.json: canonical: turns.2.id: duplicate turn id");
  });
});

describe("Contact Lens chat analysis", () => {
  const t = run(fixtureText(FIXTURES.contactLensChat), {
    metadata: { ...NORTHWIND },
    objectTime: OBJECT_TIME,
  });

  it("is detected as contact-lens, not as a Connect chat transcript", () => {
    expect(detectFormat(fixtureJson(FIXTURES.contactLensChat))).toBe("contact-lens");
    expect(t.source.format).toBe("contact-lens");
    expect(t.interactionId).toBe("e41d7b2c-5a60-4f1e-9c3d-8b7a6f5e4d3c");
    expect(t.channel).toBe("chat");
    expect(t.language).toBe("en-GB");
  });

  it("uses AbsoluteTime per turn and drops blank turns", () => {
    expect(t.turns.map((turn) => [turn.id, turn.role])).toEqual([
      ["t1", "bot"],
      ["t2", "customer"],
      ["t3", "agent"],
      ["t4", "customer"],
      ["t5", "agent"],
    ]);
    expect(t.turns[2]?.at).toBe("2026-11-07T10:31:44.015Z");
    expect(t.startedAt).toBe("2026-11-07T10:30:02.250Z");
    expect(t.endedAt).toBe("2026-11-07T10:33:58.120Z");
  });

  it("needs no object time", () => {
    expect(run(fixtureText(FIXTURES.contactLensChat), { metadata: { ...NORTHWIND } })).toEqual(t);
  });

  it("names the participant whose role it does not know", () => {
    const doc = fixtureJson(FIXTURES.contactLensChat);
    const participants = doc.Participants as Record<string, unknown>[];
    const error = normalizeError(() =>
      run(
        {
          ...doc,
          Participants: participants.map((p, i) =>
            i === 2 ? { ...p, ParticipantRole: "SUPERVISOR" } : p,
          ),
        },
        { metadata: { ...NORTHWIND } },
      ),
    );
    expect(error.field).toBe("Participants.2.ParticipantRole");
    expect(error.detail).toContain('unknown role "SUPERVISOR"');
  });
});
