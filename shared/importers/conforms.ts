import {
  CHANNELS,
  ResolutionSchema,
  SOURCE_FORMATS,
  type Transcript,
  TranscriptSchema,
  TurnRoleSchema,
} from "../transcript";
import { isCanonicalVendor } from "../vendor";
import { parseInstant } from "./instants";

/**
 * A fast mirror of TranscriptSchema for the transcripts `normalize` builds. Parsing the
 * finished transcript with zod again was about as costly as reading the export itself; this
 * checks the same rules by hand, so that only transcripts that fail it pay for zod, which then
 * gives the refusal its exact field and wording.
 *
 * The mirror must never accept what TranscriptSchema refuses. Two things keep it honest:
 * test/importers/conforms.test.ts pins TranscriptSchema (its JSON Schema and refinements), so a
 * change there fails until this file follows, and checks the mirror against TranscriptSchema
 * on arbitrary candidates. Unknown keys are not looked for: `normalize` builds the transcript
 * and its turns as object literals with exactly the schema's keys.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]*$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** The very pattern TranscriptSchema checks instants with (`z.iso.datetime({ offset: true })`). */
const INSTANT = datetimePattern();

const CHANNEL_SET: ReadonlySet<unknown> = new Set(CHANNELS);
const ROLE_SET: ReadonlySet<unknown> = new Set(TurnRoleSchema.options);
const RESOLUTION_SET: ReadonlySet<unknown> = new Set(ResolutionSchema.options);
const FORMAT_SET: ReadonlySet<unknown> = new Set(SOURCE_FORMATS);

function datetimePattern(): RegExp {
  const pattern = TranscriptSchema.shape.startedAt.def.pattern;
  if (!(pattern instanceof RegExp) || pattern.global || pattern.sticky) {
    throw new Error("TranscriptSchema.startedAt has no plain datetime pattern to mirror");
  }
  return pattern;
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === "string" && value.length >= min && value.length <= max;
}

function isId(value: unknown): boolean {
  return isText(value, 1, 200) && ID.test(value);
}

function isInstant(value: unknown): value is string {
  return typeof value === "string" && INSTANT.test(value);
}

function isCsat(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5;
}

/** True only when TranscriptSchema accepts `t` as it is (see above); false tells nothing more. */
export function conforms(t: Transcript): boolean {
  if (
    t.schemaVersion !== 1 ||
    !isId(t.interactionId) ||
    !isCanonicalVendor(t.vendor) ||
    !isId(t.agent) ||
    !CHANNEL_SET.has(t.channel) ||
    (t.queue !== undefined && !isText(t.queue, 1, 200)) ||
    (t.intent !== undefined && !isText(t.intent, 1, 200)) ||
    typeof t.language !== "string" ||
    !LANGUAGE.test(t.language) ||
    !isInstant(t.startedAt) ||
    !isInstant(t.endedAt) ||
    (t.csat !== undefined && !isCsat(t.csat)) ||
    (t.resolution !== undefined && !RESOLUTION_SET.has(t.resolution)) ||
    typeof t.source !== "object" ||
    t.source === null ||
    !FORMAT_SET.has(t.source.format) ||
    (t.source.key !== undefined && !isText(t.source.key, 1, 1024))
  ) {
    return false;
  }
  // TranscriptSchema's refinement: the end is not before the start.
  if (parseInstant(t.endedAt) < parseInstant(t.startedAt)) return false;

  const { turns } = t;
  if (!Array.isArray(turns) || turns.length < 1 || turns.length > 5_000) return false;
  const ids = new Set<string>();
  for (const turn of turns) {
    if (
      typeof turn !== "object" ||
      turn === null ||
      !isText(turn.id, 1, 128) ||
      !ROLE_SET.has(turn.role) ||
      !isText(turn.text, 1, 200_000) ||
      !isInstant(turn.at)
    ) {
      return false;
    }
    // TranscriptSchema's refinement: turn ids are unique.
    if (ids.has(turn.id)) return false;
    ids.add(turn.id);
  }
  return true;
}
