// What every runner of the shared vectors does around runRequirement — this package's suite and
// the ones that run the vectors over other stores or transports: pick the time modes and vectors
// from the environment, load each vector once (so both modes see the same generated variables),
// load its handler module, and check a real-time run against the skipped-time run of the vector.
import { pathToFileURL } from "node:url";
import type { HandlerModule } from "./handler-module.js";
import { listRequirementFiles, loadRequirement, type Requirement, type RequirementFile } from "./loader.js";
import { CONCURRENT_ORDER } from "./concurrent-order.js";
import { compareSequences } from "./matcher.js";
import type { RequirementOutcome, TimeMode } from "./run-requirement.js";

export const TIMEOUT_MS: Readonly<Record<TimeMode, number>> = { "skipped-time": 30_000, "real-time": 90_000 };

/** CONFORMANCE_MODES: a comma-separated subset of "skipped-time,real-time" (default both). */
export function timeModesFromEnv(env: NodeJS.ProcessEnv = process.env): TimeMode[] {
  return (env.CONFORMANCE_MODES ?? "skipped-time,real-time")
    .split(",")
    .map((m) => m.trim())
    .filter((m): m is TimeMode => m === "skipped-time" || m === "real-time");
}

/** The vectors of `categories` (default all), narrowed by CONFORMANCE_ONLY (keys or key prefixes). */
export function selectedRequirementFiles(categories?: readonly string[], env: NodeJS.ProcessEnv = process.env): RequirementFile[] {
  const only = (env.CONFORMANCE_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return listRequirementFiles(undefined, categories).filter(
    (f) => only.length === 0 || only.some((o) => f.key === o || f.key.startsWith(o)),
  );
}

const HANDLERS_DIR = new URL("../handlers/", import.meta.url);

/** The handler module written for a vector: `handlers/<category>/<id>.ts`. */
export async function loadHandler(file: RequirementFile): Promise<HandlerModule> {
  const url = new URL(`${file.category}/${file.id}.ts`, HANDLERS_DIR);
  const mod = (await import(pathToFileURL(decodeURIComponent(url.pathname)).href)) as Partial<HandlerModule>;
  if (typeof mod.handler !== "function") throw new Error(`conformance handlers/${file.key}.ts does not export a handler`);
  return mod as HandlerModule;
}

/** One run of the suite: vectors loaded once, skipped-time sequences kept for the real-time check. */
export class ConformanceRun {
  readonly #requirements = new Map<string, Requirement>();
  readonly #skippedSequences = new Map<string, string[]>();

  requirementOf(file: RequirementFile): Requirement {
    let req = this.#requirements.get(file.key);
    if (!req) {
      req = loadRequirement(file.file, file.category);
      this.#requirements.set(file.key, req);
    }
    return req;
  }

  /**
   * Throws with every difference and the actual history when the outcome fails the vector — or,
   * in real time, when its event sequence differs from the skipped-time run's.
   */
  check(file: RequirementFile, mode: TimeMode, outcome: RequirementOutcome): void {
    const { history, sequence, stoppedEarly } = outcome;
    const failures = [...outcome.failures];
    if (mode === "skipped-time") this.#skippedSequences.set(file.key, sequence);
    const skipped = this.#skippedSequences.get(file.key);
    if (mode === "real-time" && skipped) {
      failures.push(
        ...compareSequences(skipped, sequence, { realStoppedEarly: stoppedEarly, unordered: CONCURRENT_ORDER.has(file.key) }),
      );
    }
    if (failures.length > 0) {
      throw new Error(
        [`${failures.length} difference(s)`, ...failures, "actual history:", ...history.map((h) => `  ${h}`)].join("\n"),
      );
    }
  }
}
