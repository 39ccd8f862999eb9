import { z } from "zod";
import { IdSchema, TranscriptSchema, TurnSchema } from "../transcript";
import { type Draft, defineImporter, type FormatEnv } from "./importer";
import { formatInstant, parseInstant } from "./instants";

/**
 * The time helpers every format module needs, and the canonical format itself (the draft is
 * simply a canonical transcript before attribution).
 */

/**
 * An ISO-8601 instant with offset, as text. Format modules read it with `parseInstant` (epoch
 * milliseconds) and `isoOfInstant` (its ISO form); a transform to milliseconds here would cost
 * every turn a zod pipe for what a plain function call does. Every text it accepts is a real
 * instant (four-digit years), so reading one cannot fail.
 */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A duration or offset in milliseconds; a month bounds it so that instant arithmetic stays in range. */
export const MillisSchema = z
  .number()
  .int()
  .min(0)
  .max(31 * 86_400_000);

/** What a format module says when an instant is outside Date's range. */
export const OUT_OF_RANGE = "time out of range";

/**
 * ISO form of epoch milliseconds; fails `field` when the instant is outside Date's range.
 * Per-turn callers use `formatInstant(ms) ?? env.fail(...)` instead, so that the field path is
 * only built for a failure.
 */
export function isoAt(ms: number, field: string, env: FormatEnv): string {
  return formatInstant(ms) ?? env.fail(field, OUT_OF_RANGE);
}

/**
 * The object time (S3 LastModified or file mtime) in epoch milliseconds, for documents that
 * carry only offsets; fails `startedAt` when it is missing or unparsable.
 */
export function objectStart(env: FormatEnv): number {
  if (env.objectTime === undefined) {
    env.fail("startedAt", "no start time in the document; supply the object time");
  }
  const ms = InstantSchema.safeParse(env.objectTime).success
    ? parseInstant(env.objectTime)
    : Number.NaN;
  if (Number.isNaN(ms)) {
    env.fail("startedAt", `the object time "${env.objectTime}" is not an ISO-8601 instant`);
  }
  return ms;
}

/** True for a document in Spotcheck's own format (`schemaVersion: 1` with an `interactionId`). */
export function isCanonical(doc: unknown): boolean {
  return isRecord(doc) && doc.schemaVersion === 1 && "interactionId" in doc;
}

const { shape } = TranscriptSchema;

/**
 * Spotcheck's own transcript shape as input. It is strict like TranscriptSchema (a misspelt
 * optional field should not vanish silently), except that vendor and agent may be left to
 * attribution, `source` is ignored (we record where we read it), and empty turn text is left
 * for the pipeline to drop.
 */
export const CanonicalInputSchema = z.strictObject({
  ...shape,
  vendor: IdSchema.optional(),
  agent: IdSchema.optional(),
  turns: z.array(TurnSchema.extend({ text: z.string().max(200_000) })).max(5_000),
  source: z.unknown().optional(),
});
/** A canonical document as parsed, before attribution. */
export type CanonicalInput = z.infer<typeof CanonicalInputSchema>;

/** Canonical input to a draft: everything carries over except `source`. */
export function fromCanonical(doc: CanonicalInput): Draft {
  const { source: _ignored, schemaVersion: _one, ...rest } = doc;
  return rest;
}

/** A plain JSON object (not an array or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The canonical format for the registry. */
export const canonicalImporter = defineImporter({
  format: "canonical",
  detect: isCanonical,
  schema: CanonicalInputSchema,
  convert: fromCanonical,
});
