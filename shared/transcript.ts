import { z } from "zod";
import { CanonicalVendorIdSchema } from "./vendor";

/** Contact channels Spotcheck samples from. */
export const CHANNELS = ["voice", "chat", "email", "social", "sms"] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

/** Who spoke a turn. `bot` covers IVR and chat-bot flows; `system` covers notices. */
export const TurnRoleSchema = z.enum(["agent", "customer", "bot", "system"]);
export type TurnRole = z.infer<typeof TurnRoleSchema>;

/** Export formats the importers understand; recorded on every transcript for provenance. */
export const SOURCE_FORMATS = [
  "canonical",
  "contact-lens",
  "transcribe-call-analytics",
  "connect-chat",
  "zendesk",
] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/**
 * Identifiers end up inside DynamoDB keys such as `IX#<id>` and `AG#<vendor>#<agent>`,
 * so `#` and whitespace are refused rather than escaped.
 */
export const IdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/+-]*$/, "letters, digits and . _ : @ / + - only");

/** Largest transcript document the importers accept, in bytes. */
export const MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024;

export const TurnSchema = z
  .object({
    /** Stable within the transcript; reviewers cite it as evidence. */
    id: z.string().min(1).max(128),
    role: TurnRoleSchema,
    text: z.string().min(1).max(200_000),
    /** When the turn started (absolute, ISO-8601 with offset). */
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type Turn = z.infer<typeof TurnSchema>;

export const ResolutionSchema = z.enum(["resolved", "unresolved", "escalated", "transferred"]);

/** The one transcript shape every importer produces and every function consumes. */
export const TranscriptSchema = z
  .object({
    schemaVersion: z.literal(1),
    interactionId: IdSchema,
    /** Canonical (shared/vendor.ts): the importers lower-case and trim whatever they were given. */
    vendor: CanonicalVendorIdSchema,
    agent: IdSchema,
    channel: ChannelSchema,
    queue: z.string().min(1).max(200).optional(),
    intent: z.string().min(1).max(200).optional(),
    /** BCP-47 tag such as `en-US`. */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP-47 tag such as en-US"),
    startedAt: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    turns: z.array(TurnSchema).min(1).max(5_000),
    csat: z.number().int().min(1).max(5).optional(),
    resolution: ResolutionSchema.optional(),
    source: z
      .object({ format: SourceFormatSchema, key: z.string().min(1).max(1024).optional() })
      .strict(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (Date.parse(t.endedAt) < Date.parse(t.startedAt)) {
      ctx.addIssue({ code: "custom", path: ["endedAt"], message: "is before startedAt" });
    }
    const seen = new Set<string>();
    t.turns.forEach((turn, i) => {
      if (seen.has(turn.id)) {
        ctx.addIssue({ code: "custom", path: ["turns", i, "id"], message: "duplicate turn id" });
      }
      seen.add(turn.id);
    });
  });
export type Transcript = z.infer<typeof TranscriptSchema>;
