import { describe, expect, it } from "vitest";
import { detectFormat, normalize } from "../../shared/importers";
import { TranscriptSchema } from "../../shared/transcript";
import { FIXTURES, fixtureJson, fixtureText, normalizeError, uploadContext } from "./helpers";

function load(name: string, withObjectTime = true) {
  const transcript = normalize(
    new TextEncoder().encode(fixtureText(name)),
    uploadContext(`uploads/${name}`, withObjectTime),
  );
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
    expect(t.interactionId).toBe("b4e2c9d1-6a7f-4c38-8e15-2f9a0d7b6c41");
    expect(t.channel).toBe("voice");
    expect(t.language).toBe("en-GB");
    expect(t.vendor).toBe("northwind-bpo");
    expect(t.agent).toBe("agt-0042");
  });

  it("maps ParticipantId to roles through Participants[], whatever their order", () => {
    // Participants[] lists the customer first; the turns carry only ParticipantId.
    const doc = fixtureJson(FIXTURES.contactLens);
    const turns = doc.Transcript as Record<string, unknown>[];
    expect(turns.every((turn) => !("ParticipantRole" in turn))).toBe(true);
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "agent",
      "customer",
      "agent",
      "customer",
      "agent",
      "customer",
    ]);
    expect(t.turns.map((turn) => turn.id)).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
    // Redacted output keeps the [PII] placeholder; reviewers see it as it is.
    expect(t.turns[1]?.text).toBe(
      "Hi, it is [PII]. My internet has dropped out every evening since Sunday, usually around eight.",
    );
  });

  it("reads LoudnessScore (singular) and character offsets without copying them", () => {
    const doc = fixtureJson(FIXTURES.contactLens);
    const turns = doc.Transcript as Record<string, unknown>[];
    expect(turns[1]).toHaveProperty("LoudnessScore");
    expect(turns[1]).toHaveProperty("IssuesDetected.0.CharacterOffsets.BeginOffsetChar", 17);
    expect(turns[4]).toHaveProperty("OutcomesDetected.0.CharacterOffsets.EndOffsetChar", 125);
    expect(Object.keys(t.turns[1] ?? {})).toEqual(["id", "role", "text", "at"]);
  });

  it("anchors times on the recording name, not the object time", () => {
    expect(t.startedAt).toBe("2026-11-09T08:47:00.000Z");
    // Turn 3 begins 12.9 s into the call.
    expect(t.turns[2]?.at).toBe("2026-11-09T08:47:12.900Z");
    expect(offset(t.turns[2]?.at ?? "", t.startedAt)).toBe(12_900);
    // TotalConversationDurationMillis (49.3 s) outlasts the last turn (45.9 s).
    expect(t.endedAt).toBe("2026-11-09T08:47:49.300Z");
    expect(load(FIXTURES.contactLens, false).startedAt).toBe(t.startedAt);
  });

  it("reads a recording name whose colon is URL-encoded", () => {
    const doc = fixtureJson(FIXTURES.contactLens);
    const metadata = doc.CustomerMetadata as Record<string, unknown>;
    doc.CustomerMetadata = {
      ...metadata,
      InputS3Uri: String(metadata.InputS3Uri).replace("T08:47_UTC", "T08%3A47_UTC"),
    };
    const encoded = normalize(JSON.stringify(doc), uploadContext("cl.json", false));
    expect(encoded.startedAt).toBe("2026-11-09T08:47:00.000Z");
  });

  it("falls back to the object time without a timestamped recording name", () => {
    const doc = fixtureJson(FIXTURES.contactLens);
    doc.CustomerMetadata = { ContactId: "b4e2c9d1-6a7f-4c38-8e15-2f9a0d7b6c41" };
    const ctx = uploadContext("cl.json", false);
    const withTime = normalize(JSON.stringify(doc), uploadContext("cl.json"));
    expect(withTime.startedAt).toBe("2026-11-10T14:32:00.000Z");
    expect(withTime.turns[0]?.at).toBe("2026-11-10T14:32:00.700Z");

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
    expect(t.interactionId).toBe("nw-returns-20261110-1432-a7f3");
    expect(t.source.format).toBe("transcribe-call-analytics");
    expect(t.channel).toBe("voice");
    expect(t.language).toBe("en-US");
  });

  it("takes roles from each turn, not from Participants[]", () => {
    // Participants[] lists the customer first; each turn's ParticipantRole is what counts.
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "agent",
      "customer",
      "agent",
      "customer",
      "agent",
      "customer",
    ]);
    expect(t.turns[3]?.text).toBe("Could you send the new one before I post the old one back?");
  });

  it("reads LoudnessScores (plural), {Begin, End} offsets and word Items without copying them", () => {
    const turns = fixtureJson(FIXTURES.callAnalytics).Transcript as Record<string, unknown>[];
    expect(turns[1]).toHaveProperty("LoudnessScores");
    expect(turns[1]).toHaveProperty("IssuesDetected.0.CharacterOffsets.Begin", 14);
    expect(turns[5]).toHaveProperty("Items.1.Type", "punctuation");
    // The turn's text is its Content, not the words of Items joined again.
    expect(t.turns[5]).toEqual({
      id: "t6",
      role: "customer",
      text: "Great, thanks.",
      at: "2026-11-10T14:32:30.000Z",
    });
  });

  it("hangs offsets off the object time", () => {
    expect(t.startedAt).toBe("2026-11-10T14:32:00.000Z");
    expect(t.turns[1]?.at).toBe("2026-11-10T14:32:05.200Z");
    expect(t.endedAt).toBe("2026-11-10T14:32:32.500Z");
  });

  it("takes the start from S3 metadata started-at before the object time", () => {
    const fromMetadata = normalize(fixtureText(FIXTURES.callAnalytics), {
      source: "calls/tca.json",
      metadata: {
        vendor: "northwind-bpo",
        "agent-id": "agt-0042",
        "started-at": "2026-11-10T14:31:07Z",
      },
      objectTime: "2026-11-11T00:00:00Z",
    });
    expect(fromMetadata.startedAt).toBe("2026-11-10T14:31:07.000Z");
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
    expect(t.interactionId).toBe("8d3f1a6e-2c94-4b7d-a05e-6f1b9c2d7e38");
    expect(t.channel).toBe("chat");
    expect(t.language).toBe("und");
  });

  it("keeps the 7 messages, skips EVENT and ATTACHMENT items and makes SYSTEM a bot", () => {
    expect(t.turns).toHaveLength(7);
    expect(t.turns.map((turn) => turn.role)).toEqual([
      "bot",
      "customer",
      "bot",
      "agent",
      "customer",
      "agent",
      "customer",
    ]);
    expect(t.turns.map((turn) => turn.id)).toEqual(["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    expect(t.turns[4]).toEqual({
      id: "t5",
      role: "customer",
      text: "here's the label on the box",
      at: "2026-11-12T19:06:52.310Z",
    });
  });

  it("spans from the first item to the last, events included", () => {
    expect(t.startedAt).toBe("2026-11-12T19:04:10.207Z");
    expect(t.endedAt).toBe("2026-11-12T19:08:10.002Z");
    expect(load(FIXTURES.connectChat, false)).toEqual(t);
  });
});

describe("input forms", () => {
  it("reads text, bytes and BOM-prefixed documents alike", () => {
    const text = fixtureText(FIXTURES.connectChat);
    const ctx = uploadContext("c.json", false);
    const fromText = normalize(text, ctx);
    expect(normalize(`\uFEFF${text}`, ctx)).toEqual(fromText);
    expect(normalize(new TextEncoder().encode(`\uFEFF${text}`), ctx)).toEqual(fromText);
  });
});
