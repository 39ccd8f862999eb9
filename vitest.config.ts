import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Waits poll against a generous deadline: a loaded 2-core CI machine can take seconds per step.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // The SDK warns that its 2027 releases will need Node 22; Lambda runs the newest Node anyway.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
