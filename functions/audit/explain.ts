import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { rateFor, type SamplingPolicy } from "../../shared/policy";
import { keyFingerprint, rank } from "../../shared/sampling";
import { ledgerKey, taskKey } from "../../shared/table-keys";
import type { Channel } from "../../shared/transcript";

/** Why an interaction was or was not sampled, re-derived next to what was stored. */
export interface Explanation {
  interactionId: string;
  vendor: string;
  agent: string;
  channel: string;
  object: string;
  policyVersion: string;
  keyId: string;
  u: number;
  rate: number;
  pi: number;
  eligible: boolean;
  ineligibleReason?: string;
  decision: "sampled" | "not sampled";
  kind: string;
  calibration: boolean;
  tasks: Array<{ taskId: string; kind: string; status: string; pi: number }>;
  /** The same rule, recomputed now with this key and policy. */
  rederived: { u: number; rate: number | undefined; keyMatches: boolean; agrees: boolean };
}

/** Explains one ledger decision; undefined when the interaction is not in the ledger. */
export async function explainInteraction(
  deps: { db: DynamoDBDocumentClient; table: string; key: Uint8Array; policy: SamplingPolicy },
  interactionId: string,
): Promise<Explanation | undefined> {
  const found = await deps.db.send(
    new GetCommand({ TableName: deps.table, Key: ledgerKey(interactionId) }),
  );
  const item = found.Item;
  if (!item) return undefined;
  const ids = (item.taskIds ?? []) as string[];
  const tasks =
    ids.length === 0
      ? []
      : ((
          await deps.db.send(
            new BatchGetCommand({ RequestItems: { [deps.table]: { Keys: ids.map(taskKey) } } }),
          )
        ).Responses?.[deps.table] ?? []);
  const u = rank(deps.key, interactionId);
  const rate =
    item.policyVersion === deps.policy.version
      ? rateFor(deps.policy, String(item.vendor), item.channel as Channel)
      : undefined;
  const keyMatches = keyFingerprint(deps.key) === item.keyId;
  return {
    interactionId,
    vendor: String(item.vendor),
    agent: String(item.agent),
    channel: String(item.channel),
    object: String(item.object),
    policyVersion: String(item.policyVersion),
    keyId: String(item.keyId),
    u: Number(item.u),
    rate: Number(item.rate),
    pi: Number(item.floorPi ?? item.pi),
    eligible: Boolean(item.eligible),
    ...(item.ineligibleReason ? { ineligibleReason: String(item.ineligibleReason) } : {}),
    decision: item.sampled ? "sampled" : "not sampled",
    kind: String(item.sampleKind),
    calibration: Boolean(item.calibration),
    tasks: tasks
      .map((t) => ({
        taskId: String(t.taskId),
        kind: String(t.kind),
        status: String(t.status),
        pi: Number(t.pi),
      }))
      .sort((a, b) => a.taskId.localeCompare(b.taskId)),
    rederived: {
      u,
      rate,
      keyMatches,
      agrees:
        keyMatches && u === Number(item.u) && (rate === undefined || rate === Number(item.rate)),
    },
  };
}
