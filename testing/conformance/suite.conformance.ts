// The conformance suite: one test per requirement per time mode. Run it with
// `npm run conformance --workspace @cairn/suites` (see vitest.conformance.config.ts).
//
// Environment:
//   CONFORMANCE_MODES  comma-separated subset of "skipped-time,real-time" (default both)
//   CONFORMANCE_ONLY   comma-separated requirement keys or prefixes, e.g. "step/1-17,map/"
import { describe, test } from "vitest";
import { runRequirement } from "./lib/run-requirement.js";
import { ConformanceRun, loadHandler, selectedRequirementFiles, timeModesFromEnv, TIMEOUT_MS } from "./lib/suite-plan.js";

const MODES = timeModesFromEnv();
const files = selectedRequirementFiles();
const run = new ConformanceRun();

for (const mode of MODES) {
  // Real-time requirements mostly sleep, so they run side by side; each has its own runner.
  const suite = mode === "real-time" ? describe.concurrent : describe;
  suite(mode, () => {
    for (const file of files) {
      test(
        `${file.key} [${mode}]`,
        async () => {
          const outcome = await runRequirement(run.requirementOf(file), await loadHandler(file), mode);
          run.check(file, mode, outcome);
        },
        TIMEOUT_MS[mode],
      );
    }
  });
}
