import { firstIssuePath, SpotcheckError } from "../errors";
import {
  MAX_TRANSCRIPT_BYTES,
  SOURCE_FORMATS,
  type SourceFormat,
  type Transcript,
  TranscriptSchema,
} from "../transcript";
import {
  type Attribution,
  type AttributionOrigin,
  matchKeyTemplate,
  type Resolved,
  type RosterEntry,
  resolveAttribution,
  rosterVendorConflict,
} from "./attribution";
import { isRecord } from "./canonical";
import { conforms } from "./conforms";
import { type Draft, type DraftTurn, type FormatEnv, type Importer, issueDetail } from "./importer";
import { IMPORTERS } from "./registry";

export type { Attribution, RosterEntry } from "./attribution";
export { matchKeyTemplate, rosterVendorConflict };

/**
 * Why a document was refused. `vendor-mismatch`: the export (or its metadata or key) names one
 * vendor and the roster has the agent under another.
 */
export type NormalizeReason =
  | "invalid"
  | "unattributed"
  | "unrecognised"
  | "too-large"
  | "binary"
  | "vendor-mismatch";

/** Longest "what is wrong" part of a NormalizeError message, in characters. */
const MAX_DETAIL = 200;

/**
 * A document the importers refuse. The message is one line,
 * `<source>: <format tried>: <field path>: <what is wrong>`, so it can go straight into a log
 * line, a CLI report or a dead-letter reason.
 */
export class NormalizeError extends SpotcheckError {
  override name = "NormalizeError";
  /** The S3 key or file path of the document. */
  readonly source: string;
  /** The format the document was read as, or `unknown` when it never got that far. */
  readonly format: SourceFormat | "unknown";
  /** Dotted path of the offending field, `(document)` for the whole document. */
  readonly field: string;
  /** What kind of refusal: bad content, no attribution, unknown format, oversize or binary. */
  readonly reason: NormalizeReason;
  /** The "what is wrong" part of the message, on one line and truncated. */
  readonly detail: string;

  constructor(init: {
    source: string;
    format: SourceFormat | "unknown";
    field: string;
    reason: NormalizeReason;
    detail: string;
  }) {
    const detail = oneLine(init.detail, MAX_DETAIL);
    super(`${oneLine(init.source)}: ${init.format}: ${oneLine(init.field)}: ${detail}`);
    this.source = init.source;
    this.format = init.format;
    this.field = init.field;
    this.reason = init.reason;
    this.detail = detail;
  }
}

/** Where a document came from and what else is known about it. */
export interface NormalizeContext {
  /** S3 key or file path: used in error messages and stored as source.key */
  source: string;
  /** S3 object user metadata (lower-case names as the SDK returns them): `vendor`, `agent-id` */
  metadata?: Record<string, string>;
  /** Key-path template such as "{vendor}/{agent}/{any}" or "exports/{vendor}/{channel}/{agent}/{any}"; {any} matches one or more segments at the end or exactly one in the middle */
  keyTemplate?: string;
  /** agent id -> roster entry; gives the vendor of a known agent */
  roster?: ReadonlyMap<string, RosterEntry>;
  /** explicit overrides (CLI --vendor/--agent); win over everything */
  overrides?: Attribution;
  /** fallback start instant (ISO) for formats whose document has no absolute time, e.g. S3 LastModified or file mtime; S3 metadata `started-at` wins over it */
  objectTime?: string;
}

/**
 * The export format of a parsed JSON document, or undefined when it is none we read: the
 * first importer of the registry (./registry.ts, in its order) that recognises it.
 */
export function detectFormat(doc: unknown): SourceFormat | undefined {
  return importerFor(doc)?.format;
}

function importerFor(doc: unknown): Importer | undefined {
  return IMPORTERS.find((importer) => importer.detect(doc));
}

/**
 * Turns an export (bytes or text of a JSON document) into a canonical transcript, attributed
 * to a vendor and an agent. Pure: no I/O. Throws NormalizeError, and nothing else, for any
 * document it refuses.
 */
