import { defineConfig } from "vitest/config";
import { testDefaults } from "../../vitest.shared.js";

// Browser tests of `cairn ui` and `cairn inspect --html`: the built CLI (dist/) against a real file
// store, in headless Chromium. One file at a time: each starts a browser and a server, and the
// machine is small. The fixture store is made once, in global-setup.ts.
export default defineConfig({
  test: {
    ...testDefaults,
    include: ["src/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["src/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
