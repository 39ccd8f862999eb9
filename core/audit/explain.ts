import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { ledgerFromItem, ledgerKey, taskFromItem, taskKey } from "../../shared/items";
import { rateFor, type SamplingPolicy } from "../../shared/policy";
import { type Decision, keyFingerprint, rank } from "../../shared/sampling";

/** Why an interaction was or was not sampled, re-derived next to what was stored. */
export interface Explanation extends Omit<Decision, "sampled" | "ineligibleReason"> {
  interactionId: string;
  vendor: string;
  agent: string;
  channel: string;
  object: string;
  /** As the ledger stored it, which may predate today's list of reasons. */
  ineligibleReason?: string;
  decision: "sampled" | "not sampled";
  kind: string;
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
  if (!found.Item) return undefined;
  const item = ledgerFromItem(found.Item);
  const ids = item.taskIds;
  const tasks =
    ids.length === 0
      ? []
      : (
          (
            await deps.db.send(
              new BatchGetCommand({ RequestItems: { [deps.table]: { Keys: ids.map(taskKey) } } }),
            )
          ).Responses?.[deps.table] ?? []
        ).map(taskFromItem);
  const u = rank(deps.key, interactionId);
  const rate =
    item.policyVersion === deps.policy.version
      ? rateFor(deps.policy, item.vendor, item.channel)
      : undefined;
  const keyMatches = keyFingerprint(deps.key) === item.keyId;
  return {
    interactionId,
    vendor: item.vendor,
    agent: item.agent,
    channel: item.channel,
    object: item.object,
    policyVersion: item.policyVersion,
    keyId: item.keyId,
    u: item.u,
    rate: item.rate,
    pi: item.floorPi ?? item.pi,
    eligible: item.eligible,
    ...(item.ineligibleReason ? { ineligibleReason: item.ineligibleReason } : {}),
    decision: item.sampled ? "sampled" : "not sampled",
    kind: item.sampleKind,
    calibration: item.calibration,
    tasks: tasks
      .map((t) => ({ taskId: t.taskId, kind: t.kind, status: t.status, pi: t.pi }))
      .sort((a, b) => a.taskId.localeCompare(b.taskId)),
    rederived: {
      u,
      rate,
      keyMatches,
      agrees: keyMatches && u === item.u && (rate === undefined || rate === item.rate),
    },
  };
}
