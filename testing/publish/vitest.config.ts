import { defineConfig } from "vitest/config";
import { testDefaults } from "../../vitest.shared.js";

// These checks read the built packages (dist/) and the packed tarballs, never the sources:
// they check what a user would install. `npm test` builds every package first.
export default defineConfig({
  test: {
    ...testDefaults,
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    // Packing, bundling and API extraction are whole-process jobs; each file runs alone.
    fileParallelism: false,
    testTimeout: 5 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
