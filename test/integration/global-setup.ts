import type { TestProject } from "vitest/node";
import { checkJava, startDynamoDbLocal } from "../../local/emulators/dynamodb-local";

declare module "vitest" {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB Local every stack of the run shares. */
    sharedDynamoDb: string;
  }
}

/**
 * Starts one DynamoDB Local for the whole run, before any test file. Its JVM start is the
 * slow part of a local stack (seconds on a busy machine); each test file then gets its own
 * table in it through {@link startTestStack}.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // vitest.config's `env` reaches test files only; this runs in vitest's own process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  await checkJava();
  const dynamo = await startDynamoDbLocal({
    port: 0,
    region: "us-east-1",
    onWarning: (line) => console.warn(line),
  });
  project.provide("sharedDynamoDb", dynamo.endpoint);
  return () => dynamo.stop();
}
