import { describe, expect, it } from "vitest";
import { detectFormat, normalize } from "../../shared/importers";
import { TranscriptSchema } from "../../shared/transcript";
import {
  FIXTURES,
  fixtureJson,
  fixtureText,
  NORTHWIND,
  normalizeError,
  OBJECT_TIME,
} from "./helpers";

function load(name: string, withObjectTime = true) {
  const transcript = normalize(new TextEncoder().encode(fixtureText(name)), {
    source: `uploads/${name}`,
    metadata: { ...NORTHWIND },
    objectTime: withObjectTime ? OBJECT_TIME : undefined,
  });
  // The importer's contract: whatever it returns is a valid canonical transcript.
  expect(TranscriptSchema.parse(transcript)).toEqual(transcript);
  return transcript;
}

const offset = (at: string, start: string) => Date.parse(at) - Date.parse(start);

describe("Contact Lens voice fixture", () => {
  const t = load(FIXTURES.contactLens);

  it("is detected as contact-lens", () => {
    expect(detectFormat(fixtureJson(FIXTURES.contactLens))).toBe("contact-lens");
    expect(t.source).toEqual({ format: "contact-lens", key: `uploads/${FIXTURES.contactLens}` });
  });

  it("takes the contact id, channel, language and attribution", () => {
    expect(t.interactionId).toBe("7c1e5a90-3f1d-4b8e-9a51-0d2f6b1c3e77");
    expect(t.channel).toBe("voice");
    expect(t.language).toBe("en-US");
    expect(t.vendor).toBe("northwind-bpo");
    expect(t.agent).toBe("agt-0042");
  });

  it("maps ParticipantId to roles through Participants[]", () => {
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "agent",
      "customer",
      "agent",
      "customer",
      "agent",
    ]);
    expect(t.turns.map((turn) => turn.id)).toEqual(["t1", "t2", "t3", "t4", "t5"]);
    expect(t.turns[1]?.text).toBe(
      "Hi, my refund still hasn't arrived and it's been three weeks. I'm honestly pretty frustrated.",
    );
  });

  it("anchors times on the recording name, not the object time", () => {
    expect(t.startedAt).toBe("2026-11-02T14:05:00.000Z");
    // Turn a3 begins 12.4 s into the call.
    expect(t.turns[2]?.at).toBe("2026-11-02T14:05:12.400Z");
    expect(offset(t.turns[2]?.at ?? "", t.startedAt)).toBe(12_400);
    // TotalConversationDurationMillis (61.25 s) outlasts the last turn (36.5 s).
    expect(t.endedAt).toBe("2026-11-02T14:06:01.250Z");
    expect(load(FIXTURES.contactLens, false).startedAt).toBe(t.startedAt);
  });

  it("falls back to the object time without a timestamped recording name", () => {
    const doc = fixtureJson(FIXTURES.contactLens);
    doc.CustomerMetadata = { ContactId: "7c1e5a90-3f1d-4b8e-9a51-0d2f6b1c3e77" };
    const ctx = { source: "cl.json", metadata: { ...NORTHWIND } };
    const withTime = normalize(JSON.stringify(doc), { ...ctx, objectTime: OBJECT_TIME });
    expect(withTime.startedAt).toBe("2026-11-03T09:15:00.000Z");
    expect(withTime.turns[0]?.at).toBe("2026-11-03T09:15:00.900Z");

    const error = normalizeError(() => normalize(JSON.stringify(doc), ctx));
    expect(error.reason).toBe("invalid");
    expect(error.format).toBe("contact-lens");
    expect(error.field).toBe("startedAt");
    expect(error.message).toBe(
      "cl.json: contact-lens: startedAt: no start time in the document; supply the object time",
    );
  });
});

describe("Transcribe Call Analytics fixture", () => {
  const t = load(FIXTURES.callAnalytics);

  it("is detected as transcribe-call-analytics and keyed by the job name", () => {
    expect(detectFormat(fixtureJson(FIXTURES.callAnalytics))).toBe("transcribe-call-analytics");
    expect(t.interactionId).toBe("example-tca-job-20261103-0915");
    expect(t.source.format).toBe("transcribe-call-analytics");
    expect(t.channel).toBe("voice");
    expect(t.language).toBe("en-US");
  });

  it("takes roles from each turn", () => {
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "agent",
      "customer",
      "agent",
      "customer",
      "agent",
    ]);
    expect(t.turns).toHaveLength(5);
    expect(t.turns[3]?.text).toBe("That's it? You're not going to look at it?");
  });

  it("hangs offsets off the object time", () => {
    expect(t.startedAt).toBe("2026-11-03T09:15:00.000Z");
    expect(t.turns[1]?.at).toBe("2026-11-03T09:15:05.900Z");
    expect(t.endedAt).toBe("2026-11-03T09:15:28.000Z");
  });

  it("takes the start from S3 metadata started-at before the object time", () => {
    const fromMetadata = normalize(fixtureText(FIXTURES.callAnalytics), {
      source: "calls/tca.json",
      metadata: {
        vendor: "northwind-bpo",
        "agent-id": "agt-0042",
        "started-at": "2026-11-03T08:00:00Z",
      },
      objectTime: "2026-11-05T00:00:00Z",
    });
    expect(fromMetadata.startedAt).toBe("2026-11-03T08:00:00.000Z");
  });

  it("needs the object time", () => {
    const error = normalizeError(() => load(FIXTURES.callAnalytics, false));
    expect(error.field).toBe("startedAt");
    expect(error.format).toBe("transcribe-call-analytics");
  });
});

describe("Connect chat transcript fixture", () => {
  const t = load(FIXTURES.connectChat);

  it("is detected as connect-chat", () => {
    expect(detectFormat(fixtureJson(FIXTURES.connectChat))).toBe("connect-chat");
    expect(t.interactionId).toBe("3b9f8e2a-7c6d-4e5f-a1b2-c3d4e5f60718");
    expect(t.channel).toBe("chat");
    expect(t.language).toBe("und");
  });

  it("keeps the 5 messages, skips EVENT items and makes SYSTEM a bot", () => {
    expect(t.turns).toHaveLength(5);
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "bot",
      "customer",
      "agent",
      "agent",
      "customer",
    ]);
    expect(t.turns.map((turn) => turn.id)).toEqual(["t1", "t2", "t3", "t4", "t5"]);
    expect(t.turns[4]).toEqual({
      id: "t5",
      role: "customer",
      text: "oh found it, thanks!",
      at: "2026-11-04T16:23:05.662Z",
    });
  });

  it("spans from the first item to the last, events included", () => {
    expect(t.startedAt).toBe("2026-11-04T16:20:01.114Z");
    expect(t.endedAt).toBe("2026-11-04T16:23:09.001Z");
    expect(load(FIXTURES.connectChat, false)).toEqual(t);
  });
});

describe("input forms", () => {
  it("reads text, bytes and BOM-prefixed documents alike", () => {
    const text = fixtureText(FIXTURES.connectChat);
    const ctx = { source: "c.json", metadata: { ...NORTHWIND } };
    const fromText = normalize(text, ctx);
    expect(normalize(`\uFEFF${text}`, ctx)).toEqual(fromText);
    expect(normalize(new TextEncoder().encode(`\uFEFF${text}`), ctx)).toEqual(fromText);
  });
});
