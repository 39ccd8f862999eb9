import type { Transcript } from "../../shared/transcript";
import { isoSeconds, isoTime } from "./clock";
import type { Resolution, Satisfaction } from "./conversation";
import type { Intent } from "./phrases";
import type { Rng } from "./random";
import type { DemoChannel, DemoVendor, Quality, RosterAgent, VendorAccounts } from "./roster";
import { countWords, type TimedLine, type Timeline } from "./timing";

/** Source formats the demo writes (a subset of shared/transcript.ts SOURCE_FORMATS). */
export type DemoFormat =
  | "contact-lens"
  | "transcribe-call-analytics"
  | "connect-chat"
  | "zendesk"
  | "canonical";

/** Everything a renderer needs to write one interaction in one export format. */
export interface RenderInput {
  interactionId: string;
  vendor: DemoVendor;
  accounts: VendorAccounts;
  agent: RosterAgent;
  channel: DemoChannel;
  intent: Intent;
  queue: string;
  startMs: number;
  timeline: Timeline;
  vars: Readonly<Record<string, string>>;
  quality: Quality;
  resolution: Resolution;
  satisfaction: Satisfaction;
  csat?: number;
  subject: string;
  /** Zendesk only: the numeric ticket id and a source of increasing comment ids. */
  ticketId?: number;
  requesterId?: number;
  nextCommentId?: () => number;
}

type Sentiment = "POSITIVE" | "NEGATIVE" | "NEUTRAL" | "MIXED";

const iso = isoTime;

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function sentimentOf(line: TimedLine, input: RenderInput, rng: Rng): Sentiment {
  if (line.role === "customer") {
    switch (line.kind) {
      case "problem":
        return rng.chance(0.75) ? "NEGATIVE" : rng.chance(0.5) ? "MIXED" : "NEUTRAL";
      case "pushback":
        return "NEGATIVE";
      case "close":
      case "bye":
        return input.satisfaction === "good"
          ? "POSITIVE"
          : input.satisfaction === "bad"
            ? "NEGATIVE"
            : "NEUTRAL";
      default:
        return input.satisfaction === "bad" && rng.chance(0.3) ? "NEGATIVE" : "NEUTRAL";
    }
  }
  if (line.kind === "clarify" && input.quality.empathy < 1.9) return "NEGATIVE";
  if ((line.kind === "resolution" || line.kind === "close") && input.quality.empathy >= 3.5) {
    return rng.chance(0.7) ? "POSITIVE" : "NEUTRAL";
  }
  return "NEUTRAL";
}

function loudness(durationMs: number, base: number, rng: Rng): number[] {
  const n = clamp(Math.round(durationMs / 2500), 1, 16);
  return Array.from({ length: n }, () => round1(base + rng.normal(0, 1.5)));
}

interface VoiceStats {
  overall: { AGENT: number; CUSTOMER: number };
  talk: { AGENT: number; CUSTOMER: number };
  words: { AGENT: number; CUSTOMER: number };
  nonTalk: Array<{ BeginOffsetMillis: number; EndOffsetMillis: number; DurationMillis: number }>;
}

function voiceStats(input: RenderInput, rng: Rng): VoiceStats {
  const talk = { AGENT: 0, CUSTOMER: 0 };
  const words = { AGENT: 0, CUSTOMER: 0 };
  const nonTalk: VoiceStats["nonTalk"] = [];
  let previousEnd = 0;
  for (const line of input.timeline.lines) {
    const who = line.role === "customer" ? "CUSTOMER" : "AGENT";
    talk[who] += line.end - line.begin;
    words[who] += countWords(line.text);
    if (line.begin - previousEnd >= 3000) {
      nonTalk.push({
        BeginOffsetMillis: previousEnd,
        EndOffsetMillis: line.begin,
        DurationMillis: line.begin - previousEnd,
      });
    }
    previousEnd = line.end;
  }
  const customerMood =
    input.satisfaction === "good"
      ? rng.range(0.5, 3)
      : input.satisfaction === "bad"
        ? rng.range(-4, -1)
        : rng.range(-1, 1);
  return {
    overall: {
      AGENT: round1(clamp((input.quality.empathy - 3) * 1.2 + rng.normal(0, 0.4), -5, 5)),
      CUSTOMER: round1(customerMood),
    },
    talk,
    words,
    nonTalk,
  };
}

