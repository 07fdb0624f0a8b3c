import type { BackendWrapper } from "@cairn/sdk/orchestrator";
import type { CheckpointBackend, ErrorObject, OperationUpdate } from "@cairn/sdk";

/** What a `crashWhen` predicate sees for one checkpoint call. */
export interface CheckpointFaultInfo {
  /**
   * 1-based number of this checkpoint call across the whole execution (every invocation). Only
   * calls that carry at least one update are counted.
   */
  checkpointNumber: number;
  /** The updates the call carries (START, SUCCEED, FAIL, RETRY, … of operations, with their `Name`). */
  updates: readonly OperationUpdate[];
  /** "before": the updates are not stored yet; "after": the service has stored them. */
  phase: "before" | "after";
  /** 1-based number of the invocation making the call. */
  invocationNumber: number;
}

/** Decides from one checkpoint call whether to crash there; see {@link FaultPlan.crashWhen}. */
export type CrashPredicate = (info: CheckpointFaultInfo) => boolean;

/**
 * Crashes to inject into a run (`runner.run({ faults })`). Each fault fires once, and every field
 * also takes an array. A crashed invocation is abandoned — its backend calls never settle, so it
 * freezes like a killed process at its next checkpoint call — recorded with a
 * `Runtime.ExitError`, and the execution is re-invoked with a fresh checkpoint token.
 *
 * Checkpoint calls are numbered from 1 across the whole execution; calls without updates are
 * not counted.
 *
 * @example
 * ```ts
 * // Every crash point must give the clean run's result, without charging twice.
 * const clean = await runner.run({ payload });
 * for (let k = 1; k <= 20; k++) {
 *   const crashed = await runner.run({ payload, faults: { crashAfterCheckpoint: k } });
 *   expect(crashed.getResult()).toEqual(clean.getResult());
 * }
 * await runner.run({ payload, faults: { crashBeforeCompletion: "charge-card" } });
 * ```
 */
export interface FaultPlan {
  /** Crash once the k-th checkpoint call (1-based, counted across the execution) is stored. */
  crashAfterCheckpoint?: number | readonly number[];
  /** Crash when the k-th checkpoint call is made, before the service stores it. */
  crashBeforeCheckpoint?: number | readonly number[];
  /**
   * Crash once the START of the operation with this name is stored. For an at-most-once step the
   * body has not begun yet (it starts only after its START is acknowledged), but the store cannot
   * tell this from a crash inside the body; for an at-least-once step the body may already run.
   */
  crashAfterStart?: string | readonly string[];
  /**
   * Crash just before the completion (SUCCEED, FAIL or RETRY) of the operation with this name is
   * stored: its body ran, with its side effects, but its outcome is lost — a crash at the very end
   * of a step body.
   */
  crashBeforeCompletion?: string | readonly string[];
  /** Crash at the first checkpoint call (before or after it is stored) the predicate accepts. */
  crashWhen?: CrashPredicate | readonly CrashPredicate[];
}

/**
 * A fault injector for one execution; `wrap` goes to the orchestrator's `wrapBackend`. The local
 * runner makes one per run; use it directly only when driving `runExecution` yourself.
 */
export interface FaultInjector {
  /** Wraps each invocation's checkpoint backend so that the plan's crashes happen in it. */
  readonly wrap: BackendWrapper;
  /** How many crashes were injected so far. */
  crashes(): number;
}

interface Fault {
  readonly label: string;
  readonly matches: (info: CheckpointFaultInfo) => boolean;
  fired: boolean;
}

/** Fresh each time: a shared never-settling promise would keep every frozen invocation reachable. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

function list<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** Quotes strings so that `""` or `"3"` read as strings in an error message. */
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function checkCount(field: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`faults.${field} must be a positive integer (1-based checkpoint number), got ${shown(k)}`);
  }
}

// A name that is not a string, or is empty, matches no update's Name: the crash would never fire.
function checkName(field: string, name: string): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new TypeError(`faults.${field} must be a non-empty string (the operation's name), got ${shown(name)}`);
  }
}