export function normalize(input: string | Uint8Array, ctx: NormalizeContext): Transcript {
  const { source } = ctx;
  const text = decode(input, source);

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new NormalizeError({
      source,
      format: "unknown",
      field: "(document)",
      reason: "invalid",
      detail: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    });
  }

  const importer = importerFor(doc);
  if (importer === undefined) {
    throw new NormalizeError({
      source,
      format: "unknown",
      field: "(document)",
      reason: "unrecognised",
      detail: `not a supported export (supported: ${SOURCE_FORMATS.join(", ")}); ${describeShape(doc)}`,
    });
  }

  const { format } = importer;
  // An uploader that knows the call's start (Transcribe output has none) says so in metadata.
  const env: Env = new Env(
    source,
    format,
    metadataValue(ctx.metadata, "started-at") ?? ctx.objectTime,
  );
  const draft = importer.read(doc, env);
  const turns = finishTurns(draft.turns, format !== "canonical");
  if (turns.length === 0) env.fail("turns", "no turns with text");

  const { vendor, agent } = resolveAttribution(draft, ctx);
  if (vendor === undefined) env.fail("vendor", unattributed("vendor", ctx, agent), "unattributed");
  if (agent === undefined) env.fail("agent", unattributed("agent", ctx, agent), "unattributed");

  const transcript = validated(
    assemble(draft, vendor.value, agent.value, turns, format, source),
    env,
    {
      vendor: vendor.from,
      agent: agent.from,
    },
  );
  // Checked once the ids are known to be well formed, so a malformed id is reported as such.
  const rosterVendor = rosterVendorConflict({ vendor, agent }, ctx.roster);
  if (rosterVendor !== undefined) {
    env.fail(
      "vendor",
      `vendor "${vendor.value}" (from ${vendor.from}) but the roster has agent "${agent.value}" ` +
        `under "${rosterVendor}"; fix the export or the roster, then reprocess --reason vendor-mismatch`,
      "vendor-mismatch",
    );
  }
  return transcript;
}

/** The transcript as TranscriptSchema accepts it, or a refusal naming the field (and where a bad id came from). */
function validated(
  transcript: Transcript,
  env: Env,
  origins: { vendor: AttributionOrigin; agent: AttributionOrigin },
): Transcript {
  if (conforms(transcript)) return transcript;
  // Only a refusal (or a mirror stricter than the schema) gets here: zod has the last word.
  const result = TranscriptSchema.safeParse(transcript);
  if (!result.success) {
    const field = firstIssuePath(result.error);
    const origin = field === "vendor" || field === "agent" ? origins[field] : undefined;
    const detail = issueDetail(result.error);
    env.fail(field, origin && origin !== "document" ? `${detail} (value from ${origin})` : detail);
  }
  return result.data;
}

/** What a format module may ask of the pipeline while converting one document. */
class Env implements FormatEnv {
  constructor(
    readonly source: string,
    readonly format: SourceFormat,
    readonly objectTime: string | undefined,
  ) {}

  fail(field: string, detail: string, reason: NormalizeReason = "invalid"): never {
    throw new NormalizeError({ source: this.source, format: this.format, field, reason, detail });
  }
}

/**
 * The transcript, keys in TranscriptSchema's order (as a zod parse would return them) and
 * absent optional fields left out rather than undefined.
 */
function assemble(
  draft: Draft,
  vendor: string,
  agent: string,
  turns: Transcript["turns"],
  format: SourceFormat,
  key: string,
): Transcript {
  const transcript: Transcript = {
    schemaVersion: 1,
    interactionId: draft.interactionId,
    vendor,
    agent,
    channel: draft.channel,
  } as Transcript;
  if (draft.queue !== undefined) transcript.queue = draft.queue;
  if (draft.intent !== undefined) transcript.intent = draft.intent;
  transcript.language = draft.language;
  transcript.startedAt = draft.startedAt;
  transcript.endedAt = draft.endedAt;
  transcript.turns = turns;
  if (draft.csat !== undefined) transcript.csat = draft.csat;
  if (draft.resolution !== undefined) transcript.resolution = draft.resolution;
  transcript.source = { format, key };
  return transcript;
}

