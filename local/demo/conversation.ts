import {
  AGENT_CLOSE,
  AGENT_VOICE_OPENERS,
  BANKS,
  BOT_GREETING,
  BOT_HANDOFF,
  CANNED_CLOSER,
  CANNED_EMPATHY,
  CANNED_GREETING,
  CARRIERS,
  CITIES,
  CORRECTION,
  CUSTOMER_BYE,
  CUSTOMER_CLOSE,
  CUSTOMER_FIRST,
  CUSTOMER_LAST,
  DEVICES,
  DOUBLE_DOWN,
  EMAIL_OPEN_CUSTOMER,
  EMAIL_SIGNOFF_AGENT,
  EMAIL_SIGNOFF_CANNED,
  EMAIL_SIGNOFF_CUSTOMER,
  EMAIL_THANKS,
  ESCALATE,
  type Exchange,
  FACT_LEADS,
  FORMULAIC,
  GREETINGS,
  HOLD_AGENT,
  HOLD_CUSTOMER,
  IGNORED,
  type Intent,
  ITEMS,
  OWNERSHIP,
  PLACED_WHEN,
  PUSHBACK,
  SCRIPT_FILLER,
  STREETS,
  TRANSFER,
  UNRESOLVED,
  VERIFY,
  VOICE_FILLERS,
} from "./phrases";
import type { Rng } from "./random";
import type { DemoChannel, Quality } from "./roster";

/** What a turn is for; drives timing (holds), sentiment and detected issues/outcomes. */
export type LineKind =
  | "bot"
  | "greeting"
  | "problem"
  | "verify"
  | "clarify"
  | "answer"
  | "hold"
  | "holdAck"
  | "resolution"
  | "followUp"
  | "followUpAnswer"
  | "pushback"
  | "pushbackReply"
  | "close"
  | "bye";

/** One turn of a conversation before it is placed in time. */
export interface Line {
  role: "agent" | "customer" | "bot";
  kind: LineKind;
  text: string;
  /** Character span of the issue (problem turns) or the outcome (resolution turns). */
  focus: [number, number] | undefined;
}

/** How the contact ended (the canonical `resolution` values). */
export type Resolution = "resolved" | "unresolved" | "escalated" | "transferred";
/** How the customer felt at the end; picks the closing remark and the CSAT answer. */
export type Satisfaction = "good" | "ok" | "bad";
/** The acknowledgement style the text shows, from the empathy truth (see the rubric anchors). */
export type EmpathyStyle = "dismissive" | "formulaic" | "acknowledging" | "ownership" | "committed";

/** What the text actually shows, recorded in the truth so scorers can be checked against it. */
export interface Cues {
  /** The agent stated a policy fact that contradicts the published policy. */
  wrongPolicyFact: boolean;
  /** The agent recited canned lines regardless of the question. */
  cannedLines: boolean;
  empathyStyle: EmpathyStyle;
}

/** What {@link buildConversation} needs to write one interaction. */
export interface ConversationInput {
  channel: DemoChannel;
  intent: Intent;
  quality: Quality;
  reciter: boolean;
  /** State the vendor's outdated email macro instead of the published fact. */
  emailMacro: boolean;
  resolution: Resolution;
  satisfaction: Satisfaction;
  withBot: boolean;
  vars: Record<string, string>;
}

/** The turns of one interaction and the quality cues they show. */
export interface Conversation {
  lines: Line[];
  cues: Cues;
}

/** Most turns an interaction may have (bot turns included). */
export const MAX_TURNS = 14;

const SLOT = /\{(\w+)\}/g;
/** Parsed templates: literal text at even indexes, slot names at odd ones. */
const parsed = new Map<string, string[]>();

/** Fills `{slot}`s; a missing slot is a bug in the phrase banks, so it throws. */
export function fill(template: string, vars: Readonly<Record<string, string>>): string {
  let parts = parsed.get(template);
  if (parts === undefined) {
    parts = template.split(SLOT);
    parsed.set(template, parts);
  }
  let out = parts[0] ?? "";
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? "";
    const value = vars[name];
    if (value === undefined) throw new Error(`phrase slot {${name}} has no value: ${template}`);
    out += value + (parts[i + 1] ?? "");
  }
  return out;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const PROPER_NOUNS = ["I", "Fernway", "Android", "Visa"];
