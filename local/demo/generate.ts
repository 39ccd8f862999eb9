import { isoTime } from "./clock";
import {
  buildConversation,
  type Cues,
  fill,
  makeVars,
  type Resolution,
  type Satisfaction,
} from "./conversation";
import {
  canonical,
  connectChat,
  contactLens,
  type DemoFormat,
  type RenderInput,
  transcribeCallAnalytics,
  zendesk,
} from "./formats";
import { BANKS, INTENT_MIX, INTENTS, type Intent } from "./phrases";
import { Rng } from "./random";
import {
  buildRoster,
  type DemoChannel,
  type DemoVendor,
  type Quality,
  type RosterAgent,
} from "./roster";
import { timeline } from "./timing";

export type { DemoFormat } from "./formats";
export type { DemoChannel, DemoVendor, Quality } from "./roster";

/** Options of {@link generateDemo}. The same options always produce byte-identical output. */
export interface DemoOptions {
  /** Number of consecutive days to generate, starting at `start`. */
  days: number;
  /** Seed of every random choice. */
  seed: number;
  /** Mean interactions per weekday across all vendors (weekends get about a third). Default 45. */
  perDay?: number;
  /**
   * First day, ISO date `yyyy-mm-dd`. Default 2026-08-24: the Monday 91 days before
   * 2026-11-23, fixed so that output never depends on the clock.
   */
  start?: string;
}

/** One object to upload: its key, its body, and the S3 user metadata to set on it. */
export interface DemoFile {
  key: string;
  body: string;
  /** `x-amz-meta-*` values: always `vendor` and `agent-id`; `started-at` for TCA files. */
  metadata: Record<string, string>;
}

/** What really happened in one generated interaction. */
export interface DemoTruth {
  /** The id an importer derives from the document (see the format notes in the README). */
  interactionId: string;
  vendor: string;
  agent: string;
  channel: DemoChannel;
  /** UTC day of `startedAt`, `yyyy-mm-dd`. */
  day: string;
  key: string;
  format: DemoFormat;
  intent: Intent;
  /** Start as the document expresses it (to the minute for Contact Lens, the second otherwise). */
  startedAt: string;
  endedAt: string;
  /** Number of turns (bot turns included; Zendesk internal notes and chat events excluded). */
  turns: number;
  resolution: Resolution;
  /** Post-contact survey answer, when the customer gave one. */
  csat?: number;
  /** True quality on the rubric's 1–5 scale (fractional). */
  quality: Quality;
  /** What the text visibly shows. */
  cues: Cues;
}

/** A roster entry as published in the manifest: the agent without its hidden quality. */
export type DemoAgent = Pick<
  RosterAgent,
  "agent" | "name" | "vendor" | "site" | "team" | "volumeWeight" | "scriptReciter"
>;

/** A quality problem planted on purpose, for trend detection to find. */
export interface PlantedEffect {
  kind: "empathy-drift" | "channel-inconsistency" | "script-reciters";
  vendor?: string;
  agents?: string[];
  channel?: DemoChannel;
  /** Day index (0 = `start`) from which the effect applies. */
  fromDay?: number;
  description: string;
  /** Signed change of the affected dimension's true score, at full effect, on the 1–5 scale. */
  magnitude: number;
}

/** Ground truth of a generated data set. */
export interface DemoManifest {
  seed: number;
  days: number;
  start: string;
  perDay: number;
  generatedFiles: number;
  /** The published answer per intent: what every channel should say. */
  publishedPolicy: Record<Intent, string>;
  vendors: DemoVendor[];
  agents: DemoAgent[];
  plantedEffects: PlantedEffect[];
  truth: DemoTruth[];
}

/** Default first day: the Monday 91 days (13 weeks) before 2026-11-23. */
export const DEFAULT_START = "2026-08-24";
/** Default mean interactions per weekday across all vendors. */
export const DEFAULT_PER_DAY = 45;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Volume by UTC weekday (Sunday first); the five weekdays average exactly 1. */
const WEEKDAY_FACTOR = [0.32, 1.22, 1.04, 0.98, 0.93, 0.83, 0.38];

/** Planted effect 1: one vendor's empathy ramps down from a given day. */
const DRIFT = { vendor: "bluepeak-support", fromDay: 60, perDay: 0.08, cap: 1.2 } as const;
/** Planted effect 2: one vendor's email answers contradict its other channels. */
const EMAIL_MACRO = { vendor: "meridian-cx", channel: "email", delta: -1.5 } as const;

const CHANNEL_EFFECTS: Record<DemoChannel, Quality> = {
  voice: { consistency: 0, scriptReliance: 0, empathy: 0.1 },
  chat: { consistency: 0, scriptReliance: 0.05, empathy: 0 },
  email: { consistency: 0.05, scriptReliance: 0.1, empathy: -0.15 },
};

