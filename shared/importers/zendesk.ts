import { z } from "zod";
import type { Channel } from "../transcript";
import { InstantSchema, isoAt, isRecord, OUT_OF_RANGE } from "./canonical";
import { type Draft, type DraftTurn, defineImporter, type FormatEnv } from "./importer";
import { isoOfInstant, parseInstant } from "./instants";

/** Zendesk `via.channel` values and the Spotcheck channel each becomes; anything else is email. */
const CHANNELS: ReadonlyMap<string, Channel> = new Map([
  ["email", "email"],
  ["web", "email"],
  ["api", "email"],
  ["chat", "chat"],
  ["native_messaging", "chat"],
  ["voice", "voice"],
  ["sms", "sms"],
  ["facebook", "social"],
  ["twitter", "social"],
  ["instagram_dm", "social"],
  ["whatsapp", "social"],
  ["any_channel", "social"],
]);

const CSAT: ReadonlyMap<string, number> = new Map([
  ["good", 5],
  ["bad", 1],
]);

const CommentSchema = z.object({
  author_id: z.number().int(),
  body: z.string().optional(),
  plain_body: z.string().optional(),
  // Required: guessing "public" for a comment without the flag could put internal notes in front of reviewers.
  public: z.boolean(),
  created_at: InstantSchema,
});

/** The fields of a Zendesk ticket export (ticket plus comments) that Spotcheck uses; no others. */
export const ZendeskSchema = z.object({
  ticket: z.object({
    id: z.number().int().nonnegative(),
    requester_id: z.number().int(),
    assignee_id: z.number().int().nullish(),
    group_id: z.number().int().nullish(),
    tags: z.array(z.string()).nullish(),
    via: z.object({ channel: z.string().nullish() }).nullish(),
    satisfaction_rating: z.object({ score: z.string().nullish() }).nullish(),
    created_at: InstantSchema,
    updated_at: InstantSchema.nullish(),
    comments: z.array(CommentSchema).optional(),
  }),
  comments: z.array(CommentSchema).optional(),
});
/** A Zendesk ticket export as parsed. */
export type ZendeskDoc = z.infer<typeof ZendeskSchema>;

/** True for a Zendesk export: a `ticket` with a numeric id and comments at the top or in the ticket. */
export function isZendesk(doc: unknown): boolean {
  if (!isRecord(doc) || !isRecord(doc.ticket) || typeof doc.ticket.id !== "number") return false;
  return Array.isArray(doc.comments) || Array.isArray(doc.ticket.comments);
}

/** The value of the first tag `<prefix>:<value>` or `<prefix>_<value>`. */
function tagValue(tags: readonly string[], prefix: string): string | undefined {
  for (const tag of tags) {
    for (const separator of [":", "_"]) {
      const head = `${prefix}${separator}`;
      if (tag.startsWith(head) && tag.length > head.length) return tag.slice(head.length);
    }
  }
  return undefined;
}

/**
 * A Zendesk ticket export to a draft. Internal notes are skipped; the requester is the
 * customer and every other author counts as the agent side.
 */
export function fromZendesk(doc: ZendeskDoc, env: FormatEnv): Draft {
  const { ticket } = doc;
  const inTicket = doc.comments === undefined;
  const comments = doc.comments ?? ticket.comments ?? [];
  const base = inTicket ? "ticket.comments" : "comments";
  const tags = ticket.tags ?? [];

  const start = parseInstant(ticket.created_at);
  const updated =
    ticket.updated_at === undefined || ticket.updated_at === null
      ? start
      : parseInstant(ticket.updated_at);
  let end = Math.max(start, updated);
  let lastPublic: number | undefined;
  const turns: DraftTurn[] = [];
  comments.forEach((comment, i) => {
    if (!comment.public) return;
    const created = parseInstant(comment.created_at);
    lastPublic = Math.max(lastPublic ?? created, created);
    turns.push({
      role: comment.author_id === ticket.requester_id ? "customer" : "agent",
      text: comment.body?.trim() ? comment.body : (comment.plain_body ?? ""),
      at:
        isoOfInstant(comment.created_at, created) ??
        env.fail(`${base}.${i}.created_at`, OUT_OF_RANGE),
    });
  });
  if (lastPublic !== undefined) end = Math.max(start, lastPublic);

  const assignee = ticket.assignee_id;
  const score = ticket.satisfaction_rating?.score;
  return {
    interactionId: `zendesk-${ticket.id}`,
    vendor: tagValue(tags, "vendor"),
    agent: assignee === undefined || assignee === null ? undefined : `zd-${assignee}`,
    channel: CHANNELS.get(ticket.via?.channel ?? "") ?? "email",
    queue:
      ticket.group_id === undefined || ticket.group_id === null
        ? undefined
        : `group-${ticket.group_id}`,
    intent: tagValue(tags, "intent"),
    language: "und",
    startedAt: isoAt(start, "ticket.created_at", env),
    endedAt: isoAt(end, "ticket.updated_at", env),
    turns,
    csat: score === undefined || score === null ? undefined : CSAT.get(score),
  };
}

/** The zendesk format for the registry. */
export const zendeskImporter = defineImporter({
  format: "zendesk",
  detect: isZendesk,
  schema: ZendeskSchema,
  convert: fromZendesk,
});
