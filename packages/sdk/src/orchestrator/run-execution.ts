import type { DurableLogRecord } from "../engine/invocation-environment.js";
import type {
  Clock,
  DurableExecutionService,
  ExecutionSummary,
  NondeterminismPolicy,
  StartExecutionParams,
} from "../service/service-api.js";
import { toOrchestratorClock, type OrchestratorClock } from "../service/clock.js";
import { invokeOnce, type BackendWrapper, type DurableInvocationHandler, type InvocationRecord } from "./invocation.js";
import { InvocationLimitError, NoProgressError } from "./orchestrator-errors.js";
import { ChainedInvokeDispatcher, type ChainedFunctionRegistry } from "./chained-invokes.js";
import { sleepWhileInvokesRun, targetLogSink, type WaitForExternalChange } from "./external-changes.js";
import { loopClock } from "./shared-virtual-time.js";
import { checkInvocationTimeout, checkNondeterminismPolicy } from "./invocation-settings.js";

/** Start a new execution, or carry on with one that exists (e.g. after the CLI was killed). */
export type ExecutionTarget =
  | {
      /** Start (or, by name, find) this execution. */
      start: StartExecutionParams;
    }
  | {
      /** Carry on with this existing execution. */
      executionArn: string;
    };

/** Options of {@link runExecution}. */
export interface RunExecutionOptions {
  /** The service the execution lives in. Its clock must be `clock`. */
  service: DurableExecutionService;
  /**
   * The service's clock. An OrchestratorClock (e.g. VirtualClock) decides how time passes; any
   * other Clock is taken to be real time and the orchestrator sleeps until each timer.
   */
  clock: Clock;
  /** The durable handler, e.g. what `withDurableExecution` returns. */
  handler: DurableInvocationHandler;
  /** Which execution to run. */
  target: ExecutionTarget;
  /** Receives every structured log line the handler emits. */
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  /** Wraps the checkpoint backend of each invocation (fault injection, tracing). */
  wrapBackend?: BackendWrapper | undefined;
  /** See InvokeOptions.wrapperPassesReads. */
  wrapperPassesReads?: boolean | undefined;
  /** Called when the execution exists, before the first invocation. */
  onExecutionStarted?: ((execution: ExecutionSummary) => void) | undefined;
  /** Called after every invocation has ended and been recorded by the service. */
  onInvocation?: ((record: InvocationRecord, execution: ExecutionSummary) => void) | undefined;
  /**
   * Called whenever the execution is suspended and nothing is due yet; `until` is its next timer
   * (undefined when only something external, e.g. a callback, can move it on). The hook owns the
   * waiting: resolve `true` as soon as something external may have changed the execution (a
   * callback was completed) to invoke again; resolve `false` once `until` has come (the
   * orchestrator then fires the timer), or, when there is no timer, to stop the run and report it
   * as waiting. Without the hook the orchestrator sleeps until each timer itself and stops at once
   * when there is none.
   */
  onWaiting?: ((info: WaitingInfo) => Promise<boolean>) | undefined;
  /**
   * While targets of chained invokes run, `onWaiting` is not consulted (the run shares time with
   * them, and only their loops and timers move it). This is watched instead: resolve when
   * something external may have changed the execution (a callback was answered), and the run
   * invokes the handler at once rather than when the next timer fires or a target finishes.
   * Without it, such a change is seen at the run's next wake-up.
   */
  waitForExternalChange?: WaitForExternalChange | undefined;
  /**
   * What `ctx.invoke` can call, by function id: each STARTED chained invoke's target is run (a
   * durable one as its own execution in `service`, on `clock`) and the invoke completed with its
   * outcome. An id not in here fails the invoke with an error saying how to register it.
   */
  functions?: ChainedFunctionRegistry | undefined;
  /** Default 1000. */
  maxInvocations?: number | undefined;
  /** Consecutive invocations that store nothing while no timer fired; default 10. */
  maxInvocationsWithoutProgress?: number | undefined;
  /** Reported to the handler through `getRemainingTimeInMillis`; default 15 minutes. */
  invocationTimeoutMs?: number | undefined;
  /** The function name the execution records and the handler sees. */
  functionName?: string | undefined;
  /**
   * What a replay mismatch (NonDeterministicExecutionError) does to the execution. `"fail"` (the
   * default, as on AWS Lambda): it FAILS. `"block"`: it stays RUNNING, marked
   * `ExecutionSummary.blocked`, and the run stops with state `"blocked"` (the same code would only
   * diverge again); deploy fixed or reverted code and run it again, or fail it on purpose.
   */
  onNondeterminism?: NondeterminismPolicy | undefined;
  /**
   * Stops the run between invocations or while sleeping until a timer; an invocation in flight is
   * allowed to finish. The execution stays RUNNING and can be resumed.
   */
  signal?: AbortSignal | undefined;
}