const FIRST_WORD = /^[A-Z][a-z]*(?=[\s,.'!?]|$)/;

/**
 * Lower-cases a sentence's first letter (after a filler, or in casual chat) unless the first
 * word is a name or not an ordinary capitalised word (`FW-1234567`, `iPhone`, `$9.99`).
 */
function lowerFirst(text: string, names: ReadonlySet<string>): string {
  const word = FIRST_WORD.exec(text)?.[0];
  if (word === undefined || names.has(word)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const DAY_MS = 86_400_000;

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

function dateText(ms: number, channel: DemoChannel, style: number): string {
  const d = new Date(ms);
  const month = MONTHS[d.getUTCMonth()] ?? "";
  const day = d.getUTCDate();
  if (channel === "voice") return style === 0 ? `${month} ${ordinal(day)}` : `the ${ordinal(day)}`;
  if (channel === "chat")
    return style === 0 ? `${d.getUTCMonth() + 1}/${day}` : `${month.slice(0, 3)} ${day}`;
  return style === 0 ? `${month} ${day}` : `${day} ${month}`;
}

function addBusinessDays(ms: number, n: number): number {
  let t = ms;
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return t;
}

function weeksText(days: number): string {
  if (days < 10) return "over a week";
  if (days < 14) return "almost two weeks";
  if (days < 18) return "two weeks";
  if (days < 25) return "three weeks";
  return "almost a month";
}

/**
 * The slot values of one interaction: customer, order, amounts and dates relative to the
 * contact's day, formatted in the channel's register.
 */
export function makeVars(
  rng: Rng,
  channel: DemoChannel,
  dayMs: number,
  localHour: number,
  agentName: string,
): Record<string, string> {
  const first = rng.pick(CUSTOMER_FIRST);
  const last = rng.pick(CUSTOMER_LAST);
  const style = rng.int(0, 1);
  const date = (ms: number) => dateText(ms, channel, style);
  const item = rng.pick(ITEMS);
  const returnAgo = rng.int(8, 30);
  const returnMs = dayMs - returnAgo * DAY_MS;
  const [city, state] = rng.pick(CITIES);
  const [oldCity] = rng.pick(CITIES.filter(([c]) => c !== city));
  const zip = `${rng.int(1, 9)}${rng.digits(4)}`;
  const raw = Math.min(950, Math.max(9, rng.lognormal(Math.log(65), 0.75)));
  const amount = rng.chance(0.5) ? Math.floor(raw) + 0.99 : Math.round(raw * 100) / 100;
  const carrier = rng.pick(CARRIERS);
  const tracking =
    carrier === "UPS"
      ? `1Z${rng.hex(6).toUpperCase()}${rng.digits(10)}`
      : carrier === "FedEx"
        ? rng.digits(12)
        : carrier === "USPS"
          ? `9400${rng.digits(18)}`
          : `D${rng.digits(14)}`;
  const deadlineMs = addBusinessDays(dayMs, rng.int(5, 7));
  const deadlineDate = new Date(deadlineMs);
  const purchaseMs = dayMs - rng.int(30, 330) * DAY_MS;
  const purchase = new Date(purchaseMs);
  const sameYear = purchase.getUTCFullYear() === new Date(dayMs).getUTCFullYear();
  const deliveredMs = dayMs - rng.int(1, 4) * DAY_MS;
  const deliveredHour = rng.int(10, 18);
  return {
    agentName,
    customerFirst: first,
    customerLast: last,
    customerEmail: `${first}.${last}${rng.chance(0.4) ? rng.int(1, 99) : ""}@${rng.pick([
      "example.com",
      "example.net",
      "example.org",
    ])}`.toLowerCase(),
    order: `FW-${rng.int(1, 9)}${rng.digits(6)}`,
    amount: `$${amount.toFixed(2)}`,
    item: item.name,
    aItem: `${/^[aeiou]/.test(item.name) ? "an" : "a"} ${item.name}`,
    fault: rng.pick(item.faults),
    last4: rng.digits(4),
    phoneLast4: rng.digits(4),
    zip,
    carrier,
    tracking,
    returnDate: date(returnMs),
    checkInDate: date(returnMs + rng.int(2, 5) * DAY_MS),
    weeksText: weeksText(returnAgo),
    chargeDate: date(dayMs - rng.int(1, 5) * DAY_MS),
    deliveredDate: date(deliveredMs),
    deliveredTime: `${deliveredHour > 12 ? deliveredHour - 12 : deliveredHour}:${String(rng.int(0, 59)).padStart(2, "0")}${deliveredHour < 12 ? "am" : "pm"}`,
    renewDate: date(dayMs + rng.int(3, 27) * DAY_MS),
    deadline: `${WEEKDAYS[deadlineDate.getUTCDay()]}, ${date(deadlineMs)}`,
    purchaseDate: sameYear
      ? (MONTHS[purchase.getUTCMonth()] ?? "")
      : `${MONTHS[purchase.getUTCMonth()]} ${purchase.getUTCFullYear()}`,
    newAddress: `${rng.int(12, 9800)} ${rng.pick(STREETS)}, ${city}, ${state} ${rng.int(1, 9)}${rng.digits(4)}`,
    oldCity,
    placedWhen: rng.pick(PLACED_WHEN),
    device: rng.pick(DEVICES),
    plan: "Fernway Plus",
    planPrice: "$9.99",
    partOfDay: localHour < 12 ? "morning" : localHour < 17 ? "afternoon" : "evening",
  };
}

function empathyStyleOf(empathy: number): EmpathyStyle {
  if (empathy < 1.9) return "dismissive";
  if (empathy < 2.7) return "formulaic";
  if (empathy < 3.5) return "acknowledging";
  if (empathy < 4.3) return "ownership";
  return "committed";
}

type FactMode = "correct" | "vague" | "wrong" | "macro";

/** A run of turns that is either required or may be dropped (lowest priority first). */
interface Segment {
  lines: Line[];
  priority?: number;
}

/**
 * Builds the turns of one interaction. Text reflects the true quality where it is cheap to:
 * empathy picks the acknowledgement style, consistency whether the policy fact is right,
 * script reliance whether canned lines replace answers.
 */
export function buildConversation(input: ConversationInput, rng: Rng): Conversation {
  const { channel, intent, quality, vars } = input;
  const bank = BANKS[intent];
  const f = (t: string) => fill(t, vars);
  const canned = input.reciter || quality.scriptReliance < 2.2;
  const filler = !canned && quality.scriptReliance < 3.1;
  const anticipates = !canned && quality.scriptReliance >= 4.2;
  const style: EmpathyStyle = canned
    ? quality.empathy < 1.9
      ? "dismissive"
      : "formulaic"
    : empathyStyleOf(quality.empathy);
  const factMode: FactMode = input.emailMacro
    ? "macro"
    : quality.consistency < 2.2 || (quality.consistency < 2.8 && rng.chance(0.35))
      ? "wrong"
      : quality.consistency < 3.0
        ? "vague"
        : "correct";
  const correct = f(bank.fact.correct);
  const wrong = f(factMode === "macro" ? bank.fact.emailMacro : rng.pick(bank.fact.wrong));

  const names = new Set([
    ...PROPER_NOUNS,
    vars.customerFirst ?? "",
    vars.customerLast ?? "",
    vars.agentName ?? "",
  ]);
  const customer = (kind: LineKind, text: string): Line => {
    let out = text;
    if (channel === "voice" && rng.chance(0.35) && kind !== "close") {
      out = rng.pick(VOICE_FILLERS) + lowerFirst(out, names);
    } else if (channel === "chat" && rng.chance(0.45)) {
      out = lowerFirst(out, names).replace(/\.$/, "");
    }
    return { role: "customer", kind, text: channel === "email" ? cap(out) : out, focus: undefined };
  };
  const agentVoice = (text: string) => {
    if (channel !== "voice" || canned || !rng.chance(0.3)) return text;
    const opener = rng.pick(AGENT_VOICE_OPENERS);
    return opener + (opener.endsWith(", ") ? lowerFirst(text, names) : text);
  };
  const agent = (kind: LineKind, text: string, focus?: [number, number]): Line => ({
    role: "agent",
    kind,
    text,
    focus,
  });
  const exchange = (ex: readonly Exchange[], said = "") => {
    const open = ex.filter((e) => e.asks === undefined || !said.includes(vars[e.asks] ?? "\u0000"));
    const pair = rng.pick(open.length > 0 ? open : ex);
    // Email is written: prefer the variants without chat-style lower-case openings.
    const formal = (xs: readonly string[]) => {
      if (channel !== "email") return xs;
      const kept = xs.filter((x) => /^[A-Z{]/.test(x));
      return kept.length > 0 ? kept : xs;
    };
    return { q: f(rng.pick(formal(pair.q))), a: f(rng.pick(formal(pair.a))) };
  };

  // Email wraps agent text in a salutation and a sign-off; a reciter's are always the same.
  const agentEmail = (body: string[]): string => {
    const open = canned ? CANNED_GREETING.email : f(rng.pick(GREETINGS.email));
    const sign = canned ? EMAIL_SIGNOFF_CANNED : f(rng.pick(EMAIL_SIGNOFF_AGENT));
    return `${open}\n\n${body.join("\n\n")}\n\n${sign}`;
  };
  const customerEmail = (body: string, opener = true): string => {
    const open = opener ? `${rng.pick(EMAIL_OPEN_CUSTOMER)}\n\n` : "";
    return `${open}${body}\n\n${f(rng.pick(EMAIL_SIGNOFF_CUSTOMER))}`;
  };

  const acknowledgement = (): string => {
    switch (style) {
      case "dismissive":
        return f(rng.pick(bank.dismiss));
      case "formulaic":
        return canned ? CANNED_EMPATHY : rng.pick(FORMULAIC);
      case "acknowledging":
        return f(rng.pick(bank.acknowledge));
      case "ownership":
        return `${f(rng.pick(bank.acknowledge))} ${rng.pick(OWNERSHIP)}`;
      case "committed":
        return `${f(rng.pick(bank.impact))} ${rng.pick(OWNERSHIP)}`;
    }
  };
  const factSentence = (mode: FactMode): string => {
    // A reciter never paraphrases: even a fuzzy answer comes out as the policy line.
    if (mode === "vague" && !canned) return `${cap(f(rng.pick(bank.fact.vague)))}.`;
    const clause = mode === "wrong" || mode === "macro" ? wrong : correct;
    return canned ? `Per our policy, ${clause}.` : fill(rng.pick(FACT_LEADS), { f: clause });
  };

  const segments: Segment[] = [];
  const push = (lines: Line[], priority?: number) =>
    segments.push(priority === undefined ? { lines } : { lines, priority });

  // Opening.
  const problemText = f(rng.pick(bank.problem[channel]));
  if (channel === "email") {
    push([customer("problem", customerEmail(problemText))]);
  } else {
    const greeting = agent(
      "greeting",
      canned ? f(CANNED_GREETING[channel]) : f(rng.pick(GREETINGS[channel])),
    );
    const problem = customer("problem", problemText);
    if (channel === "chat" && input.withBot) {
      push([
        { role: "bot", kind: "bot", text: rng.pick(BOT_GREETING), focus: undefined },
        problem,
        { role: "bot", kind: "bot", text: rng.pick(BOT_HANDOFF), focus: undefined },
        greeting,
      ]);
    } else {
      push([greeting, problem]);
    }
    if (channel === "voice") {
      const v = exchange(VERIFY);
      push([agent("verify", v.q), customer("answer", v.a)], 2);
    }
  }

  // Acknowledge and clarify.
  const clarify = exchange(bank.clarify, problemText);
  const ackParts = [acknowledgement()];
  if (filler) ackParts.push(rng.pick(SCRIPT_FILLER));
  ackParts.push(clarify.q);
  if (channel === "email") {
    push([
      agent("clarify", agentEmail([ackParts.join(" ")])),
      customer("answer", customerEmail(cap(clarify.a), false)),
    ]);
  } else {
    push([agent("clarify", agentVoice(ackParts.join(" "))), customer("answer", clarify.a)]);
    const holds = HOLD_AGENT[channel];
    if (holds.length > 0) {
      push(
        [agent("hold", rng.pick(holds)), customer("holdAck", rng.pick(HOLD_CUSTOMER[channel]))],
        1,
      );
    }
  }

  // Resolution.
  const resolutionParts: string[] = [];
  if (filler && rng.chance(0.5)) resolutionParts.push(rng.pick(SCRIPT_FILLER));
  const outcome =
    input.resolution === "resolved"
      ? f(rng.pick(bank.action))
      : input.resolution === "escalated"
        ? rng.pick(ESCALATE)
        : input.resolution === "transferred"
          ? rng.pick(TRANSFER)
          : rng.pick(UNRESOLVED);
  const outcomeStart = resolutionParts.join(" ").length + (resolutionParts.length > 0 ? 1 : 0);
  resolutionParts.push(outcome);
  if (input.resolution !== "transferred") resolutionParts.push(factSentence(factMode));
  if (
    style === "committed" &&
    (input.resolution === "resolved" || input.resolution === "escalated")
  ) {
    resolutionParts.push(f(rng.pick(bank.commitment)));
  }
  if (anticipates) resolutionParts.push(f(rng.pick(bank.anticipate)));
  if (canned) resolutionParts.push(CANNED_CLOSER);
  const resolutionText = resolutionParts.join(channel === "email" ? "\n\n" : " ");
  const outcomeFocus: [number, number] = [outcomeStart, outcomeStart + outcome.length];
  if (channel === "email") {
    // The salutation is prepended, so the focus span would move; it is only used for voice.
    push([agent("resolution", agentEmail([resolutionText]))]);
  } else {
    const spoken = agentVoice(resolutionText);
    const shift = spoken.length - resolutionText.length;
    push([agent("resolution", spoken, [outcomeFocus[0] + shift, outcomeFocus[1] + shift])]);
  }

  const transferred = input.resolution === "transferred";
  const wrongFact = factMode === "wrong" || factMode === "macro";
  // A customer who had to push back does not close delighted.
  let satisfaction = input.satisfaction;
  if (!transferred) {
    // A customer questioning a contradicted fact makes the inconsistency visible in the text.
    if (wrongFact && rng.chance(0.45)) {
      const pushback = fill(rng.pick(PUSHBACK), { f: correct });
      const stands = factMode === "macro" || quality.consistency < 2;
      if (satisfaction === "good") satisfaction = "ok";
      const reply = stands
        ? fill(rng.pick(DOUBLE_DOWN), { w: wrong, W: cap(wrong) })
        : fill(rng.pick(CORRECTION), { f: correct });
      push(
        channel === "email"
          ? [
              customer("pushback", customerEmail(pushback, false)),
              agent("pushbackReply", agentEmail([reply])),
            ]
          : [customer("pushback", pushback), agent("pushbackReply", reply)],
        5,
      );
    } else if (rng.chance(channel === "email" ? 0.35 : 0.55)) {
      const fu = exchange(bank.followUp);
      const answer = canned ? `Per our policy, ${correct}. ${CANNED_CLOSER}` : fu.a;
      push(
        channel === "email"
          ? [
              customer("followUp", customerEmail(`Thanks. ${fu.q}`, false)),
              agent("followUpAnswer", agentEmail([answer])),
            ]
          : [customer("followUp", fu.q), agent("followUpAnswer", agentVoice(answer))],
        4,
      );
      if (canned && channel !== "email") {
        if (satisfaction === "good") satisfaction = "ok";
        push(
          [
            customer("pushback", rng.pick(IGNORED)),
            agent("pushbackReply", `Per our policy, ${correct}. ${CANNED_CLOSER}`),
          ],
          3,
        );
      }
    }
  }

  // Closing.
  if (channel === "email") {
    if (rng.chance(0.45)) {
      const thanks = satisfaction === "bad" ? rng.pick(CUSTOMER_CLOSE.bad) : rng.pick(EMAIL_THANKS);
      push([customer("close", customerEmail(thanks, false))], 0);
    }
  } else {
    push([customer("close", rng.pick(CUSTOMER_CLOSE[satisfaction]))]);
    if (!transferred) {
      push([
        agent(
          "close",
          canned
            ? `Thank you for contacting Fernway. ${CANNED_CLOSER}`
            : f(rng.pick(AGENT_CLOSE[channel])),
        ),
      ]);
      if (channel === "voice" && rng.chance(0.5))
        push([customer("bye", rng.pick(CUSTOMER_BYE))], 0);
    }
  }

  // Drop optional segments, lowest priority first, until the turn budget fits.
  let count = segments.reduce((n, s) => n + s.lines.length, 0);
  while (count > MAX_TURNS) {
    let drop = -1;
    segments.forEach((s, i) => {
      if (s.priority === undefined) return;
      const current = drop >= 0 ? segments[drop]?.priority : undefined;
      if (current === undefined || s.priority < current) drop = i;
    });
    if (drop < 0) break;
    count -= segments[drop]?.lines.length ?? 0;
    segments.splice(drop, 1);
  }

  const lines = segments.flatMap((s) => s.lines);
  const problem = lines.find((l) => l.kind === "problem");
  if (problem && channel !== "email") {
    const start = problem.text.length - problemText.length;
    problem.focus = [Math.max(0, start), problem.text.length];
  }
  return {
    lines,
    cues: {
      wrongPolicyFact: wrongFact && input.resolution !== "transferred",
      cannedLines: canned,
      empathyStyle: style,
    },
  };
}
