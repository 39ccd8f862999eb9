import { describe, expect, it } from "vitest";
import { SpotcheckError } from "../../shared/errors";
import { detectFormat, NormalizeError, normalize } from "../../shared/importers";
import { MAX_TRANSCRIPT_BYTES } from "../../shared/transcript";
import { FIXTURES, fixtureJson, fixtureText, normalizeError, uploadContext } from "./helpers";

const ctx = uploadContext("calls/x.json");

describe("NormalizeError", () => {
  it("is a one-line SpotcheckError with its parts", () => {
    const error = new NormalizeError({
      source: "a\nb.json",
      format: "zendesk",
      field: "ticket.id",
      reason: "invalid",
      detail: `line one\nline two\r\n${"x".repeat(500)}`,
    });
    expect(error).toBeInstanceOf(SpotcheckError);
    expect(error.name).toBe("NormalizeError");
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.startsWith("a b.json: zendesk: ticket.id: line one line two")).toBe(true);
    expect(error.detail.length).toBeLessThanOrEqual(200);
    expect(error.source).toBe("a\nb.json");
  });
});

describe("normalize refuses", () => {
  it("a field of the wrong type, naming its path", () => {
    const doc = fixtureJson(FIXTURES.contactLens);
    const turns = doc.Transcript as Record<string, unknown>[];
    turns[3] = { ...turns[3], BeginOffsetMillis: "18100" };
    const error = normalizeError(() => normalize(JSON.stringify(doc), ctx));
    expect(error.reason).toBe("invalid");
    expect(error.message).toBe(
      "calls/x.json: contact-lens: Transcript.3.BeginOffsetMillis: expected number, received string",
    );
  });

  it("a missing required field", () => {
    const doc = fixtureJson(FIXTURES.callAnalytics);
    const turns = doc.Transcript as Record<string, unknown>[];
    const { ParticipantRole: _role, ...rest } = turns[2] ?? {};
    turns[2] = rest;
    const error = normalizeError(() => normalize(JSON.stringify(doc), ctx));
    expect(error.field).toBe("Transcript.2.ParticipantRole");
    expect(error.format).toBe("transcribe-call-analytics");
  });

  it("text that is not JSON, on one line", () => {
    const error = normalizeError(() => normalize('{"ContactId":\n\n}', ctx));
    expect(error.reason).toBe("invalid");
    expect(error.format).toBe("unknown");
    expect(error.field).toBe("(document)");
    expect(error.detail).toMatch(/^not valid JSON \(/);
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it.each([
    ["a PNG", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
    ["invalid UTF-8", new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ["valid UTF-8 with a NUL", new TextEncoder().encode('{"a":"\u0000"}')],
  ])("binary input: %s", (_name, bytes) => {
    const error = normalizeError(() => normalize(bytes, ctx));
    expect(error.reason).toBe("binary");
    expect(error.field).toBe("(document)");
  });

  it("bytes cut inside a UTF-8 sequence as binary, and reads the next document afresh", () => {
    const text = fixtureText(FIXTURES.connectChat);
    const cut = new TextEncoder().encode('{"a":"\u20ac"}').slice(0, 8);
    expect(normalizeError(() => normalize(cut, ctx)).reason).toBe("binary");
    expect(normalize(new TextEncoder().encode(text), ctx)).toEqual(normalize(text, ctx));
  });

  it("a string with a NUL as binary", () => {
    expect(normalizeError(() => normalize("{}\u0000", ctx)).reason).toBe("binary");
  });

  it.each([
    ["an array", "[]"],
    ["a number", "42"],
    ["an unknown object", '{"call":{"id":1}}'],
    ["plain Transcribe output", '{"jobName":"x","results":{"transcripts":[{"transcript":"hi"}]}}'],
  ])("an unrecognised document: %s", (_name, text) => {
    const error = normalizeError(() => normalize(text, ctx));
    expect(error.reason).toBe("unrecognised");
    expect(error.format).toBe("unknown");
    expect(error.detail).toContain(
      "canonical, contact-lens, transcribe-call-analytics, connect-chat, zendesk",
    );
  });

  it.each([
    ["Contact Lens", FIXTURES.contactLens, "contact-lens"],
    ["Call Analytics", FIXTURES.callAnalytics, "transcribe-call-analytics"],
    ["Connect chat", FIXTURES.connectChat, "connect-chat"],
  ])("a %s document with no turns, naming turns", (_name, file, format) => {
    const doc = { ...fixtureJson(file), Transcript: [] };
    const error = normalizeError(() => normalize(JSON.stringify(doc), ctx));
    expect(error.reason).toBe("invalid");
    expect(error.format).toBe(format);
    expect(error.field).toBe("turns");
  });

  it("a Connect chat with only events", () => {
    const doc = fixtureJson(FIXTURES.connectChat);
    const items = doc.Transcript as Record<string, unknown>[];
    doc.Transcript = items.filter((item) => item.Type === "EVENT");
    expect(normalizeError(() => normalize(JSON.stringify(doc), ctx)).field).toBe("turns");
  });

  it("an unparsable object time", () => {
    const error = normalizeError(() =>
      normalize(fixtureText(FIXTURES.callAnalytics), { ...ctx, objectTime: "yesterday" }),
    );
    expect(error.field).toBe("startedAt");
    expect(error.detail).toContain('"yesterday"');
  });

  it("a Connect chat message from an unknown role", () => {
    const doc = fixtureJson(FIXTURES.connectChat);
    const items = doc.Transcript as Record<string, unknown>[];
    items[2] = { ...items[2], ParticipantRole: "x".repeat(1000) };
    const error = normalizeError(() => normalize(JSON.stringify(doc), ctx));
    expect(error.field).toBe("Transcript.2.ParticipantRole");
    expect(error.detail.length).toBeLessThanOrEqual(200);
  });

  it("20 MB of text as too large, without reading it", () => {
    const text = `{"Transcript":[${'"x",'.repeat(5 * 1024 * 1024)}"x"]}`;
    expect(text.length).toBeGreaterThan(20 * 1024 * 1024);
    const started = performance.now();
    const error = normalizeError(() => normalize(text, ctx));
    const elapsed = performance.now() - started;
    expect(error.reason).toBe("too-large");
    expect(error.field).toBe("(document)");
    expect(error.format).toBe("unknown");
    // Logged rather than asserted: timing depends on the machine.
    console.info(`20 MB refused in ${elapsed.toFixed(2)} ms`);
  });

  it("20 MB of bytes as too large", () => {
    const bytes = new Uint8Array(20 * 1024 * 1024).fill(0x20);
    const error = normalizeError(() => normalize(bytes, ctx));
    expect(error.reason).toBe("too-large");
    expect(error.detail).toContain(String(bytes.byteLength));
  });

  it("a string under the limit in characters but over it in UTF-8 bytes", () => {
    const text = `"${"é".repeat(MAX_TRANSCRIPT_BYTES / 2)}"`;
    expect(text.length).toBeLessThan(MAX_TRANSCRIPT_BYTES);
    expect(normalizeError(() => normalize(text, ctx)).reason).toBe("too-large");
  });
});

describe("detectFormat", () => {
  it("tells the formats apart", () => {
    expect(detectFormat(fixtureJson(FIXTURES.contactLens))).toBe("contact-lens");
    expect(detectFormat(fixtureJson(FIXTURES.callAnalytics))).toBe("transcribe-call-analytics");
    expect(detectFormat(fixtureJson(FIXTURES.connectChat))).toBe("connect-chat");
    expect(detectFormat(fixtureJson(FIXTURES.zendesk))).toBe("zendesk");
    expect(detectFormat(fixtureJson(FIXTURES.canonical))).toBe("canonical");
    expect(detectFormat(fixtureJson(FIXTURES.contactLensChat))).toBe("contact-lens");
  });

  it.each([
    null,
    1,
    "x",
    [],
    {},
    { schemaVersion: 2, interactionId: "x" },
    { ticket: { id: "7" }, comments: [] },
  ])("returns undefined for %j", (doc) => {
    expect(detectFormat(doc)).toBeUndefined();
  });
});
