import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // The end-to-end files spawn many CLI processes; side by side on a small machine they starve
  // each other into timeouts.
  test: { ...testDefaults, include: ["src/**/*.test.ts"], fileParallelism: false },
});
