import { defineConfig } from "vitest/config";

/**
 * Which test files belong to which tier; the projects below are built from these lists
 * and test/tiers.test.ts checks them. Every other `test/**\/*.test.ts(x)` is a unit test:
 * no emulators, no Java, no browser, no child processes of the stack.
 */

/**
 * Tests against DynamoDB Local and fauxqs. One DynamoDB Local serves the whole run
 * (test/integration/global-setup.ts) and each file's stack has its own table, bucket and
 * queues (test/integration/stack.ts); only the files that test the emulators' own lifecycle
 * start theirs.
 */
export const INTEGRATION_TESTS = [
  "test/demo/simulate-reviews.test.ts",
  "test/drift/run.test.ts",
  "test/infra/parity.test.ts",
  "test/insights/open-week.test.ts",
  "test/insights/pipeline.test.ts",
  "test/insights/read-hardening.test.ts",
  "test/local/namespace.test.ts",
  "test/local/persistence.test.ts",
  "test/local/quiet.test.ts",
  "test/local/stack.test.ts",
  "test/review/api.test.ts",
  "test/review/review-queue.test.ts",
  "test/review/weights.test.ts",
  "test/sampler/failures.test.ts",
  "test/sampler/local-pipeline.test.ts",
  "test/sampler/reconcile.test.ts",
  "test/sampler/reliability.test.ts",
  "test/sampler/vendor.test.ts",
] as const;

/** Whole flows as a user meets them: Chromium, the CLI and `cdk synth` as processes, `npm start`. */
export const E2E_TESTS = [
  "test/cli/cli.test.ts",
  "test/infra/cognito-sign-in.test.ts",
  "test/infra/synth.test.ts",
  "test/local/start.test.ts",
  "test/sampler/audit-cli.test.ts",
  "test/ui/a11y.test.ts",
  "test/ui/dashboard.test.ts",
  "test/ui/reviewer.test.ts",
  "test/ui/status.test.ts",
] as const;

/** Starts the DynamoDB Local that the integration and e2e stacks share. */
const SHARED_EMULATORS = "test/integration/global-setup.ts";

/**
 * Tests against a stack run CLI processes, Chromium pages and emulator round trips that take
 * seconds each on a loaded 2-core machine: the limit is there to stop a hung test, not to
 * time a slow one.
 */
const STACK_TEST_TIMEOUT_MS = 120_000;

export default defineConfig({
  // Component tests (test/web) are TSX against Preact, as esbuild builds the pages.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Waits poll against a generous deadline: a loaded 2-core CI machine can take seconds per step.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // The SDK warns that its 2027 releases will need Node 22; Lambda runs the newest Node anyway.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: [...INTEGRATION_TESTS, ...E2E_TESTS],
          // Unit files keep no state outside their own functions, so a worker's files share
          // one module registry: aws-cdk-lib and the SDK load once per worker, not once per
          // file (on 2 busy cores, 30-40 s against 85-90 s).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [...INTEGRATION_TESTS],
          globalSetup: [SHARED_EMULATORS],
          testTimeout: STACK_TEST_TIMEOUT_MS,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: [...E2E_TESTS],
          globalSetup: [SHARED_EMULATORS],
          testTimeout: STACK_TEST_TIMEOUT_MS,
        },
      },
    ],
  },
});
