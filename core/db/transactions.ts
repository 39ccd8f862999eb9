import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";

/**
 * Why DynamoDB cancelled a transaction, from its per-item `CancellationReasons`.
 *
 * - `condition-failed`: at least one item's condition was false; `items` are the indexes of
 *   those items (in `TransactItems` order). Retrying cannot help: the caller maps it (a
 *   replay, a duplicate, a 409).
 * - `transient`: no condition failed, and every other reason is a conflict with a concurrent
 *   transaction or a throttle; the same transaction may succeed if sent again.
 * - `other`: anything else (a validation error, an item collection over its size limit, no
 *   reasons at all): a fault to surface, not to retry.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
export type Cancellation =
  | { kind: "condition-failed"; items: number[]; codes: string[] }
  | { kind: "transient"; codes: string[] }
  | { kind: "other"; codes: string[] };

/** Per-item cancellation codes that describe a race or a throttle, not the request. */
const TRANSIENT_CODES = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

/**
 * Classifies a cancelled transaction, or returns undefined when `error` is not a
 * `TransactionCanceledException`. A failed condition wins over a conflict on another item:
 * the condition was evaluated and was false, so a retry would fail it again.
 */
export function classifyCancellation(error: unknown): Cancellation | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  const items = codes.flatMap((code, i) => (code === "ConditionalCheckFailed" ? [i] : []));
  if (items.length > 0) return { kind: "condition-failed", items, codes };
  const failing = codes.filter((code) => code !== "None");
  if (failing.length > 0 && failing.every((code) => TRANSIENT_CODES.has(code)))
    return { kind: "transient", codes };
  return { kind: "other", codes };
}

/** How often and how patiently {@link retryTransient} retries. */
export interface RetryOptions {
  /** Total tries, the first included (at least 1). */
  attempts: number;
  /** The backoff cap before the second try; it doubles for each later try (full jitter). */
  baseMs: number;
}

/**
 * Runs `fn`, and runs it again after a jittered, exponentially growing pause while it fails
 * with a {@link classifyCancellation transient} cancellation, up to `attempts` tries in all.
 * Any other error, and the last transient one, is thrown unchanged, so the caller's own
 * classification (and, in a queue consumer, the queue's redelivery) still applies. The SDK
 * does not retry a cancelled transaction itself: it is a client error to it.
 */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= options.attempts || classifyCancellation(error)?.kind !== "transient")
        throw error;
      // Full jitter: concurrent writers that collided on one item should not collide again in step.
      const pause = Math.random() * options.baseMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** The items of one `TransactWriteItems` request, in the order DynamoDB reports reasons for. */
export type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/**
 * Writes `items` in one transaction through {@link retryTransient}: a transient cancellation
 * is sent again, a failed condition (or anything else) is thrown for the caller to map.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: TransactItems,
  options: RetryOptions,
): Promise<void> {
  await retryTransient(() => db.send(new TransactWriteCommand({ TransactItems: items })), options);
}

/** An item update, as the shared/items builders write it, without the table it goes to. */
export type ItemUpdate = Omit<NonNullable<TransactItems[number]["Update"]>, "TableName">;

/** `update` as one item of a transaction on `table`. */
export function transactUpdate(table: string, update: ItemUpdate): TransactItems[number] {
  return { Update: { TableName: table, ...update } };
}
