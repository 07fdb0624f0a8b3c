// The shared conformance runner (testing/conformance), loaded at test time by a computed path so
// this package's typecheck (rootDir src) does not pull its sources in. The types below are the part
// of its API used here.
import type { ExecutionStore } from "@cairn/sdk";

export type TimeMode = "skipped-time" | "real-time";

export interface RequirementFile {
  key: string;
  category: string;
  id: string;
  file: string;
}

export interface Requirement {
  key: string;
}

export interface HandlerModule {
  handler: (...args: never[]) => Promise<unknown>;
}

export interface RequirementOutcome {
  failures: string[];
  history: string[];
  sequence: string[];
  stoppedEarly: boolean;
}

interface LoaderModule {
  listRequirementFiles(dir?: string, categories?: readonly string[]): RequirementFile[];
  loadRequirement(file: string, category: string): Requirement;
}

interface RunnerModule {
  runRequirement(req: Requirement, mod: HandlerModule, mode: TimeMode, overrides?: { store?: ExecutionStore }): Promise<RequirementOutcome>;
}

interface MatcherModule {
  compareSequences(skipped: readonly string[], real: readonly string[], options: { realStoppedEarly: boolean; unordered: boolean }): string[];
}

const CONFORMANCE = new URL("../../../../testing/conformance/", import.meta.url);

async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ new URL(path, CONFORMANCE).href)) as T;
}

export interface ConformanceSuite extends LoaderModule, RunnerModule, MatcherModule {
  loadHandler(file: RequirementFile): Promise<HandlerModule>;
}

export async function loadConformanceSuite(): Promise<ConformanceSuite> {
  const [loader, runner, matcher] = await Promise.all([
    load<LoaderModule>("lib/loader.ts"),
    load<RunnerModule>("lib/run-requirement.ts"),
    load<MatcherModule>("lib/matcher.ts"),
  ]);
  return {
    listRequirementFiles: loader.listRequirementFiles,
    loadRequirement: loader.loadRequirement,
    runRequirement: runner.runRequirement,
    compareSequences: matcher.compareSequences,
    loadHandler: async (file) => {
      const mod = await load<Partial<HandlerModule>>(`handlers/${file.category}/${file.id}.ts`);
      if (typeof mod.handler !== "function") throw new Error(`conformance handlers/${file.key}.ts does not export a handler`);
      return mod as HandlerModule;
    },
  };
}