/** What `onWaiting` receives. */
export interface WaitingInfo {
  /** The suspended execution. */
  executionArn: string;
  /** The run's signal, if it has one: stop waiting when it aborts. */
  signal: AbortSignal | undefined;
  /** The execution's next timer; undefined when it has none. */
  until: Date | undefined;
}

/**
 * - `completed`: the execution reached a terminal status.
 * - `waiting`: still RUNNING, suspended on something external with no timer to wake it.
 * - `aborted`: the signal stopped the run; still RUNNING.
 * - `blocked`: still RUNNING, but its replay diverged from the checkpoints (`onNondeterminism:
 *   "block"`); `execution.blocked` says where.
 */
export type OrchestrationState = "completed" | "waiting" | "aborted" | "blocked";

/** How a {@link runExecution} run ended. */
export interface OrchestrationResult {
  /** Why the run stopped. */
  state: OrchestrationState;
  /** The execution as the run left it. */
  execution: ExecutionSummary;
  /** The invocations made by this run, in order. */
  invocations: InvocationRecord[];
  /** How many of them crashed (rejected, or were ended by a backend wrapper). */
  crashes: number;
}

/** Default `maxInvocations`: a run that needs more throws {@link InvocationLimitError}. */
export const DEFAULT_MAX_INVOCATIONS = 1000;
/**
 * Default `maxInvocationsWithoutProgress`: that many invocations in a row storing nothing throw {@link
 * NoProgressError}.
 */
export const DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS = 10;
const DEFAULT_INVOCATION_TIMEOUT_MS = 15 * 60 * 1000;
/** Timer look-ups in a row that fire nothing before the service is considered inconsistent. */
const MAX_EMPTY_TIMER_ROUNDS = 100;

/**
 * Drives an execution to completion (or to a wait on something external): invoke the handler,
 * and while the execution stays RUNNING, let time pass until its next timer, fire it, invoke again.
 * A crashed invocation is re-invoked at once. Chained invokes are run from `functions`. Throws
 * {@link InvocationLimitError} or {@link NoProgressError} when the execution will not finish.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock(); // time is skipped: waits end at once
 * const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
 * const { state, execution } = await runExecution({
 *   service,
 *   clock,
 *   handler,
 *   target: { start: { input: JSON.stringify({ orderId: "o-1" }) } },
 * });
 * ```
 */
export async function runExecution(options: RunExecutionOptions): Promise<OrchestrationResult> {
  // Loops of chained-invoke targets share this loop's (virtual) time; see shared-virtual-time.ts.
  const { clock, owned } = loopClock(toOrchestratorClock(options.clock));
  const invokes = new ChainedInvokeDispatcher(options.service, clock, options.functions ?? new Map(), async (run) => {
    const { invokedBy, ...rest } = run;
    const { state, execution } = await runExecution({
      ...rest,
      target: { start: run.start },
      logSink: targetLogSink(options.logSink, run.start.functionName, invokedBy),
    });
    return state === "completed" ? execution : undefined;
  });
  try {
    return await runLoop(options, clock, invokes);
  } finally {
    await invokes.close();
    owned?.leave();
  }
}