function quarters(duration: number, score: number, rng: Rng) {
  return [0, 1, 2, 3].map((q) => ({
    BeginOffsetMillis: Math.round((duration * q) / 4),
    EndOffsetMillis: Math.round((duration * (q + 1)) / 4),
    Score: round1(clamp(score + rng.normal(0, 0.8) + (q - 1.5) * 0.3, -5, 5)),
  }));
}

function wordsPerMinute(words: number, ms: number): number {
  return ms > 0 ? Math.round((words / ms) * 60_000) : 0;
}

function recordingStamp(ms: number): string {
  const s = iso(ms);
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 16)}`;
}

/** Amazon Connect Contact Lens post-call analysis, shaped like the fixture. */
export function contactLens(input: RenderInput, rng: Rng): unknown {
  const agentId = rng.uuid();
  const customerId = rng.uuid();
  const stats = voiceStats(input, rng);
  const duration = input.timeline.duration;
  const base = { AGENT: rng.normal(70.5, 1.5), CUSTOMER: rng.normal(75, 2.5) };
  const date = iso(input.startMs).slice(0, 10).replaceAll("-", "/");
  const acc = input.accounts;
  return {
    Version: "1.1.0",
    AccountId: acc.awsAccountId,
    Channel: "VOICE",
    ContentMetadata: { Output: "Raw" },
    JobStatus: "COMPLETED",
    LanguageCode: "en-US",
    CustomerMetadata: {
      InputS3Uri: `s3://${acc.recordingBucket}/connect/${acc.connectAlias}/CallRecordings/${date}/${input.interactionId}_${recordingStamp(input.startMs)}_UTC.wav`,
      ContactId: input.interactionId,
      InstanceId: acc.connectInstanceId,
    },
    Participants: [
      { ParticipantId: agentId, ParticipantRole: "AGENT" },
      { ParticipantId: customerId, ParticipantRole: "CUSTOMER" },
    ],
    Categories: { MatchedCategories: [], MatchedDetails: {} },
    ConversationCharacteristics: {
      TotalConversationDurationMillis: duration,
      Sentiment: {
        OverallSentiment: stats.overall,
        SentimentByPeriod: {
          QUARTER: {
            AGENT: quarters(duration, stats.overall.AGENT, rng),
            CUSTOMER: quarters(duration, stats.overall.CUSTOMER, rng),
          },
        },
      },
      Interruptions: { InterruptionsByInterrupter: {}, TotalCount: 0, TotalTimeMillis: 0 },
      NonTalkTime: {
        TotalTimeMillis: stats.nonTalk.reduce((s, n) => s + n.DurationMillis, 0),
        Instances: stats.nonTalk,
      },
      TalkSpeed: {
        DetailsByParticipant: {
          AGENT: { AverageWordsPerMinute: wordsPerMinute(stats.words.AGENT, stats.talk.AGENT) },
          CUSTOMER: {
            AverageWordsPerMinute: wordsPerMinute(stats.words.CUSTOMER, stats.talk.CUSTOMER),
          },
        },
      },
      TalkTime: {
        TotalTimeMillis: stats.talk.AGENT + stats.talk.CUSTOMER,
        DetailsByParticipant: {
          AGENT: { TotalTimeMillis: stats.talk.AGENT },
          CUSTOMER: { TotalTimeMillis: stats.talk.CUSTOMER },
        },
      },
    },
    CustomModels: [],
    Transcript: input.timeline.lines.map((line) => {
      const who = line.role === "customer" ? "CUSTOMER" : "AGENT";
      const item: Record<string, unknown> = {
        Id: rng.uuid(),
        ParticipantId: who === "AGENT" ? agentId : customerId,
        Content: line.text,
        BeginOffsetMillis: line.begin,
        EndOffsetMillis: line.end,
        Sentiment: sentimentOf(line, input, rng),
        LoudnessScore: loudness(line.end - line.begin, base[who], rng),
      };
      if (line.focus) {
        const offsets = {
          CharacterOffsets: { BeginOffsetChar: line.focus[0], EndOffsetChar: line.focus[1] },
        };
        item[line.kind === "problem" ? "IssuesDetected" : "OutcomesDetected"] = [offsets];
      }
      return item;
    }),
  };
}