const FORMAT_MIX: Record<DemoChannel, Partial<Record<DemoFormat, number>>> = {
  voice: { "contact-lens": 0.6, "transcribe-call-analytics": 0.4 },
  chat: { "connect-chat": 0.7, canonical: 0.3 },
  email: { zendesk: 0.7, canonical: 0.3 },
};

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const iso = isoTime;

function parseOptions(options: DemoOptions): {
  days: number;
  seed: number;
  perDay: number;
  start: string;
  startMs: number;
} {
  const { days, seed } = options;
  const perDay = options.perDay ?? DEFAULT_PER_DAY;
  const start = options.start ?? DEFAULT_START;
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new RangeError(`days must be an integer from 1 to 3660, got ${days}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!Number.isFinite(perDay) || perDay <= 0 || perDay > 10_000) {
    throw new RangeError(`perDay must be a number in (0, 10000], got ${perDay}`);
  }
  const startMs = Date.parse(`${start}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(start) ||
    Number.isNaN(startMs) ||
    iso(startMs).slice(0, 10) !== start
  ) {
    throw new RangeError(`start must be an ISO date yyyy-mm-dd, got ${start}`);
  }
  return { days, seed, perDay, start, startMs };
}

/** Relative weight of contacts starting in local hour `h`: a late-morning and a mid-afternoon peak. */
function hourWeight(h: number): number {
  const mid = h + 0.5;
  return 0.45 + Math.exp(-((mid - 10.5) ** 2) / 4) + 0.9 * Math.exp(-((mid - 14.5) ** 2) / 5);
}

interface Plan {
  seq: number;
  vendor: DemoVendor;
  agent: RosterAgent;
  channel: DemoChannel;
  format: DemoFormat;
  intent: Intent;
  startMs: number;
  localHour: number;
}

function plan(
  rng: Rng,
  seq: number,
  dayMs: number,
  vendors: DemoVendor[],
  byVendor: Map<string, RosterAgent[]>,
): Plan {
  const vendor = rng.weighted(
    vendors,
    vendors.map((v) => v.share),
  );
  const agents = byVendor.get(vendor.id) ?? [];
  const agent = rng.weighted(
    agents,
    agents.map((a) => a.volumeWeight),
  );
  const channel = rng.weightedKey(vendor.channelMix);
  const format = rng.weightedKey(FORMAT_MIX[channel] as Record<DemoFormat, number>);
  const intent = rng.weightedKey(INTENT_MIX[channel]);
  const site = vendor.sites.find((s) => s.id === agent.site) ?? vendor.sites[0];
  const open = site?.openHour ?? 9;
  const close = site?.closeHour ?? 17;
  const offset = site?.utcOffsetHours ?? 0;
  const hours = Array.from({ length: close - open }, (_, i) => open + i);
  const localHour = rng.weighted(hours, hours.map(hourWeight));
  const minute = rng.int(0, 59);
  // Contact Lens carries the start only to the minute (in the recording's file name).
  const second = format === "contact-lens" ? 0 : rng.int(0, 59);
  const startMs = dayMs + ((localHour - offset) * 60 + minute) * MINUTE_MS + second * 1000;
  return { seq, vendor, agent, channel, format, intent, startMs, localHour };
}

function trueQuality(p: Plan, dayIndex: number, rng: Rng): Quality {
  const base = p.agent.baseline;
  const v = p.vendor.effects;
  const c = CHANNEL_EFFECTS[p.channel];
  const drift =
    p.vendor.id === DRIFT.vendor && dayIndex >= DRIFT.fromDay
      ? -Math.min(DRIFT.cap, DRIFT.perDay * (dayIndex - DRIFT.fromDay + 1))
      : 0;
  const macro =
    p.vendor.id === EMAIL_MACRO.vendor && p.channel === EMAIL_MACRO.channel ? EMAIL_MACRO.delta : 0;
  const score = (x: number) => round2(clamp(x + rng.normal(0, 0.3), 1, 5));
  return {
    consistency: score(base.consistency + v.consistency + c.consistency + macro),
    scriptReliance: score(base.scriptReliance + v.scriptReliance + c.scriptReliance),
    empathy: score(base.empathy + v.empathy + c.empathy + drift),
  };
}

