import { z } from "zod";
import type { TurnRole } from "../transcript";
import { isoAt, isRecord, MillisSchema, OUT_OF_RANGE, objectStart } from "./canonical";
import { type Draft, type DraftTurn, defineImporter, type FormatEnv } from "./importer";
import { formatInstant } from "./instants";

const ROLES = { AGENT: "agent", CUSTOMER: "customer" } as const satisfies Record<string, TurnRole>;

/** The fields of an Amazon Transcribe Call Analytics output file that Spotcheck uses; no others. */
export const CallAnalyticsSchema = z.object({
  JobName: z.string(),
  LanguageCode: z.string().optional(),
  Transcript: z.array(
    z.object({
      Content: z.string(),
      ParticipantRole: z.enum(["AGENT", "CUSTOMER"]),
      BeginOffsetMillis: MillisSchema,
      EndOffsetMillis: MillisSchema,
    }),
  ),
  ConversationCharacteristics: z
    .object({ TotalConversationDurationMillis: MillisSchema.optional() })
    .optional(),
});
/** A Call Analytics output file as parsed. */
export type CallAnalyticsDoc = z.infer<typeof CallAnalyticsSchema>;

/** True for Call Analytics output: a job name and a transcript whose turns carry ParticipantRole. */
export function isCallAnalytics(doc: unknown): boolean {
  if (!isRecord(doc) || !("JobName" in doc) || !Array.isArray(doc.Transcript)) return false;
  // An empty transcript is still this format; the pipeline then reports the missing turns.
  return (
    doc.Transcript.length === 0 ||
    doc.Transcript.some((turn) => isRecord(turn) && "ParticipantRole" in turn)
  );
}

/** A Call Analytics output file to a draft transcript; times hang off the object time. */
export function fromCallAnalytics(doc: CallAnalyticsDoc, env: FormatEnv): Draft {
  const start = objectStart(env);
  let end = start;
  const duration = doc.ConversationCharacteristics?.TotalConversationDurationMillis;
  if (duration !== undefined) end = start + duration;

  const turns = doc.Transcript.map((turn, i): DraftTurn => {
    end = Math.max(end, start + turn.EndOffsetMillis);
    return {
      role: ROLES[turn.ParticipantRole],
      text: turn.Content,
      at:
        formatInstant(start + turn.BeginOffsetMillis) ??
        env.fail(`Transcript.${i}.BeginOffsetMillis`, OUT_OF_RANGE),
    };
  });

  return {
    interactionId: doc.JobName,
    channel: "voice",
    language: doc.LanguageCode ?? "und",
    startedAt: isoAt(start, "startedAt", env),
    endedAt: isoAt(end, "endedAt", env),
    turns,
  };
}

/** The transcribe-call-analytics format for the registry. */
export const callAnalyticsImporter = defineImporter({
  format: "transcribe-call-analytics",
  detect: isCallAnalytics,
  schema: CallAnalyticsSchema,
  convert: fromCallAnalytics,
});
