// Runs a handler once cleanly, then once per crash point — before and after every checkpoint is
// stored, and inside every side-effecting body — and checks each resumed run against the clean one:
// same status and result, same sequence of operation outcomes in the history, and side effects
// that respect at-least-once (never again once stored, at most once more per crash) and, where a
// scenario says so, exactly-once.
import type { DurableLambdaHandler, HistoryEvent } from "@cairn/sdk";
import { LocalDurableTestRunner, type CheckpointFaultInfo, type CrashPredicate, type TestResult } from "@cairn/testing";
import { expect } from "vitest";
import type { SideEffectLedger } from "./side-effect-ledger.js";

/** Everything one run needs, built fresh per run so no state leaks from one crash point to the next. */
export interface ChaosWorld {
  handler: DurableLambdaHandler;
  ledger: SideEffectLedger;
  /** Registers invoke targets and the like on the run's runner. */
  prepare?: (runner: LocalDurableTestRunner) => void;
  /** Plays the outside world (e.g. answers a callback) while the run is in flight. */
  drive?: (runner: LocalDurableTestRunner, progress: RunProgress) => Promise<void>;
  /** Checks the world's own records once the run is over (and the driver done). */
  verify?: (result: TestResult, where: string) => void;
}

/** Lets a driver act at a given point of the run. */
export interface RunProgress {
  /** Resolves once the k-th checkpoint call (counted across the execution) was stored. */
  stored(k: number): Promise<void>;
}

export type CrashPoint =
  | { phase: "before" | "after"; checkpoint: number }
  /** Crash at the first checkpoint call after the body calling this ledger label ran. */
  | { inside: string }
  /** Crash right after each of the first `upTo` checkpoints is stored: one crash per checkpoint. */
  | { afterEach: number };

export interface ChaosRun {
  result: TestResult;
  world: ChaosWorld;
  /** Checkpoint calls stored (the "after" phases seen). */
  checkpoints: number;
  /** Every checkpoint call, both phases, as the fault injector saw it. */
  calls: CheckpointFaultInfo[];
}

export const describePoint = (point: CrashPoint | undefined): string =>
  point === undefined
    ? "clean run"
    : "inside" in point
      ? `crash inside ${point.inside}`
      : "afterEach" in point
        ? `crash after each of checkpoints 1-${point.afterEach}`
        : `crash ${point.phase} checkpoint ${point.checkpoint}`;

/** Runs `makeWorld()`'s handler to its end, crashing once at `point` if given. */
export async function runChaos(makeWorld: () => ChaosWorld, payload: unknown, point?: CrashPoint, name = ""): Promise<ChaosRun> {
  const world = makeWorld();
  // CHAOS_CHECKPOINT_DELAY=<ms> makes every checkpoint call take real time, which changes how
  // concurrent work interleaves with checkpoints: a slower, wider search for races (off in CI).
  const checkpointDelay = Number(process.env.CHAOS_CHECKPOINT_DELAY ?? 0);
  const runner = new LocalDurableTestRunner({ handlerFunction: world.handler, skipTime: true, checkpointDelay });
  world.prepare?.(runner);
  if (point && "inside" in point) world.ledger.crashInside(point.inside);

  const calls: CheckpointFaultInfo[] = [];
  const waiters: { k: number; resolve: () => void }[] = [];
  let storedCount = 0;
  // Always first and never firing, so it sees every checkpoint call — including the one a crash
  // predicate fires on (the injector stops asking predicates once one matches).
  const observe: CrashPredicate = (info) => {
    calls.push(info);
    world.ledger.record(info);
    if (info.phase === "after") {
      storedCount++;
      for (const w of waiters.filter((w) => info.checkpointNumber >= w.k)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return false;
  };
  // Each predicate fires once; a crash after each checkpoint needs one per checkpoint.
  const crashes: CrashPredicate[] =
    point === undefined
      ? []
      : "inside" in point
        ? [(info) => world.ledger.crashDue(info)]
        : "afterEach" in point
          ? Array.from({ length: point.afterEach }, (): CrashPredicate => (info) => info.phase === "after")
          : [(info) => info.phase === point.phase && info.checkpointNumber === point.checkpoint];

  const progress: RunProgress = {
    stored: (k) =>
      calls.some((c) => c.phase === "after" && c.checkpointNumber >= k)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ k, resolve })),
  };
  const running = runner.run({ payload, faults: { crashWhen: [observe, ...crashes] } });
  const driving = world.drive?.(runner, progress);
  const result = await running;
  // A driver still waiting for a point the run never reached is itself a failure to report.
  for (const w of waiters.splice(0)) w.resolve();
  await driving;
  world.verify?.(result, `${name}: ${describePoint(point)}`);
  return { result, world, checkpoints: storedCount, calls };
}