// Refused here rather than as `f.matches is not a function` inside every checkpoint call.
function checkPredicate(predicate: CrashPredicate): void {
  if (typeof predicate !== "function") {
    throw new TypeError(`faults.crashWhen must be a function (info) => boolean, got ${shown(predicate)}`);
  }
}

function faultsOf(plan: FaultPlan): Fault[] {
  const faults: Fault[] = [];
  for (const k of list(plan.crashBeforeCheckpoint)) {
    checkCount("crashBeforeCheckpoint", k);
    faults.push({
      label: `before checkpoint ${k} was stored (crashBeforeCheckpoint)`,
      matches: (i) => i.phase === "before" && i.checkpointNumber === k,
      fired: false,
    });
  }
  for (const k of list(plan.crashAfterCheckpoint)) {
    checkCount("crashAfterCheckpoint", k);
    faults.push({
      label: `after checkpoint ${k} was stored (crashAfterCheckpoint)`,
      matches: (i) => i.phase === "after" && i.checkpointNumber === k,
      fired: false,
    });
  }
  for (const name of list(plan.crashBeforeCompletion)) {
    checkName("crashBeforeCompletion", name);
    faults.push({
      label: `before the completion of "${name}" was stored (crashBeforeCompletion)`,
      matches: (i) =>
        i.phase === "before" &&
        i.updates.some((u) => u.Name === name && (u.Action === "SUCCEED" || u.Action === "FAIL" || u.Action === "RETRY")),
      fired: false,
    });
  }
  for (const name of list(plan.crashAfterStart)) {
    checkName("crashAfterStart", name);
    faults.push({
      label: `after the START of "${name}" was stored (crashAfterStart)`,
      matches: (i) => i.phase === "after" && i.updates.some((u) => u.Action === "START" && u.Name === name),
      fired: false,
    });
  }
  list(plan.crashWhen).forEach((predicate, index) => {
    checkPredicate(predicate);
    faults.push({ label: `crashWhen predicate #${index + 1} matched`, matches: predicate, fired: false });
  });
  return faults;
}

/**
 * A fault injector that carries out `plan` over one execution (its checkpoint count spans every
 * invocation, so make a new one per execution).
 *
 * @throws RangeError when a `crashBeforeCheckpoint` / `crashAfterCheckpoint` number is not a
 *   positive integer.
 * @throws TypeError when a `crashAfterStart` / `crashBeforeCompletion` name is not a non-empty
 *   string, or a `crashWhen` predicate is not a function.
 */
export function createFaultInjector(plan: FaultPlan = {}): FaultInjector {
  const faults = faultsOf(plan);
  let checkpointCount = 0;
  let crashes = 0;

  // Marks the first unfired matching fault as fired and returns it.
  const trigger = (info: CheckpointFaultInfo): Fault | undefined => {
    const fault = faults.find((f) => !f.fired && f.matches(info));
    if (fault) fault.fired = true;
    return fault;
  };

  const wrap: BackendWrapper = (backend, invocation): CheckpointBackend => {
    const crash = (fault: Fault, info: CheckpointFaultInfo): Promise<never> => {
      crashes++;
      const error: ErrorObject = {
        ErrorType: "Runtime.ExitError",
        ErrorMessage: `Injected crash in invocation ${info.invocationNumber} ${fault.label}`,
      };
      invocation.crash(error);
      return never();
    };
    return {
      getExecutionState: (request) => backend.getExecutionState(request),
      checkpoint: async (request) => {
        const updates = request.Updates ?? [];
        if (faults.length === 0 || updates.length === 0) return backend.checkpoint(request);
        const checkpointNumber = ++checkpointCount;
        const base = { checkpointNumber, updates, invocationNumber: invocation.invocationNumber };
        const before: CheckpointFaultInfo = { ...base, phase: "before" };
        const beforeFault = trigger(before);
        if (beforeFault) return crash(beforeFault, before);
        const response = await backend.checkpoint(request);
        // Another call of this invocation crashed it meanwhile: this answer goes nowhere.
        if (invocation.crashed) return never();
        const after: CheckpointFaultInfo = { ...base, phase: "after" };
        const afterFault = trigger(after);
        if (afterFault) return crash(afterFault, after);
        return response;
      },
    };
  };

  return { wrap, crashes: () => crashes };
}
