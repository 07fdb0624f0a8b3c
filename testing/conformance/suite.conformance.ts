// The conformance suite: one test per requirement per time mode. Run it with
// `npm run conformance --workspace @cairn/suites` (see vitest.conformance.config.ts).
//
// Environment:
//   CONFORMANCE_MODES  comma-separated subset of "skipped-time,real-time" (default both)
//   CONFORMANCE_ONLY   comma-separated requirement keys or prefixes, e.g. "step/1-17,map/"
import { pathToFileURL } from "node:url";
import { describe, test } from "vitest";
import type { HandlerModule } from "./lib/handler-module.js";
import { listRequirementFiles, loadRequirement, type Requirement, type RequirementFile } from "./lib/loader.js";
import { CONCURRENT_ORDER } from "./lib/concurrent-order.js";
import { compareSequences } from "./lib/matcher.js";
import { runRequirement, type TimeMode } from "./lib/run-requirement.js";

const MODES: TimeMode[] = (process.env.CONFORMANCE_MODES ?? "skipped-time,real-time")
  .split(",")
  .map((m) => m.trim())
  .filter((m): m is TimeMode => m === "skipped-time" || m === "real-time");

const only = (process.env.CONFORMANCE_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const files: RequirementFile[] = listRequirementFiles().filter(
  (f) => only.length === 0 || only.some((o) => f.key === o || f.key.startsWith(o)),
);

const HANDLERS_DIR = new URL("./handlers/", import.meta.url);

async function loadHandler(file: RequirementFile): Promise<HandlerModule> {
  const url = new URL(`${file.category}/${file.id}.ts`, HANDLERS_DIR);
  const mod = (await import(pathToFileURL(decodeURIComponent(url.pathname)).href)) as Partial<HandlerModule>;
  if (typeof mod.handler !== "function") throw new Error(`handlers/${file.key}.ts does not export a handler`);
  return mod as HandlerModule;
}

/** Skipped-time event sequences, to check that real time produces the same one. */
const skippedSequences = new Map<string, string[]>();

// Variables are generated once per run, so both time modes see the same values.
const requirements = new Map<string, Requirement>();
function requirementOf(file: RequirementFile): Requirement {
  let req = requirements.get(file.key);
  if (!req) {
    req = loadRequirement(file.file, file.category);
    requirements.set(file.key, req);
  }
  return req;
}

const TIMEOUT_MS: Record<TimeMode, number> = { "skipped-time": 30_000, "real-time": 90_000 };

for (const mode of MODES) {
  // Real-time requirements mostly sleep, so they run side by side; each has its own runner.
  const suite = mode === "real-time" ? describe.concurrent : describe;
  suite(mode, () => {
    for (const file of files) {
      test(
        `${file.key} [${mode}]`,
        async () => {
          const req = requirementOf(file);
          const mod = await loadHandler(file);
          const { failures, history, sequence, stoppedEarly } = await runRequirement(req, mod, mode);
          if (mode === "skipped-time") skippedSequences.set(file.key, sequence);
          const skipped = skippedSequences.get(file.key);
          if (mode === "real-time" && skipped) {
            failures.push(
              ...compareSequences(skipped, sequence, {
                realStoppedEarly: stoppedEarly,
                unordered: CONCURRENT_ORDER.has(file.key),
              }),
            );
          }
          if (failures.length > 0) {
            throw new Error(
              [`${failures.length} difference(s)`, ...failures, "actual history:", ...history.map((h) => `  ${h}`)].join(
                "\n",
              ),
            );
          }
        },
        TIMEOUT_MS[mode],
      );
    }
  });
}
