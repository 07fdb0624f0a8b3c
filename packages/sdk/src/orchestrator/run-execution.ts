import type { DurableLogRecord } from "../engine/invocation-environment.js";
import type { Clock, DurableExecutionService, ExecutionSummary, StartExecutionParams } from "../service/service-api.js";
import { toOrchestratorClock, type OrchestratorClock } from "./clock.js";
import { invokeOnce, type BackendWrapper, type DurableInvocationHandler, type InvocationRecord } from "./invocation.js";
import { InvocationLimitError, NoProgressError } from "./orchestrator-errors.js";

/** Start a new execution, or carry on with one that exists (e.g. after the CLI was killed). */
export type ExecutionTarget = { start: StartExecutionParams } | { executionArn: string };

export interface RunExecutionOptions {
  /** The service the execution lives in. Its clock must be `clock`. */
  service: DurableExecutionService;
  /**
   * The service's clock. An OrchestratorClock (e.g. VirtualClock) decides how time passes; any
   * other Clock is taken to be real time and the orchestrator sleeps until each timer.
   */
  clock: Clock;
  handler: DurableInvocationHandler;
  target: ExecutionTarget;
  /** Receives every structured log line the handler emits. */
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  /** Wraps the checkpoint backend of each invocation (fault injection, tracing). */
  wrapBackend?: BackendWrapper | undefined;
  /** Called when the execution exists, before the first invocation. */
  onExecutionStarted?: ((execution: ExecutionSummary) => void) | undefined;
  /** Called after every invocation has ended and been recorded by the service. */
  onInvocation?: ((record: InvocationRecord, execution: ExecutionSummary) => void) | undefined;
  /**
   * Called when the execution is suspended with no timer, i.e. it waits for an external event
   * (a callback). Resolve `true` once something may have changed to invoke again, `false` to stop
   * and report the execution as waiting. Without it the run stops at once.
   */
  onWaiting?: ((info: { executionArn: string; signal: AbortSignal | undefined }) => Promise<boolean>) | undefined;
  /** Default 1000. */
  maxInvocations?: number | undefined;
  /** Consecutive invocations that store nothing while no timer fired; default 10. */
  maxInvocationsWithoutProgress?: number | undefined;
  /** Reported to the handler through `getRemainingTimeInMillis`; default 15 minutes. */
  invocationTimeoutMs?: number | undefined;
  functionName?: string | undefined;
  /**
   * Stops the run between invocations or while sleeping until a timer; an invocation in flight is
   * allowed to finish. The execution stays RUNNING and can be resumed.
   */
  signal?: AbortSignal | undefined;
}

/**
 * - `completed`: the execution reached a terminal status.
 * - `waiting`: still RUNNING, suspended on something external with no timer to wake it.
 * - `aborted`: the signal stopped the run; still RUNNING.
 */
export type OrchestrationState = "completed" | "waiting" | "aborted";

export interface OrchestrationResult {
  state: OrchestrationState;
  execution: ExecutionSummary;
  /** The invocations made by this run, in order. */
  invocations: InvocationRecord[];
  /** How many of them crashed (rejected, or were ended by a backend wrapper). */
  crashes: number;
}

export const DEFAULT_MAX_INVOCATIONS = 1000;
export const DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS = 10;
const DEFAULT_INVOCATION_TIMEOUT_MS = 15 * 60 * 1000;
/** Timer look-ups in a row that fire nothing before the service is considered inconsistent. */
const MAX_EMPTY_TIMER_ROUNDS = 100;

/**
 * Drives an execution to completion (or to a wait on something external): invoke the handler,
 * and while the execution stays RUNNING, let time pass until its next timer, fire it, invoke again.
 * A crashed invocation is re-invoked at once.
 */
export async function runExecution(options: RunExecutionOptions): Promise<OrchestrationResult> {
  const { service, signal } = options;
  const clock = toOrchestratorClock(options.clock);
  const maxInvocations = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
  const maxStalled = options.maxInvocationsWithoutProgress ?? DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS;
  if (!Number.isInteger(maxInvocations) || maxInvocations < 1) {
    throw new RangeError(`maxInvocations must be a positive integer, got ${maxInvocations}`);
  }
  if (!Number.isInteger(maxStalled) || maxStalled < 1) {
    throw new RangeError(`maxInvocationsWithoutProgress must be a positive integer, got ${maxStalled}`);
  }

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
      functionName: options.functionName,
      invocationTimeoutMs: options.invocationTimeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS,
    });
    execution = after;
    invocations.push(record);
    options.onInvocation?.(record, execution);
    if (execution.status !== "RUNNING") break;

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

    const woke = await waitForChange(options, clock, executionArn);
    if (woke !== "changed") {
      execution = await service.getExecution(executionArn);
      return result(woke);
    }
    changedSinceLastInvocation = true;
  }
  return result("completed");
}

/** Sleeps until the next timer and fires it, or asks `onWaiting` when there is no timer. */
async function waitForChange(
  options: RunExecutionOptions,
  clock: OrchestratorClock,
  executionArn: string,
): Promise<"changed" | "waiting" | "aborted"> {
  const { service, signal } = options;
  for (let round = 0; round < MAX_EMPTY_TIMER_ROUNDS; round++) {
    if (signal?.aborted) return "aborted";
    const next = await service.nextTimer(executionArn);
    if (next === undefined) {
      if (!options.onWaiting) return "waiting";
      const again = await options.onWaiting({ executionArn, signal });
      return again ? "changed" : signal?.aborted ? "aborted" : "waiting";
    }
    try {
      await clock.sleepUntil(next, signal);
    } catch (error) {
      if (signal?.aborted) return "aborted";
      throw error;
    }
    const fired = await service.fireDueTimers(executionArn);
    if (fired.length > 0) return "changed";
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