function outcome(
  p: Plan,
  q: Quality,
  rng: Rng,
): { resolution: Resolution; satisfaction: Satisfaction; csat?: number } {
  const poor = q.consistency < 2.5 || q.empathy < 2.2;
  const pTransfer = p.channel === "voice" ? 0.04 : 0;
  const pEscalate =
    0.06 + (p.intent === "warranty-claim" || p.intent === "double-charge" ? 0.05 : 0);
  const pUnresolved = 0.04 + (poor ? 0.12 : 0);
  const r = rng.float();
  const resolution: Resolution =
    r < pTransfer
      ? "transferred"
      : r < pTransfer + pEscalate
        ? "escalated"
        : r < pTransfer + pEscalate + pUnresolved
          ? "unresolved"
          : "resolved";
  const mean = (q.consistency + q.scriptReliance + q.empathy) / 3;
  const score = mean + (resolution === "resolved" ? 0.25 : -0.7) + rng.normal(0, 0.5);
  const satisfaction: Satisfaction = score >= 3.6 ? "good" : score < 2.9 ? "bad" : "ok";
  if (!rng.chance(0.3)) return { resolution, satisfaction };
  return { resolution, satisfaction, csat: clamp(Math.round(score + 0.2), 1, 5) };
}

function interactionId(format: DemoFormat, startMs: number, rng: Rng): string {
  switch (format) {
    case "contact-lens":
    case "connect-chat":
      return rng.uuid();
    case "transcribe-call-analytics":
      return `tca-${iso(startMs).slice(0, 10).replaceAll("-", "")}-${rng.hex(10)}`;
    case "canonical":
      return `int-${rng.hex(12)}`;
    case "zendesk":
      return ""; // assigned from the ticket counter, in creation order
  }
}

/**
 * Generates a deterministic demo data set: export documents for every format the importers
 * read, the S3 metadata to upload them with, and a manifest of the true quality and the
 * planted effects. Pure: no clock, no I/O, no `Math.random`.
 */
export function generateDemo(options: DemoOptions): { files: DemoFile[]; manifest: DemoManifest } {
  const { days, seed, perDay, start, startMs } = parseOptions(options);
  const roster = buildRoster(new Rng(seed, "roster"));
  const byVendor = new Map<string, RosterAgent[]>();
  for (const a of roster.agents) byVendor.set(a.vendor, [...(byVendor.get(a.vendor) ?? []), a]);

  const files: DemoFile[] = [];
  const truth: DemoTruth[] = [];
  const ids = new Set<string>();
  let ticketId = 480_000;
  let commentId = 41_200_000_000;

  for (let d = 0; d < days; d++) {
    const dayRng = new Rng(seed, `day:${d}`);
    const dayMs = startMs + d * DAY_MS;
    const weekday = new Date(dayMs).getUTCDay();
    const mean = perDay * (WEEKDAY_FACTOR[weekday] ?? 1) * dayRng.lognormal(0, 0.08);
    const count = dayRng.poisson(mean);
    const plans = Array.from({ length: count }, (_, i) =>
      plan(dayRng, i, dayMs, roster.vendors, byVendor),
    );
    plans.sort((x, y) => x.startMs - y.startMs || x.seq - y.seq);

    for (const p of plans) {
      // Each interaction has its own stream so that changing one phrase bank does not reshuffle
      // every later interaction.
      const rng = new Rng(seed, `ix:${d}:${p.seq}`);
      let id: string;
      if (p.format === "zendesk") {
        ticketId += dayRng.int(3, 40);
        id = `zendesk-${ticketId}`;
      } else {
        do id = interactionId(p.format, p.startMs, rng);
        while (ids.has(id));
      }
      ids.add(id);

      const quality = trueQuality(p, d, rng);
      const { resolution, satisfaction, csat } = outcome(p, quality, rng);
      const vars = makeVars(rng, p.channel, dayMs, p.localHour, p.agent.name);
      const conversation = buildConversation(
        {
          channel: p.channel,
          intent: p.intent,
          quality,
          reciter: p.agent.scriptReciter,
          emailMacro: p.vendor.id === EMAIL_MACRO.vendor && p.channel === EMAIL_MACRO.channel,
          resolution,
          satisfaction,
          withBot: p.channel === "chat" && rng.chance(0.4),
          vars,
        },
        rng,
      );
      const tl = timeline(p.channel, conversation.lines, rng);
      const bank = BANKS[p.intent];
      const accounts = roster.accounts[p.vendor.id];
      if (!accounts) throw new Error(`no platform accounts for vendor ${p.vendor.id}`);
      const input: RenderInput = {
        interactionId: id,
        vendor: p.vendor,
        accounts,
        agent: p.agent,
        channel: p.channel,
        intent: p.intent,
        queue: bank.queue,
        startMs: p.startMs,
        timeline: tl,
        vars,
        quality,
        resolution,
        satisfaction,
        subject: fill(rng.pick(bank.subjects), vars),
        ticketId,
        requesterId: 10_000_000_000 + rng.int(0, 2_000_000_000),
        nextCommentId: () => {
          commentId += dayRng.int(1, 4000);
          return commentId;
        },
        ...(csat === undefined ? {} : { csat }),
      };
      const doc =
        p.format === "contact-lens"
          ? contactLens(input, rng)
          : p.format === "transcribe-call-analytics"
            ? transcribeCallAnalytics(input, rng)
            : p.format === "connect-chat"
              ? connectChat(input, rng)
              : p.format === "zendesk"
                ? zendesk(input, rng)
                : canonical(input);

      const startedAt = iso(p.startMs);
      const day = startedAt.slice(0, 10);
      const key = `incoming/${p.format}/${day.replaceAll("-", "/")}/${id}.json`;
      const metadata: Record<string, string> = { vendor: p.vendor.id, "agent-id": p.agent.agent };
      if (p.format === "transcribe-call-analytics") metadata["started-at"] = startedAt;
      files.push({ key, body: JSON.stringify(doc), metadata });
      truth.push({
        interactionId: id,
        vendor: p.vendor.id,
        agent: p.agent.agent,
        channel: p.channel,
        day,
        key,
        format: p.format,
        intent: p.intent,
        startedAt,
        endedAt: iso(p.startMs + tl.duration),
        turns: tl.lines.length,
        resolution,
        ...(csat === undefined ? {} : { csat }),
        quality,
        cues: conversation.cues,
      });
    }
  }

  return {
    files,
    manifest: manifest(
      { seed, days, start, perDay },
      roster.vendors,
      roster.agents,
      files.length,
      truth,
    ),
  };
}

