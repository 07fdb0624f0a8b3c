import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    ...testDefaults,
    include: ["src/**/*.test.ts"],
    // One DynamoDB Local (a JVM) for the run; each test file creates its own tables. Each file
    // starts its own s3rver.
    globalSetup: ["src/test-support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
