import { z } from "zod";
import type { Channel, TurnRole } from "../transcript";
import {
  InstantSchema,
  isoAt,
  isRecord,
  MillisSchema,
  OUT_OF_RANGE,
  objectStart,
} from "./canonical";
import { type Draft, type DraftTurn, defineImporter, type FormatEnv } from "./importer";
import { formatInstant, isoOfInstant, parseInstant } from "./instants";

/** Contact Lens participant roles and what they become. */
const ROLES: ReadonlyMap<string, TurnRole> = new Map([
  ["AGENT", "agent"],
  ["CUSTOMER", "customer"],
  ["SYSTEM", "system"],
  ["CUSTOM_BOT", "bot"],
  ["BOT", "bot"],
]);

const CHANNELS = { VOICE: "voice", CHAT: "chat" } as const satisfies Record<string, Channel>;

/** A Contact Lens turn; voice turns carry offsets, chat turns carry AbsoluteTime. */
const TurnSchema = z
  .object({
    Content: z.string(),
    ParticipantId: z.string().optional(),
    ParticipantRole: z.string().optional(),
    BeginOffsetMillis: MillisSchema.optional(),
    EndOffsetMillis: MillisSchema.optional(),
    AbsoluteTime: InstantSchema.optional(),
  })
  .superRefine((turn, ctx) => {
    if (turn.BeginOffsetMillis === undefined && turn.AbsoluteTime === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["BeginOffsetMillis"],
        message: "a turn needs BeginOffsetMillis or AbsoluteTime",
      });
    }
  });

/** The fields of a Contact Lens analysis file (voice or chat) that Spotcheck uses; no others. */
export const ContactLensSchema = z.object({
  Channel: z.enum(["VOICE", "CHAT"]),
  LanguageCode: z.string().optional(),
  CustomerMetadata: z.object({
    ContactId: z.string(),
    InputS3Uri: z.string().optional(),
  }),
  Participants: z.array(
    z.object({ ParticipantId: z.string(), ParticipantRole: z.string().optional() }),
  ),
  ConversationCharacteristics: z
    .object({ TotalConversationDurationMillis: MillisSchema.optional() })
    .optional(),
  Transcript: z.array(TurnSchema),
});
/** A Contact Lens analysis file as parsed. */
export type ContactLensDoc = z.infer<typeof ContactLensSchema>;

/** True for a Contact Lens analysis file: participants, a transcript, contact metadata, no job name. */
export function isContactLens(doc: unknown): boolean {
  return (
    isRecord(doc) &&
    Array.isArray(doc.Participants) &&
    Array.isArray(doc.Transcript) &&
    (isRecord(doc.CustomerMetadata) || "ConversationCharacteristics" in doc) &&
    !("JobName" in doc)
  );
}

/**
 * Start instant from the recording name, which Connect suffixes with `_YYYYMMDDTHH:MM_UTC`
 * (the colon sometimes URL-encoded); undefined when absent or not a real date.
 */
export function startFromInputUri(uri: string | undefined): number | undefined {
  const match = /_(\d{4})(\d{2})(\d{2})T(\d{2})(?::|%3A)(\d{2})_UTC/i.exec(uri ?? "");
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute);
  const back = new Date(ms);
  // Date.UTC rolls over (month 13, 25:00); a rolled-over date is a garbled name, not a time.
  const real =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute;
  return real ? ms : undefined;
}

/** A Contact Lens analysis file to a draft transcript. */
export function fromContactLens(doc: ContactLensDoc, env: FormatEnv): Draft {
  const participantRoles = new Map<string, { role: string; index: number }>();
  doc.Participants.forEach((p, index) => {
    if (p.ParticipantRole !== undefined) {
      participantRoles.set(p.ParticipantId, { role: p.ParticipantRole, index });
    }
  });

  // Chat analysis has absolute times on every turn, which beat the object time as an anchor.
  const absolute = doc.Transcript.map((t) =>
    t.AbsoluteTime === undefined ? Number.NaN : parseInstant(t.AbsoluteTime),
  );
  let allAbsolute = absolute.length > 0;
  let earliest = Number.POSITIVE_INFINITY;
  for (const ms of absolute) {
    if (Number.isNaN(ms)) allAbsolute = false;
    else earliest = Math.min(earliest, ms);
  }
  const start =
    startFromInputUri(doc.CustomerMetadata.InputS3Uri) ??
    (allAbsolute ? earliest : objectStart(env));

  let end = start;
  const duration = doc.ConversationCharacteristics?.TotalConversationDurationMillis;
  if (duration !== undefined) end = Math.max(end, start + duration);

  const turns = doc.Transcript.map((turn, i): DraftTurn => {
    const absoluteMs = absolute[i] ?? Number.NaN;
    const at = Number.isNaN(absoluteMs) ? start + (turn.BeginOffsetMillis ?? 0) : absoluteMs;
    end = Math.max(end, at);
    if (turn.EndOffsetMillis !== undefined) end = Math.max(end, start + turn.EndOffsetMillis);
    return {
      role: roleOf(turn, i, participantRoles, env),
      text: turn.Content,
      at:
        (turn.AbsoluteTime === undefined
          ? formatInstant(at)
          : isoOfInstant(turn.AbsoluteTime, at)) ?? env.fail(`Transcript.${i}`, OUT_OF_RANGE),
    };
  });

  return {
    interactionId: doc.CustomerMetadata.ContactId,
    channel: CHANNELS[doc.Channel],
    language: doc.LanguageCode ?? "und",
    startedAt: isoAt(start, "startedAt", env),
    endedAt: isoAt(end, "endedAt", env),
    turns,
  };
}

function roleOf(
  turn: { ParticipantId?: string; ParticipantRole?: string },
  i: number,
  participantRoles: ReadonlyMap<string, { role: string; index: number }>,
  env: FormatEnv,
): TurnRole {
  if (turn.ParticipantRole !== undefined) {
    return (
      ROLES.get(turn.ParticipantRole) ??
      unknownRole(turn.ParticipantRole, `Transcript.${i}.ParticipantRole`, env)
    );
  }
  const participant =
    turn.ParticipantId === undefined ? undefined : participantRoles.get(turn.ParticipantId);
  if (participant === undefined) {
    env.fail(
      `Transcript.${i}.ParticipantId`,
      `no ParticipantRole for participant "${turn.ParticipantId ?? "(none)"}" in the turn or in Participants`,
    );
  }
  return (
    ROLES.get(participant.role) ??
    unknownRole(participant.role, `Participants.${participant.index}.ParticipantRole`, env)
  );
}

function unknownRole(role: string, field: string, env: FormatEnv): never {
  env.fail(field, `unknown role "${role}" (expected ${[...ROLES.keys()].join(", ")})`);
}

/** The contact-lens format for the registry. */
export const contactLensImporter = defineImporter({
  format: "contact-lens",
  detect: isContactLens,
  schema: ContactLensSchema,
  convert: fromContactLens,
});
