import { randomBytes } from "node:crypto";
import { basename } from "node:path";
import { expect, inject } from "vitest";
import { type LocalStack, startLocalStack } from "../../local/stack";

/** What a test stack takes: everything `startLocalStack` does but the ports and emulators. */
export type TestStackOptions = Omit<
  Parameters<typeof startLocalStack>[0],
  "ports" | "emulators" | "namespace" | "dataDir" | "reset"
>;

/**
 * Starts a local stack on free ports that uses the run's shared DynamoDB Local (started by
 * test/integration/global-setup.ts), in a namespace of its own: its table, bucket and queues
 * are named after the test file and a random suffix, so no two files see each other's data.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<LocalStack> {
  const dynamodb = inject("sharedDynamoDb");
  if (!dynamodb) {
    throw new Error(
      "no shared DynamoDB Local: run this file through its vitest project (npm run test:integration)",
    );
  }
  return await startLocalStack({
    ...options,
    ports: { web: 0, aws: 0, dynamodb: 0 },
    emulators: { dynamodb },
    namespace: namespaceFor(expect.getState().testPath),
  });
}

/** `review-queue-3f9a1c` for test/review/review-queue.test.ts. */
function namespaceFor(testPath: string | undefined): string {
  const file = basename(testPath ?? "test")
    .replace(/\.test\.ts$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 20)
    .replace(/^-+|-+$/g, "");
  return `${file || "test"}-${randomBytes(3).toString("hex")}`;
}
