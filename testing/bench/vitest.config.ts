import { defineConfig } from "vitest/config";
import { testDefaults } from "../../vitest.shared.js";

// The bench runs the built packages (dist/), as a user would; `npm test` builds them first.
export default defineConfig({
  test: {
    ...testDefaults,
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    // The smoke run starts DynamoDB Local (a JVM) and restate-server: one file at a time.
    fileParallelism: false,
    testTimeout: 5 * 60_000,
  },
});