function manifest(
  opts: { seed: number; days: number; start: string; perDay: number },
  vendors: DemoVendor[],
  agents: RosterAgent[],
  generatedFiles: number,
  truth: DemoTruth[],
): DemoManifest {
  const slots = { plan: "Fernway Plus" };
  const publishedPolicy = Object.fromEntries(
    INTENTS.map((intent) => {
      const clause = fill(BANKS[intent].fact.correct, slots);
      return [intent, `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`];
    }),
  ) as Record<Intent, string>;
  const reciters = agents.filter((a) => a.scriptReciter);
  const reciterMean =
    reciters.reduce((s, a) => s + a.baseline.scriptReliance, 0) / Math.max(1, reciters.length);
  const plantedEffects: PlantedEffect[] = [];
  if (opts.days > DRIFT.fromDay) {
    const fullDay = DRIFT.fromDay + Math.ceil(DRIFT.cap / DRIFT.perDay) - 1;
    plantedEffects.push({
      kind: "empathy-drift",
      vendor: DRIFT.vendor,
      fromDay: DRIFT.fromDay,
      description: `${DRIFT.vendor} empathy drifts down on every channel from day ${DRIFT.fromDay} (${iso(Date.parse(`${opts.start}T00:00:00Z`) + DRIFT.fromDay * DAY_MS).slice(0, 10)}): -${DRIFT.perDay} per day, reaching the cap of -${DRIFT.cap} on day ${fullDay}. Agents acknowledge less and dismiss more.`,
      magnitude: -DRIFT.cap,
    });
  }
  plantedEffects.push({
    kind: "channel-inconsistency",
    vendor: EMAIL_MACRO.vendor,
    channel: EMAIL_MACRO.channel,
    description: `${EMAIL_MACRO.vendor} email replies use outdated macros that contradict its chat and voice answers (e.g. refunds in 10 to 14 business days instead of 5 to 7, a $15 cancellation fee, a 6-month warranty); email consistency is ${-EMAIL_MACRO.delta} lower.`,
    magnitude: EMAIL_MACRO.delta,
  });
  plantedEffects.push({
    kind: "script-reciters",
    agents: reciters.map((a) => a.agent),
    description: `${reciters.length} agents recite scripts on every channel: a fixed greeting, "Per our policy, ..." whatever the question, and "Is there anything else I can help you with today?" after each answer. Their script-reliance baseline is about ${round2(reciterMean)} and their empathy is formulaic.`,
    magnitude: round2(reciterMean - 3.6),
  });

  return {
    seed: opts.seed,
    days: opts.days,
    start: opts.start,
    perDay: opts.perDay,
    generatedFiles,
    publishedPolicy,
    vendors,
    agents: agents.map((a) => ({
      agent: a.agent,
      name: a.name,
      vendor: a.vendor,
      site: a.site,
      team: a.team,
      volumeWeight: Math.round(a.volumeWeight * 1e6) / 1e6,
      scriptReciter: a.scriptReciter,
    })),
    plantedEffects,
    truth,
  };
}
