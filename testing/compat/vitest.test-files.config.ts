import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { testDefaults } from "../../vitest.shared.js";

// The ported test files (test-files/, see README.md): test-files.compat.ts runs each copy under
// jest and vitest in child processes while it is collected, then reports one test per case.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    ...testDefaults,
    include: ["compat/test-files.compat.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