/** Amazon Transcribe Call Analytics output, shaped like the fixture. */
export function transcribeCallAnalytics(input: RenderInput, rng: Rng): unknown {
  const stats = voiceStats(input, rng);
  const prefix = rng.hex(8);
  const base = { AGENT: rng.normal(70, 1.5), CUSTOMER: rng.normal(75.5, 2.5) };
  return {
    JobName: input.interactionId,
    AccountId: input.accounts.awsAccountId,
    JobStatus: "COMPLETED",
    LanguageCode: "en-US",
    Channel: "VOICE",
    Participants: [{ ParticipantRole: "AGENT" }, { ParticipantRole: "CUSTOMER" }],
    Transcript: input.timeline.lines.map((line, i) => {
      const who = line.role === "customer" ? "CUSTOMER" : "AGENT";
      const item: Record<string, unknown> = {
        Id: `${prefix}-${String(i + 1).padStart(4, "0")}`,
        ParticipantRole: who,
        Content: line.text,
        BeginOffsetMillis: line.begin,
        EndOffsetMillis: line.end,
        Sentiment: sentimentOf(line, input, rng),
        LoudnessScores: loudness(line.end - line.begin, base[who], rng),
        Items: [],
      };
      if (line.focus) {
        const offsets = { CharacterOffsets: { Begin: line.focus[0], End: line.focus[1] } };
        item[line.kind === "problem" ? "IssuesDetected" : "OutcomesDetected"] = [offsets];
      }
      return item;
    }),
    Categories: { MatchedCategories: [], MatchedDetails: {} },
    ConversationCharacteristics: {
      TotalConversationDurationMillis: input.timeline.duration,
      Sentiment: { OverallSentiment: stats.overall },
      NonTalkTime: {
        TotalTimeMillis: stats.nonTalk.reduce((s, n) => s + n.DurationMillis, 0),
        Instances: stats.nonTalk,
      },
      Interruptions: { TotalCount: 0, TotalTimeMillis: 0, InterruptionsByInterrupter: {} },
      TalkTime: {
        TotalTimeMillis: stats.talk.AGENT + stats.talk.CUSTOMER,
        DetailsByParticipant: {
          AGENT: { TotalTimeMillis: stats.talk.AGENT },
          CUSTOMER: { TotalTimeMillis: stats.talk.CUSTOMER },
        },
      },
    },
  };
}

const JOINED = "application/vnd.amazonaws.connect.event.participant.joined";
const LEFT = "application/vnd.amazonaws.connect.event.participant.left";

/** Amazon Connect chat transcript as stored in S3, shaped like the fixture. */
export function connectChat(input: RenderInput, rng: Rng): unknown {
  const agentId = rng.uuid();
  const customerId = rng.uuid();
  const customerName = rng.chance(0.6) ? (input.vars.customerFirst ?? "Customer") : "Customer";
  const at = (offset: number) => iso(input.startMs + offset);
  const party = {
    agent: { ParticipantId: agentId, DisplayName: input.agent.name, ParticipantRole: "AGENT" },
    customer: { ParticipantId: customerId, DisplayName: customerName, ParticipantRole: "CUSTOMER" },
    bot: { ParticipantId: "system", DisplayName: "SYSTEM_MESSAGE", ParticipantRole: "SYSTEM" },
  };
  const event = (offset: number, type: string, who: "agent" | "customer") => ({
    AbsoluteTime: at(offset),
    ContentType: type,
    Id: rng.uuid(),
    Type: "EVENT",
    ...party[who],
  });
  const items: unknown[] = [event(0, JOINED, "customer")];
  let agentJoined = false;
  for (const line of input.timeline.lines) {
    if (line.role === "agent" && !agentJoined) {
      items.push(event(input.timeline.agentJoin ?? line.begin, JOINED, "agent"));
      agentJoined = true;
    }
    items.push({
      AbsoluteTime: at(line.begin),
      Content: line.text,
      ContentType: "text/plain",
      Id: rng.uuid(),
      Type: "MESSAGE",
      ...party[line.role],
    });
  }
  items.push(event(input.timeline.duration, LEFT, rng.chance(0.7) ? "customer" : "agent"));
  return {
    Version: "2019-08-26",
    AWSAccountId: input.accounts.awsAccountId,
    InstanceId: input.accounts.connectInstanceId,
    InitialContactId: input.interactionId,
    ContactId: input.interactionId,
    Participants: [{ ParticipantId: agentId }, { ParticipantId: customerId }],
    Transcript: items,
  };
}

