import { z } from "zod";
import type { TurnRole } from "../transcript";
import { InstantSchema, isoAt, isRecord, OUT_OF_RANGE } from "./canonical";
import { type Draft, type DraftTurn, defineImporter, type FormatEnv } from "./importer";
import { isoOfInstant, parseInstant } from "./instants";

/** Connect chat participant roles; SYSTEM messages come from contact flows and bots. */
const ROLES: ReadonlyMap<string, TurnRole> = new Map([
  ["AGENT", "agent"],
  ["CUSTOMER", "customer"],
  ["SYSTEM", "bot"],
  ["CUSTOM_BOT", "bot"],
]);

/**
 * The fields of an Amazon Connect chat transcript (as stored in S3) that Spotcheck uses. Plain
 * (stripping) objects, as in every format schema: other keys are neither checked nor copied,
 * where a loose object would copy each of them into the parsed result.
 */
export const ConnectChatSchema = z.object({
  ContactId: z.string(),
  LanguageCode: z.string().optional(),
  Transcript: z.array(
    z.object({
      AbsoluteTime: InstantSchema,
      Type: z.string(),
      Content: z.string().optional(),
      ParticipantRole: z.string().optional(),
    }),
  ),
});
/** A Connect chat transcript as parsed. */
export type ConnectChatDoc = z.infer<typeof ConnectChatSchema>;

/** True for a Connect chat transcript: a contact id and items with AbsoluteTime and Type. */
export function isConnectChat(doc: unknown): boolean {
  if (!isRecord(doc) || !("ContactId" in doc) || !Array.isArray(doc.Transcript)) return false;
  return (
    doc.Transcript.length === 0 ||
    doc.Transcript.some((item) => isRecord(item) && "AbsoluteTime" in item && "Type" in item)
  );
}

/**
 * A Connect chat transcript to a draft. Events (joins, leaves) and items without text
 * (attachments, typing) are not turns, but their times still bound the conversation.
 */
export function fromConnectChat(doc: ConnectChatDoc, env: FormatEnv): Draft {
  if (doc.Transcript.length === 0) env.fail("turns", "the chat transcript has no items");
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const turns: DraftTurn[] = [];
  doc.Transcript.forEach((item, i) => {
    const ms = parseInstant(item.AbsoluteTime);
    start = Math.min(start, ms);
    end = Math.max(end, ms);
    if (item.Type === "EVENT" || item.Content === undefined) return;
    const role = ROLES.get(item.ParticipantRole ?? "");
    if (role === undefined) {
      env.fail(
        `Transcript.${i}.ParticipantRole`,
        `unknown role "${item.ParticipantRole ?? "(none)"}" (expected ${[...ROLES.keys()].join(", ")})`,
      );
    }
    const at = isoOfInstant(item.AbsoluteTime, ms) ?? env.fail(`Transcript.${i}`, OUT_OF_RANGE);
    turns.push({ role, text: item.Content, at });
  });

  return {
    interactionId: doc.ContactId,
    channel: "chat",
    language: doc.LanguageCode ?? "und",
    startedAt: isoAt(start, "startedAt", env),
    endedAt: isoAt(end, "endedAt", env),
    turns,
  };
}

/** The connect-chat format for the registry. */
export const connectChatImporter = defineImporter({
  format: "connect-chat",
  detect: isConnectChat,
  schema: ConnectChatSchema,
  convert: fromConnectChat,
});
