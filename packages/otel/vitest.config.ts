import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    ...testDefaults,
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