const INTERNAL_NOTES: readonly string[] = [
  "Checked order history and payment records before replying.",
  "Customer verified via email on file.",
  "Macro applied; no further action needed unless customer replies.",
  "Flagged for QA follow-up.",
];

/**
 * Zendesk ticket export. `assignee_id` is left out on purpose: the agent comes from the S3
 * object metadata, which keeps the demo's `agt-NNNN` ids instead of Zendesk user ids.
 */
export function zendesk(input: RenderInput, rng: Rng): unknown {
  const ticketId = input.ticketId ?? 0;
  const requesterId = input.requesterId ?? 0;
  const nextId = input.nextCommentId ?? (() => rng.int(1, 2 ** 31));
  const comments: unknown[] = [];
  let noteAdded = false;
  for (const line of input.timeline.lines) {
    const created = isoSeconds(input.startMs + line.begin);
    comments.push({
      id: nextId(),
      author_id: line.role === "customer" ? requesterId : input.agent.zendeskUserId,
      body: line.text,
      plain_body: line.text,
      public: true,
      created_at: created,
    });
    // Occasionally an internal note after the agent's first reply, as real tickets have.
    if (line.role === "agent" && !noteAdded && rng.chance(0.2)) {
      const note = rng.pick(INTERNAL_NOTES);
      comments.push({
        id: nextId(),
        author_id: input.agent.zendeskUserId,
        body: note,
        plain_body: note,
        public: false,
        created_at: created,
      });
      noteAdded = true;
    }
  }
  const endMs = input.startMs + input.timeline.duration;
  const solved = input.resolution === "resolved";
  return {
    ticket: {
      id: ticketId,
      subject: input.subject,
      created_at: isoSeconds(input.startMs),
      updated_at: isoSeconds(endMs + rng.int(60, 3 * 3600) * 1000),
      status: solved
        ? rng.chance(0.5)
          ? "closed"
          : "solved"
        : input.resolution === "escalated"
          ? "open"
          : "pending",
      requester_id: requesterId,
      group_id: input.accounts.zendeskGroupId,
      via: { channel: "email" },
      tags: [`vendor:${input.vendor.id}`, `intent:${input.intent}`],
      satisfaction_rating: {
        score: input.csat === undefined ? "unoffered" : input.csat >= 4 ? "good" : "bad",
      },
    },
    comments,
  };
}

/** The canonical transcript (shared/transcript.ts); csat only when the customer answered. */
export function canonical(input: RenderInput): Transcript {
  const lines = input.timeline.lines;
  const doc: Transcript = {
    schemaVersion: 1,
    interactionId: input.interactionId,
    vendor: input.vendor.id,
    agent: input.agent.agent,
    channel: input.channel,
    queue: input.queue,
    intent: input.intent,
    language: "en-US",
    startedAt: iso(input.startMs),
    endedAt: iso(input.startMs + input.timeline.duration),
    turns: lines.map((line, i) => ({
      id: `t${i + 1}`,
      role: line.role,
      text: line.text,
      at: iso(input.startMs + line.begin),
    })),
    ...(input.csat === undefined ? {} : { csat: input.csat }),
    resolution: input.resolution,
    source: { format: "canonical" },
  };
  return doc;
}