const OUTCOME = /(Succeeded|Failed|TimedOut|Cancelled|Stopped)$/;
/** Outcomes the outside world decides the moment of. */
const EXTERNAL = /^Callback/;

/**
 * The history's operation outcomes, without timestamps, event ids or invocation boundaries: type,
 * operation id and name, then the stored result, error type or retry attempt.
 */
export function outcomesOf(events: readonly HistoryEvent[]): string[] {
  return events
    .filter((e) => OUTCOME.test(e.EventType))
    .map((e) => {
      const details = (e as unknown as Record<string, unknown>)[`${e.EventType}Details`] as
        | { Result?: { Payload?: string }; Error?: { Payload?: { ErrorType?: string } }; RetryDetails?: { CurrentAttempt?: number } }
        | undefined;
      const parts = [e.EventType, e.Id ?? "", e.Name ?? ""];
      if (details?.Result?.Payload !== undefined) parts.push(`=${withoutStackTraces(details.Result.Payload)}`);
      if (details?.Error?.Payload?.ErrorType !== undefined) parts.push(`!${details.Error.Payload.ErrorType}`);
      if (details?.RetryDetails?.CurrentAttempt !== undefined) parts.push(`#${details.RetryDetails.CurrentAttempt}`);
      return parts.join(" ");
    });
}

/**
 * A payload without the stack traces of the errors it holds (at any depth of JSON-in-JSON): where
 * an operation ran from depends on the invocation it ran in (a replay, or a resume in the same
 * invocation), which a crash legitimately changes; what it decided does not.
 */
