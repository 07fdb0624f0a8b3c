import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    ...testDefaults,
    include: ["src/**/*.test.ts"],
    // One DynamoDB Local (a JVM) per run; test files share it through their own tables.
    globalSetup: ["src/test-support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores shared with the JVM: two files at a time is as fast as more, and steadier.
    maxWorkers: 2,
    minWorkers: 1,
    // The conformance file's real-time requirements mostly sleep: run them side by side.
    maxConcurrency: 16,
  },
});
