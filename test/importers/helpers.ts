import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { NormalizeError } from "../../shared/importers";

/** The shared fixtures live beside the repo (a copy of shared/ sits next to the clone in CI). */
export const FIXTURES_DIR = new URL("../../../shared/fixtures/", import.meta.url);
export const SAMPLES_DIR = new URL("./samples/", import.meta.url);

export const FIXTURES = {
  contactLens: "contact-lens-voice.json",
  callAnalytics: "transcribe-call-analytics.json",
  connectChat: "connect-chat-transcript.json",
} as const;

export const SAMPLES = {
  zendesk: "zendesk-ticket.json",
  canonical: "canonical.json",
  contactLensChat: "contact-lens-chat.json",
} as const;

/** The S3 metadata the fixtures are treated as uploaded with. */
export const NORTHWIND = { vendor: "northwind-bpo", "agent-id": "agt-0042" } as const;
export const OBJECT_TIME = "2026-11-03T09:15:00Z";

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES_DIR), "utf8");
}

export function sampleText(name: string): string {
  return readFileSync(new URL(name, SAMPLES_DIR), "utf8");
}

/** A parsed copy, for tests that edit a document before normalising it. */
export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

export function sampleJson(name: string): Record<string, unknown> {
  return JSON.parse(sampleText(name)) as Record<string, unknown>;
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
