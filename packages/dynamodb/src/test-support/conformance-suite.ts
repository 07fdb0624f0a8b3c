// The shared conformance runner (testing/conformance), loaded at test time by a computed path so
// this package's typecheck (rootDir src) does not pull its sources in. The types below are the part
// of its API used here.
import type { ExecutionStore } from "@cairn/sdk/service";

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

interface RunnerModule {
  runRequirement(req: Requirement, mod: HandlerModule, mode: TimeMode, overrides?: { store?: ExecutionStore }): Promise<RequirementOutcome>;
}

interface SuitePlanModule {
  TIMEOUT_MS: Readonly<Record<TimeMode, number>>;
  timeModesFromEnv(): TimeMode[];
  selectedRequirementFiles(categories?: readonly string[]): RequirementFile[];
  loadHandler(file: RequirementFile): Promise<HandlerModule>;
  ConformanceRun: new () => {
    requirementOf(file: RequirementFile): Requirement;
    check(file: RequirementFile, mode: TimeMode, outcome: RequirementOutcome): void;
  };
}

const CONFORMANCE = new URL("../../../../testing/conformance/", import.meta.url);

async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ new URL(path, CONFORMANCE).href)) as T;
}

export type ConformanceSuite = RunnerModule & SuitePlanModule;

export async function loadConformanceSuite(): Promise<ConformanceSuite> {
  const [runner, plan] = await Promise.all([load<RunnerModule>("lib/run-requirement.ts"), load<SuitePlanModule>("lib/suite-plan.ts")]);
  return { ...plan, runRequirement: runner.runRequirement };
}