function metadataValue(metadata: Record<string, string> | undefined, name: string) {
  for (const key in metadata) {
    if (Object.hasOwn(metadata, key) && key.toLowerCase() === name) {
      return metadata[key]?.trim() || undefined;
    }
  }
  return undefined;
}

/** Strict UTF-8, keeping a BOM for decode() to strip; stateless between calls, so shared. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decode(input: string | Uint8Array, source: string): string {
  let text: string;
  if (typeof input === "string") {
    // UTF-8 needs at least one byte per UTF-16 unit, so a long string is refused without counting.
    if (input.length > MAX_TRANSCRIPT_BYTES) throw tooLarge(source, `at least ${input.length}`);
    const size = utf8Length(input);
    if (size > MAX_TRANSCRIPT_BYTES) throw tooLarge(source, String(size));
    text = input;
  } else {
    if (input.byteLength > MAX_TRANSCRIPT_BYTES) throw tooLarge(source, String(input.byteLength));
    try {
      text = UTF8.decode(input);
    } catch {
      throw binary(source, "not UTF-8 text (binary?)");
    }
  }
  if (text.includes("\u0000")) throw binary(source, "contains NUL characters (binary?)");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function tooLarge(source: string, size: string): NormalizeError {
  return new NormalizeError({
    source,
    format: "unknown",
    field: "(document)",
    reason: "too-large",
    detail: `${size} bytes is over the ${MAX_TRANSCRIPT_BYTES}-byte limit`,
  });
}

function binary(source: string, detail: string): NormalizeError {
  return new NormalizeError({
    source,
    format: "unknown",
    field: "(document)",
    reason: "binary",
    detail,
  });
}

/** UTF-8 byte length of a string as TextEncoder would encode it (lone surrogates become 3 bytes). */
function utf8Length(text: string): number {
  if (text.length * 3 <= MAX_TRANSCRIPT_BYTES) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Trims text, drops turns left empty and, unless ids are the document's own, numbers them t1, t2, …. */
function finishTurns(turns: readonly DraftTurn[], numbered: boolean): Transcript["turns"] {
  const kept: Transcript["turns"] = [];
  for (const turn of turns) {
    const text = turn.text.trim();
    if (text === "") continue;
    const id = numbered || turn.id === undefined ? `t${kept.length + 1}` : turn.id;
    kept.push({ id, role: turn.role, text, at: turn.at });
  }
  return kept;
}

function describeShape(doc: unknown): string {
  if (Array.isArray(doc)) return "the document is an array";
  if (!isRecord(doc)) return `the document is ${doc === null ? "null" : `a ${typeof doc}`}`;
  const keys = Object.keys(doc);
  if (keys.length === 0) return "the document is an empty object";
  const shown = keys.slice(0, 6).join(", ");
  return `top-level keys: ${shown}${keys.length > 6 ? ", …" : ""}`;
}

function unattributed(
  missing: "vendor" | "agent",
  ctx: NormalizeContext,
  agent: Resolved | undefined,
): string {
  const keyTemplate = ctx.keyTemplate
    ? matchKeyTemplate(ctx.keyTemplate, ctx.source)
      ? "key template"
      : "key template (no match)"
    : "key template (none set)";
  const looked: string[] = ["overrides", "document", "S3 metadata", keyTemplate];
  if (missing === "vendor") {
    looked.push(
      !ctx.roster
        ? "roster (none given)"
        : agent
          ? "roster (agent not in it)"
          : "roster (no agent)",
    );
  }
  const also = missing === "vendor" && !agent ? " (nor agent)" : "";
  return (
    `no ${missing}${also}; looked in ${looked.join(", ")}; ` +
    "S3 metadata `vendor`/`agent-id`, a key template or the roster can supply it"
  );
}

/** One line, control characters and line breaks as spaces, at most `max` characters. */
function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  let line = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const control =
      code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    line += control ? " " : char;
  }
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : line;
}
