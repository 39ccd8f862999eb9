import { createHash, createHmac } from "node:crypto";
import { rateFor, type SamplingPolicy } from "./policy";
import type { Task, TaskKind } from "./task";
import { isoWeek, utcDay } from "./time";
import type { Transcript } from "./transcript";

/**
 * The sampling rule, in full: an interaction's rank is
 * `u = first 48 bits of HMAC-SHA256(key, interactionId) / 2^48`, and it is sampled iff it is
 * eligible and `u < rate(vendor, channel)`. Anyone holding the key and the policy can
 * re-derive every decision; nobody without the key can predict or steer one.
 */

const TWO_POW_48 = 2 ** 48;

/** The keyed-hash rank of a message in [0, 1). */
export function rank(key: Uint8Array, message: string): number {
  const digest = createHmac("sha256", key).update(message, "utf8").digest();
  return digest.readUIntBE(0, 6) / TWO_POW_48;
}

const fingerprints = new WeakMap<Uint8Array, string>();

/** A short public fingerprint of the sampling key (commit now, reveal the key after the period). */
export function keyFingerprint(key: Uint8Array): string {
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = createHash("sha256").update(key).digest("hex").slice(0, 16);
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

/** Why an interaction is not eligible for review. */
export type IneligibleReason = "channel" | "language" | "bot-only" | "too-few-agent-turns";

/** The policy's eligibility rules applied to one transcript. */
export function ineligibility(
  policy: SamplingPolicy,
  t: Pick<Transcript, "channel" | "language" | "turns">,
): IneligibleReason | undefined {
  const rules = policy.eligibility;
  if (rules.channels && !rules.channels.includes(t.channel)) return "channel";
  if (rules.languages && !rules.languages.some((l) => languageMatches(l, t.language))) {
    return "language";
  }
  const agentTurns = t.turns.filter((turn) => turn.role === "agent").length;
  if (rules.excludeBotOnly && agentTurns === 0) return "bot-only";
  if (agentTurns < rules.minAgentTurns) return "too-few-agent-turns";
  return undefined;
}

/** `en` matches `en-US`; `en-US` matches only `en-US` (case-insensitive). */
function languageMatches(rule: string, language: string): boolean {
  const r = rule.toLowerCase();
  const l = language.toLowerCase();
  return l === r || l.startsWith(`${r}-`);
}

/** Everything the sampler decided about one interaction, as stored on its ledger item. */
export interface Decision {
  policyVersion: string;
  keyId: string;
  u: number;
  rate: number;
  /** Inclusion probability of the random sample: the stratum's rate. */
  pi: number;
  eligible: boolean;
  ineligibleReason?: IneligibleReason;
  sampled: boolean;
  /** Whether the sampled item is also scored blind by other reviewers for calibration. */
  calibration: boolean;
}

/** Decides whether an interaction is sampled; pure and deterministic for a key and policy. */
export function decide(
  policy: SamplingPolicy,
  key: Uint8Array,
  t: Pick<Transcript, "interactionId" | "vendor" | "channel" | "language" | "turns">,
): Decision {
  const u = rank(key, t.interactionId);
  const rate = rateFor(policy, t.vendor, t.channel);
  const reason = ineligibility(policy, t);
  const sampled = reason === undefined && u < rate;
  const calibration =
    sampled && rank(key, `calibration:${t.interactionId}`) < policy.calibration.fraction;
  return {
    policyVersion: policy.version,
    keyId: keyFingerprint(key),
    u,
    rate,
    pi: rate,
    eligible: reason === undefined,
    ...(reason === undefined ? {} : { ineligibleReason: reason }),
    sampled,
    calibration,
  };
}

/** The interaction facts every task carries. */
export type TaskSubject = Pick<
  Transcript,
  "interactionId" | "vendor" | "agent" | "channel" | "startedAt"
>;

/**
 * The review tasks of a sampled interaction: one primary task of `kind`, plus `k − 1`
 * calibration copies when the decision says so (only the primary enters trend estimates).
 * `newId` names each task; callers pass random ids, so a task id says nothing about its kind.
 */
export function plannedTasks(
  policy: SamplingPolicy,
  subject: TaskSubject,
  decision: Pick<Decision, "u" | "pi" | "calibration" | "policyVersion">,
  kind: Exclude<TaskKind, "calibration">,
  createdAt: string,
  newId: () => string,
): Task[] {
  const base = {
    interactionId: subject.interactionId,
    vendor: subject.vendor,
    agent: subject.agent,
    channel: subject.channel,
    day: utcDay(subject.startedAt),
    week: isoWeek(subject.startedAt),
    policyVersion: decision.policyVersion,
    u: decision.u,
    pi: decision.pi,
    status: "queued" as const,
    createdAt,
  };
  const tasks: Task[] = [{ ...base, taskId: newId(), kind }];
  if (decision.calibration) {
    for (let copy = 1; copy < policy.calibration.reviewers; copy++) {
      tasks.push({
        ...base,
        taskId: newId(),
        kind: "calibration",
      });
    }
  }
  return tasks;
}
