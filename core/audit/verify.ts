import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ledgerFromItem, PERIOD, type TurnCounts } from "../../shared/items";
import { rateFor, type SamplingPolicy } from "../../shared/policy";
import { ineligibility, keyFingerprint, rank } from "../../shared/sampling";
import type { Turn } from "../../shared/transcript";
import { queryPeriodPartition } from "../db/query-partition";
import { daysBetween } from "./days";

/** One ledger decision that the key and policy do not reproduce. */
export interface Mismatch {
  interactionId: string;
  field: string;
  stored: unknown;
  derived: unknown;
}

export interface VerifyResult {
  from: string;
  to: string;
  checked: number;
  /** Items recorded under another policy version, which this policy cannot re-derive. */
  otherPolicy: number;
  mismatches: Mismatch[];
}

/**
 * Re-derives every ledger decision of objects that arrived between `from` and `to` (UTC
 * days) from the key and the policy: the rank u, the key fingerprint, eligibility, the
 * stratum rate and the random-sample decision. Zero mismatches is the expected answer.
 */
export async function verifyLedger(
  deps: { db: DynamoDBDocumentClient; table: string; key: Uint8Array; policy: SamplingPolicy },
  from: string,
  to: string,
): Promise<VerifyResult> {
  const result: VerifyResult = { from, to, checked: 0, otherPolicy: 0, mismatches: [] };
  const fingerprint = keyFingerprint(deps.key);
  for (const day of daysBetween(from, to)) {
    for (const stored of await queryPeriodPartition(deps.db, deps.table, PERIOD.ledgerDay(day))) {
      const item = ledgerFromItem(stored);
      const id = item.interactionId;
      if (item.policyVersion !== deps.policy.version) {
        result.otherPolicy += 1;
        continue;
      }
      result.checked += 1;
      const check = (field: string, stored: unknown, derived: unknown) => {
        if (stored !== derived)
          result.mismatches.push({ interactionId: id, field, stored, derived });
      };
      const u = rank(deps.key, id);
      const rate = rateFor(deps.policy, item.vendor, item.channel);
      const reason = ineligibility(deps.policy, {
        channel: item.channel,
        language: item.language,
        turns: turnsFromCounts(item.turns),
      });
      const randomSample = reason === undefined && u < rate;
      check("keyId", item.keyId, fingerprint);
      check("u", item.u, u);
      check("rate", item.rate, rate);
      check("eligible", item.eligible, reason === undefined);
      const kind = item.sampleKind;
      check("sampleKind", kind === "random", randomSample);
      if (kind === "floor") check("floor item was randomly sampled", randomSample, false);
    }
  }
  return result;
}

/** Eligibility needs only how many turns each role had; the ledger stores those counts. */
function turnsFromCounts(counts: TurnCounts): Turn[] {
  const turns: Turn[] = [];
  for (const [role, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++)
      turns.push({
        id: `${role}-${i}`,
        role: role as Turn["role"],
        text: "·",
        at: "1970-01-01T00:00:00Z",
      });
  }
  return turns;
}