async function runLoop(
  options: RunExecutionOptions,
  clock: OrchestratorClock,
  invokes: ChainedInvokeDispatcher,
): Promise<OrchestrationResult> {
  const { service, signal } = options;
  const maxInvocations = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
  const maxStalled = options.maxInvocationsWithoutProgress ?? DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS;
  if (!Number.isInteger(maxInvocations) || maxInvocations < 1) {
    throw new RangeError(`maxInvocations must be a positive integer, got ${maxInvocations}`);
  }
  if (!Number.isInteger(maxStalled) || maxStalled < 1) {
    throw new RangeError(`maxInvocationsWithoutProgress must be a positive integer, got ${maxStalled}`);
  }
  const invocationTimeoutMs = options.invocationTimeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS;
  checkInvocationTimeout("runExecution", invocationTimeoutMs);
  checkNondeterminismPolicy("runExecution", options.onNondeterminism);

  let execution =
    "start" in options.target
      ? await service.startExecution(options.target.start)
      : await service.getExecution(options.target.executionArn);
  const executionArn = execution.executionArn;
  options.onExecutionStarted?.(execution);

  const invocations: InvocationRecord[] = [];
  const result = (state: OrchestrationState): OrchestrationResult => ({
    state,
    execution,
    invocations,
    crashes: invocations.filter((r) => r.outcome.kind === "crashed").length,
  });

  // A resumed execution may have timers that fell due while nobody was watching. Invoking right
  // after is deliberate even if nothing fired: the previous orchestrator may have died mid-invocation
  // or a callback may have completed, and a handler with nothing to do just suspends again.
  let changedSinceLastInvocation = true;
  if (execution.status === "RUNNING") await service.fireDueTimers(executionArn);

  let stalled = 0;
  while (execution.status === "RUNNING") {
    if (signal?.aborted) return result("aborted");
    if (invocations.length >= maxInvocations) throw new InvocationLimitError(executionArn, maxInvocations);

    const { record, execution: after } = await invokeOnce({
      service,
      clock,
      handler: options.handler,
      executionArn,
      invocationNumber: invocations.length + 1,
      logSink: options.logSink,
      wrapBackend: options.wrapBackend,
      wrapperPassesReads: options.wrapperPassesReads,
      functionName: options.functionName,
      invocationTimeoutMs,
      onNondeterminism: options.onNondeterminism,
    });
    execution = after;
    invocations.push(record);
    options.onInvocation?.(record, execution);
    if (execution.status !== "RUNNING") break;
    if (execution.blocked && record.outcome.kind === "returned" && record.outcome.blockedBy) return result("blocked");

    stalled = record.storedCheckpoints > 0 || changedSinceLastInvocation ? 0 : stalled + 1;
    if (stalled >= maxStalled) {
      throw new NoProgressError(executionArn, stalled, describe(record));
    }
    changedSinceLastInvocation = false;

    if (record.outcome.kind === "crashed") {
      // Like Lambda retrying a failed invocation, minus the back-off: there is nobody to wait for.
      changedSinceLastInvocation = (await service.fireDueTimers(executionArn)).length > 0;
      continue;
    }

    await invokes.dispatch(executionArn);
    if (record.yielded) {
      // It stopped before its timeout to be invoked again at once. Whether that made progress is
      // judged by what it stored, so a handler that yields without getting anything done still
      // ends in NoProgressError instead of looping.
      changedSinceLastInvocation = (await service.fireDueTimers(executionArn)).length > 0;
      continue;
    }
    const woke = await waitForChange(options, clock, executionArn, invokes);
    if (woke !== "changed") {
      execution = await service.getExecution(executionArn);
      return result(woke);
    }
    changedSinceLastInvocation = true;
  }
  return result("completed");
}

/**
 * Waits until the execution needs another invocation: a wake-up is pending (a callback completed),
 * a timer is due (fired here), or `onWaiting` reports an external change.
 */
async function waitForChange(
  options: RunExecutionOptions,
  clock: OrchestratorClock,
  executionArn: string,
  invokes: ChainedInvokeDispatcher,
): Promise<"changed" | "waiting" | "aborted"> {
  const { service, signal } = options;
  for (let round = 0; round < MAX_EMPTY_TIMER_ROUNDS; round++) {
    if (signal?.aborted) return "aborted";
    const seen = invokes.completions;
    const wakeAt = await service.wakeAt(executionArn);
    if (wakeAt !== undefined && wakeAt.getTime() <= clock.now().getTime()) {
      // Due: a timer (fire it) or a pending wake-up (nothing to fire, invoke all the same).
      await service.fireDueTimers(executionArn);
      return "changed";
    }
    if (invokes.inFlight > 0) {
      // Targets of chained invokes run: wait (on the time they share) for the next timer, a
      // target to finish, or an external change, whichever comes first; a target's completion
      // and a callback's answer request the wake-up themselves (seen as due on the next round).
      const woke = await sleepWhileInvokesRun(invokes, {
        executionArn,
        until: wakeAt,
        signal,
        seen,
        watch: options.waitForExternalChange,
      }).catch((error: unknown) => {
        if (signal?.aborted) return "aborted" as const;
        throw error;
      });
      if (woke === "aborted") return "aborted";
      continue;
    }
    if (options.onWaiting) {
      const external = await options.onWaiting({ executionArn, signal, until: wakeAt });
      if (external) {
        await service.fireDueTimers(executionArn);
        return "changed";
      }
      if (signal?.aborted) return "aborted";
      if (wakeAt === undefined) return "waiting";
      continue;
    }
    if (wakeAt === undefined) return "waiting";
    try {
      await clock.sleepUntil(wakeAt, signal);
    } catch (error) {
      if (signal?.aborted) return "aborted";
      throw error;
    }
  }
  throw new NoProgressError(
    executionArn,
    0,
    `the service reported a due timer ${MAX_EMPTY_TIMER_ROUNDS} times in a row but fired none`,
  );
}

function describe(record: InvocationRecord): string {
  const { outcome } = record;
  if (outcome.kind === "crashed") {
    return `last invocation crashed: ${outcome.error.ErrorType ?? "Error"}: ${outcome.error.ErrorMessage ?? ""}`;
  }
  return `last invocation returned ${outcome.output.Status} without storing a checkpoint`;
}
