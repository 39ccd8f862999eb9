import type { Line } from "./conversation";
import type { Rng } from "./random";
import type { DemoChannel } from "./roster";

/** A turn placed in time: offsets in milliseconds from the contact's start. */
export interface TimedLine extends Line {
  begin: number;
  end: number;
}

/** A conversation placed in time. */
export interface Timeline {
  lines: TimedLine[];
  /** Offset at which the contact ends (recording end, last chat event, last email). */
  duration: number;
  /** Chat only: when the agent joined. */
  agentJoin?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Number of whitespace-separated words. */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Adds `extra` ms to the gaps, in proportion to the weights (weights may be 0). */
function spread(gaps: number[], weights: number[], extra: number): void {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || extra <= 0) return;
  for (let i = 0; i < gaps.length; i++) {
    gaps[i] = (gaps[i] ?? 0) + Math.round((extra * (weights[i] ?? 0)) / total);
  }
}

function place(lines: Line[], gaps: number[], durations: number[]): TimedLine[] {
  let t = 0;
  return lines.map((line, i) => {
    const begin = t + (gaps[i] ?? 0);
    const end = begin + (durations[i] ?? 0);
    t = end;
    return { role: line.role, kind: line.kind, text: line.text, focus: line.focus, begin, end };
  });
}

/** Voice: speech at a per-call words-per-minute, a hold once the customer agrees to one, 2–15 min. */
function voice(lines: Line[], rng: Rng): Timeline {
  const wpm = { agent: rng.range(150, 175), customer: rng.range(140, 185), bot: 160 };
  const durations = lines.map((l) =>
    Math.round(Math.max(700, (countWords(l.text) / wpm[l.role]) * MINUTE * rng.range(0.9, 1.15))),
  );
  const gaps = lines.map((_, i) => {
    if (i === 0) return rng.int(400, 1500);
    return lines[i - 1]?.kind === "holdAck" ? rng.int(20, 90) * SECOND : rng.int(250, 1400);
  });
  const tail = rng.int(500, 2500);
  const natural = gaps.reduce((s, g) => s + g, 0) + durations.reduce((s, d) => s + d, 0) + tail;
  const target = clamp(rng.lognormal(Math.log(250 * SECOND), 0.45), 125 * SECOND, 880 * SECOND);
  // Calls run longer than their words: account lookups and holds make up the difference.
  spread(
    gaps,
    lines.map((l, i) =>
      i === 0 ? 0 : lines[i - 1]?.kind === "holdAck" ? 30 : l.role === "agent" ? 1 : 0.2,
    ),
    target - natural,
  );
  const timed = place(lines, gaps, durations);
  return { lines: timed, duration: (timed.at(-1)?.end ?? 0) + tail };
}

/** Chat: queue wait before the agent joins, typing time per message, 5–25 min. */
function chat(lines: Line[], rng: Rng): Timeline {
  const firstAgent = lines.findIndex((l) => l.role === "agent");
  const gaps = lines.map((l, i) => {
    if (l.role === "bot") return rng.int(1200, 4000);
    if (i === firstAgent) return rng.int(20, 150) * SECOND;
    if (lines[i - 1]?.kind === "holdAck") return rng.int(60, 240) * SECOND;
    const perChar = l.role === "agent" ? 120 : 250;
    const base = l.role === "agent" ? 15 * SECOND : 8 * SECOND;
    return Math.round(base + l.text.length * perChar * rng.range(0.7, 1.4));
  });
  const tail = rng.int(5, 40) * SECOND;
  const natural = gaps.reduce((s, g) => s + g, 0) + tail;
  const target = clamp(rng.lognormal(Math.log(11 * MINUTE), 0.4), 5.5 * MINUTE, 24 * MINUTE);
  if (natural < target) {
    spread(
      gaps,
      lines.map((l, i) =>
        l.role === "bot" ? 0 : lines[i - 1]?.kind === "holdAck" ? 6 : l.role === "agent" ? 1.5 : 1,
      ),
      target - natural,
    );
  } else if (natural > 24.5 * MINUTE) {
    const k = (24 * MINUTE - tail) / (natural - tail);
    for (let i = 0; i < gaps.length; i++) gaps[i] = Math.round((gaps[i] ?? 0) * k);
  }
  const timed = place(
    lines,
    gaps,
    lines.map(() => 0),
  );
  const greeting = timed[firstAgent];
  const agentJoin = greeting
    ? Math.max((timed[firstAgent - 1]?.begin ?? 0) + 1, greeting.begin - rng.int(3, 15) * SECOND)
    : 0;
  return { lines: timed, duration: (timed.at(-1)?.begin ?? 0) + tail, agentJoin };
}

/** Email: replies hours apart, the thread spanning roughly 1 hour to 2 days. */
function email(lines: Line[], rng: Rng): Timeline {
  const weights = lines.map((l, i) =>
    i === 0 ? 0 : l.role === "agent" ? 2 * rng.lognormal(0, 0.6) : rng.lognormal(0, 0.8),
  );
  const target = clamp(rng.lognormal(Math.log(8 * HOUR), 0.8), 1.2 * HOUR, 46 * HOUR);
  const gaps = lines.map((_, i) => (i === 0 ? 0 : 5 * MINUTE));
  spread(gaps, weights, target - 5 * MINUTE * (lines.length - 1));
  // Whole seconds: help-desk exports carry no milliseconds.
  const timed = place(
    lines,
    gaps.map((g) => Math.round(g / SECOND) * SECOND),
    lines.map(() => 0),
  );
  return { lines: timed, duration: timed.at(-1)?.begin ?? 0 };
}

/** Places the turns of a conversation in time, in the rhythm of its channel. */
export function timeline(channel: DemoChannel, lines: Line[], rng: Rng): Timeline {
  switch (channel) {
    case "voice":
      return voice(lines, rng);
    case "chat":
      return chat(lines, rng);
    case "email":
      return email(lines, rng);
  }
}