function withoutStackTraces(payload: string): string {
  return payload.replace(/,?(\\*)"StackTrace\1":\[.*?\1"\]/g, "");
}

/** Outcomes grouped per operation, each group in history order. */
export function outcomesPerOperation(events: readonly HistoryEvent[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const outcome of outcomesOf(events)) {
    const id = outcome.split(" ")[1] ?? "";
    (groups[id] ??= []).push(outcome);
  }
  return groups;
}

export interface SweepScenario {
  name: string;
  payload?: unknown;
  world: () => ChaosWorld;
  /** Ledger labels whose side effect must happen exactly as often as in the clean run, whatever crashes. */
  exact?: readonly string[];
  /**
   * How outcome sequences are compared: "global" (default) — the whole history in order (callback
   * outcomes, timed by the outside world, in their own order);
   * "per-operation" — each operation's outcomes in order, for concurrent items whose completions
   * may interleave differently once a resume re-dispatches them.
   */
  order?: "global" | "per-operation";
  /** Sweep at most this many checkpoints (evenly spaced, first and last included); default: all. */
  sample?: number;
  /** Also crash inside every side-effecting body the clean run called. Default true. */
  crashInsideBodies?: boolean;
  /**
   * Labels the clean run calls without storing a result under that label (failing attempts, the
   * outside world's actions, invoke targets). Every other label must be seen stored, so that the
   * "never again once stored" check is not vacuous.
   */
  unstored?: readonly string[];
  /** Scenario checks on every run, the clean one included (`clean` is undefined for it). */
  check?: (run: ChaosRun, clean: ChaosRun | undefined, where: string) => void;
}

/** Checkpoint numbers to crash at: all of 1..n, or `sample` of them evenly spaced. */
export function checkpointsToSweep(n: number, sample?: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  if (sample === undefined || sample >= n) return all;
  const picked = new Set<number>();
  for (let i = 0; i < sample; i++) picked.add(1 + Math.round((i * (n - 1)) / Math.max(1, sample - 1)));
  return [...picked].sort((a, b) => a - b);
}

export interface SweepReport {
  checkpoints: number;
  /** Crash points exercised (each run crashed exactly once). */
  points: number;
}

/** The clean run, checked by the scenario; throws unless it succeeded and checkpointed. */
export async function cleanRun(scenario: SweepScenario): Promise<ChaosRun> {
  const clean = await runChaos(scenario.world, scenario.payload, undefined, scenario.name);
  expect(clean.result.getStatus(), `${scenario.name} clean run`).toBe("SUCCEEDED");
  expect(clean.checkpoints).toBeGreaterThan(0);
  const ledger = clean.world.ledger;
  const unstored = new Set(scenario.unstored ?? []);
  expect(ledger.labels().filter((l) => !unstored.has(l) && !ledger.stored(l)), `${scenario.name}: calls never seen stored`).toEqual([]);
  scenario.check?.(clean, undefined, `${scenario.name} clean run`);
  return clean;
}

/** Compares one crashed run with the clean one (see the file comment for what is asserted). */
export function expectSameAsClean(scenario: SweepScenario, run: ChaosRun, clean: ChaosRun, point: CrashPoint): void {
  const where = `${scenario.name}: ${describePoint(point)}`;
  const crashes = run.result.getInjectedCrashCount();
  expect(crashes, where).toBe("afterEach" in point ? point.afterEach : 1);
  expect(run.result.getStatus(), where).toBe(clean.result.getStatus());
  expect(run.result.getResult(), where).toEqual(clean.result.getResult());
  if (scenario.order === "per-operation") {
    expect(outcomesPerOperation(run.result.getHistoryEvents()), where).toEqual(outcomesPerOperation(clean.result.getHistoryEvents()));
  } else {
    // A callback completes when the outside world answers, which a crash of the handler does not
    // move: its outcome is compared on its own, everything the handler decides in order.
    const own = (events: readonly HistoryEvent[]) => outcomesOf(events).filter((o) => !EXTERNAL.test(o));
    const external = (events: readonly HistoryEvent[]) => outcomesOf(events).filter((o) => EXTERNAL.test(o));
    expect(own(run.result.getHistoryEvents()), where).toEqual(own(clean.result.getHistoryEvents()));
    expect(external(run.result.getHistoryEvents()), where).toEqual(external(clean.result.getHistoryEvents()));
  }
  const ledger = run.world.ledger;
  const cleanLedger = clean.world.ledger;
  expect(ledger.rerunsAfterStored(), where).toEqual([]);
  expect(new Set(ledger.labels()), where).toEqual(new Set(cleanLedger.labels()));
  for (const label of cleanLedger.labels()) {
    // At least once: whatever ran cleanly ran; a crash can repeat a body at most once more.
    expect(ledger.calls(label), `${where}: ${label}`).toBeGreaterThanOrEqual(cleanLedger.calls(label));
    expect(ledger.calls(label), `${where}: ${label}`).toBeLessThanOrEqual(cleanLedger.calls(label) + crashes);
  }
  for (const label of scenario.exact ?? []) {
    expect(ledger.calls(label), `${where}: ${label} (exactly once)`).toBe(cleanLedger.calls(label));
  }
  scenario.check?.(run, clean, where);
}

/**
 * Crashes the scenario before and after each (or each sampled) checkpoint of its clean run, and
 * inside each side-effecting body, asserting every resumed run matches the clean one.
 */
export async function sweep(scenario: SweepScenario): Promise<SweepReport> {
  const clean = await cleanRun(scenario);
  const points: CrashPoint[] = [];
  for (const k of checkpointsToSweep(clean.checkpoints, scenario.sample)) {
    points.push({ phase: "before", checkpoint: k }, { phase: "after", checkpoint: k });
  }
  if (scenario.crashInsideBodies !== false) for (const label of clean.world.ledger.labels()) points.push({ inside: label });
  // And the worst case: every checkpoint of the clean run followed by a crash.
  points.push({ afterEach: clean.checkpoints });
  for (const point of points) {
    const run = await runChaos(scenario.world, scenario.payload, point, scenario.name);
    expectSameAsClean(scenario, run, clean, point);
  }
  return { checkpoints: clean.checkpoints, points: points.length };
}
