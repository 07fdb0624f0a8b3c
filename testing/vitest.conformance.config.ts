import { defineConfig } from "vitest/config";
import { testDefaults, workspaceAliases } from "../vitest.shared.js";

// The conformance run: every vector of ../shared/conformance/requirements, in skipped and real
// time, reported one line per requirement by conformance/reporter.ts.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    ...testDefaults,
    include: ["conformance/suite.conformance.ts"],
    reporters: ["./conformance/reporter.ts"],
    maxConcurrency: 20,
    // The one suite file runs in one worker; nothing else to parallelise.
    fileParallelism: false,
  },
});
