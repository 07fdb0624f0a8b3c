import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../vitest.shared.js";

// `npm test` for the cross-package suites: the conformance tooling's unit tests and the other
// suites' *.test.ts. The conformance run itself is `npm run conformance`
// (vitest.conformance.config.ts); bench/ is a workspace of its own.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: { ...testDefaults, include: ["**/*.test.ts"], exclude: ["**/node_modules/**", "bench/**", "consumers/**", "publish/**", "ui/**"] },
});
