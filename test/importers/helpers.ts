import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { NormalizeError } from "../../shared/importers";

/** The one fixture folder, inside the repository (test/fixtures/README.md lists what each shows). */
export const FIXTURES_DIR = new URL("../fixtures/", import.meta.url);

/** One export of each format and shape the importers read. */
export const FIXTURES = {
  contactLens: "contact-lens-voice.json",
  callAnalytics: "transcribe-call-analytics.json",
  connectChat: "connect-chat-transcript.json",
  zendesk: "zendesk-ticket.json",
  canonical: "canonical.json",
  contactLensChat: "contact-lens-chat.json",
} as const;

/** The S3 metadata the fixtures are treated as uploaded with. */
export const NORTHWIND = { vendor: "northwind-bpo", "agent-id": "agt-0042" } as const;
/** The object time the fixtures are treated as uploaded at (S3 LastModified). */
export const OBJECT_TIME = "2026-11-10T14:32:00Z";

/** The context a fixture is normalised in: its key, the NORTHWIND metadata and, unless told not to, OBJECT_TIME. */
export function uploadContext(source: string, withObjectTime = true) {
  return {
    source,
    metadata: { ...NORTHWIND },
    ...(withObjectTime ? { objectTime: OBJECT_TIME } : {}),
  };
}

/** A fixture's text, as it would be read from S3. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES_DIR), "utf8");
}

/** A parsed copy, for tests that edit a document before normalising it. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

/** Runs `fn`, asserts it throws a NormalizeError and returns it. */
export function normalizeError(fn: () => unknown): NormalizeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NormalizeError);
    if (error instanceof NormalizeError) return error;
  }
  throw new Error("expected a NormalizeError, but nothing was thrown");
}
