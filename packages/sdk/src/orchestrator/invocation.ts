import { attachInvocationEnvironment, type DurableLogRecord, type ReplayMismatch } from "../engine/invocation-environment.js";
import { never } from "../engine/invocation-engine.js";
import { toErrorObject } from "../errors/error-object.js";
import type { CheckpointBackend } from "../protocol/backend.js";
import {
  InvocationStatus,
  type DurableExecutionInvocationInput,
  type DurableExecutionInvocationOutput,
} from "../protocol/invocation.js";
import type { ErrorObject } from "../protocol/wire.js";
import type {
  Clock,
  DurableExecutionService,
  ExecutionSummary,
  InvocationOutcome,
  InvocationTicket,
  NondeterminismPolicy,
} from "../service/service-api.js";
import type { LambdaContextLike } from "../types/context.js";
import { toOrchestratorClock } from "../service/clock.js";
import { CheckpointService, readStoredState } from "../service/checkpoint-service.js";
import { withStoredReads } from "../engine/stored-reads.js";
import { checkInvocationTimeout, checkNondeterminismPolicy } from "./invocation-settings.js";

/** A durable Lambda-style handler, e.g. what `withDurableExecution(...)` returns. */
export type DurableInvocationHandler = (
  input: DurableExecutionInvocationInput,
  context: LambdaContextLike,
) => Promise<DurableExecutionInvocationOutput>;

/**
 * Handed to a backend wrapper for one invocation, so the wrapper (fault injection, a lease that
 * expired) can end the invocation as if its process had died.
 */
export interface InvocationControl {
  /** The execution being invoked. */
  readonly executionArn: string;
  /** This invocation's request id. */
  readonly requestId: string;
  /** 1-based position of this invocation within the orchestration run. */
  readonly invocationNumber: number;
  /**
   * Ends the invocation as crashed. From then on the invocation's pending and future backend calls
   * never settle, so the abandoned handler freezes where it is, like a killed process; the
   * orchestrator records `{ kind: "crashed", error }` and carries on.
   */
  crash(error?: ErrorObject): void;
  /** Whether `crash` was called. */
  readonly crashed: boolean;
}

/** Wraps the backend one invocation talks to; called once per invocation. */
export type BackendWrapper = (backend: CheckpointBackend, invocation: InvocationControl) => CheckpointBackend;

/** One invocation as an orchestration run saw it. */
export interface InvocationRecord {
  /** Its request id. */
  requestId: string;
  /** 1-based position within the run. */
  invocationNumber: number;
  /** When it began (orchestrator's clock). */
  startTimestamp: Date;
  /** When it ended. */
  endTimestamp: Date;
  /** Returned (with the handler's output) or crashed. */
  outcome: InvocationOutcome;
  /** Checkpoint calls with at least one update that the service stored during this invocation. */
  storedCheckpoints: number;
  /** The invocation stopped short of its timeout (see `yieldMarginMs`) and asked to be invoked again at once. */
  yielded: boolean;
}

/** Options of {@link invokeOnce}. */
export interface InvokeOptions {
  /** The service the execution lives in. */
  service: DurableExecutionService;
  /** The service's clock. */
  clock: Clock;
  /** The durable handler to invoke. */
  handler: DurableInvocationHandler;
  /** The execution to invoke. */
  executionArn: string;
  /** 1-based position of this invocation in the run. */
  invocationNumber: number;
  /** Receives every log line the handler emits. */
  logSink?: ((record: DurableLogRecord) => void) | undefined;
  /** Wraps the invocation's checkpoint backend (fault injection, tracing). */
  wrapBackend?: BackendWrapper | undefined;
  /**
   * The wrapper passes `getExecutionState` calls to the backend it was given, unchanged, and does
   * not read their answers. The engine may then load the state of a `CheckpointService` without the
   * service's copies, as it does when nothing wraps the backend: a replay reads every operation, and
   * the copies were about a sixth of its time at 100 000 operations. Leave unset when the wrapper
   * reads, changes or replaces what reads return.
   */
  wrapperPassesReads?: boolean | undefined;
  /** What the handler's `lambdaContext.functionName` says (default `"cairn-local"`). */
  functionName?: string | undefined;
  /** What `getRemainingTimeInMillis` counts down from (measured on the orchestrator's clock). */
  invocationTimeoutMs: number;
  /**
   * What a replay mismatch does to the execution (default `"fail"`, as on AWS Lambda): `"block"`
   * keeps it RUNNING and marks it blocked (see ExecutionSummary.blocked).
   */
  onNondeterminism?: NondeterminismPolicy | undefined;
}

/**
 * What a crashed invocation records when `InvocationControl.crash` is called without an error: a
 * Lambda runtime exit.
 */
export const DEFAULT_CRASH_ERROR: ErrorObject = {
  ErrorType: "Runtime.ExitError",
  ErrorMessage: "The invocation was terminated before it returned",
};


class Control implements InvocationControl {
  #crashed: ErrorObject | undefined;
  #ended = false;
  readonly #onCrash: (error: ErrorObject) => void;
  readonly whenCrashed: Promise<ErrorObject>;

  constructor(
    readonly executionArn: string,
    readonly requestId: string,
    readonly invocationNumber: number,
  ) {
    let resolve!: (error: ErrorObject) => void;
    this.whenCrashed = new Promise<ErrorObject>((r) => (resolve = r));
    this.#onCrash = resolve;
  }

  get crashed(): boolean {
    return this.#crashed !== undefined;
  }

  /** No longer running: crashed, or returned and frozen like a finished Lambda. */
  get stopped(): boolean {
    return this.#crashed !== undefined || this.#ended;
  }

  crash(error: ErrorObject = DEFAULT_CRASH_ERROR): void {
    if (this.stopped) return;
    this.#crashed = error;
    this.#onCrash(error);
  }

  end(): void {
    this.#ended = true;
  }

  /** Runs a backend call unless stopped; a stopped invocation never sees an answer. */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.stopped) return never();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (this.stopped) return never();
      throw error;
    }
    if (this.stopped) return never();
    return result;
  }
}

function isOutput(value: unknown): value is DurableExecutionInvocationOutput {
  if (typeof value !== "object" || value === null) return false;
  const status = (value as { Status?: unknown }).Status;
  return status === InvocationStatus.SUCCEEDED || status === InvocationStatus.FAILED || status === InvocationStatus.PENDING;
}

/**
 * Runs one invocation: begins it with the service (a fresh checkpoint token), calls the handler
 * in-process with the backend attached, and ends it with the outcome. A handler that rejects or
 * returns something other than an invocation output counts as crashed.
 */
export async function invokeOnce(options: InvokeOptions): Promise<{
  /** How the invocation went. */
  record: InvocationRecord;
  /** The execution after the invocation ended. */
  execution: ExecutionSummary;
}> {
  const { service, clock, executionArn } = options;
  checkInvocationTimeout("invokeOnce", options.invocationTimeoutMs);
  checkNondeterminismPolicy("invokeOnce", options.onNondeterminism);
  const ticket: InvocationTicket = await service.beginInvocation(executionArn);
  const control = new Control(executionArn, ticket.requestId, options.invocationNumber);

  let storedCheckpoints = 0;
  // Innermost: count what the service actually stored, even when a wrapper then crashes the
  // invocation before the handler sees the answer.
  const counting: CheckpointBackend = {
    getExecutionState: (request) => service.getExecutionState(request),
    checkpoint: async (request) => {
      const response = await service.checkpoint(request);
      if ((request.Updates?.length ?? 0) > 0) storedCheckpoints++;
      return response;
    },
  };
  const wrapped = options.wrapBackend ? options.wrapBackend(counting, control) : counting;
  // Outermost: once the invocation stopped, nothing reaches the handler any more.
  const backend: CheckpointBackend = {
    getExecutionState: (request) => control.guard(() => wrapped.getExecutionState(request)),
    checkpoint: (request) => control.guard(() => wrapped.checkpoint(request)),
  };
  // Not for a subclass that answers reads itself: its getExecutionState must be asked.
  const ownReads = service instanceof CheckpointService && service.getExecutionState === CheckpointService.prototype.getExecutionState;
  if (ownReads && (!options.wrapBackend || options.wrapperPassesReads === true)) {
    withStoredReads(backend, (request) => control.guard(() => readStoredState(service, request)));
  }
  const userSink = options.logSink;
  const logSink = userSink
    ? (record: DurableLogRecord) => {
        if (!control.stopped) userSink(record);
      }
    : undefined;

  const deadline = clock.now().getTime() + options.invocationTimeoutMs;
  const lambdaContext: LambdaContextLike = {
    awsRequestId: ticket.requestId,
    functionName: options.functionName ?? "cairn-local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now().getTime()),
  };

  let yielded = false;
  const onYield = (): void => {
    if (!control.stopped) yielded = true;
  };
  // The engine sleeps on the service's clock while a body runs (see ServiceWaits); a sleep must not
  // outlive the invocation (a shared virtual clock would wait for it).
  const ended = new AbortController();
  const serviceClock = toOrchestratorClock(clock);
  const engineClock = {
    now: () => clock.now(),
    sleepUntil: (until: Date, signal?: AbortSignal) =>
      control.stopped ? never<void>() : serviceClock.sleepUntil(until, signal ? AbortSignal.any([signal, ended.signal]) : ended.signal),
  };
  let mismatch: ReplayMismatch | undefined;
  const onReplayMismatch = (reported: ReplayMismatch): void => {
    if (!control.stopped) mismatch = reported;
  };
  const environment = { backend, onYield, onReplayMismatch, clock: engineClock };
  const input = attachInvocationEnvironment(ticket.input, logSink ? { ...environment, logSink } : environment);
  let running: Promise<DurableExecutionInvocationOutput>;
  try {
    running = Promise.resolve(options.handler(input, lambdaContext));
  } catch (error) {
    running = Promise.reject(error);
  }
  const block = options.onNondeterminism === "block";
  const returned: Promise<InvocationOutcome> = running.then(
    (output): InvocationOutcome =>
      isOutput(output)
        ? {
            kind: "returned",
            output,
            ...(yielded && output.Status === InvocationStatus.PENDING ? { yielded: true } : {}),
            // Only the engine's own mark counts: a handler that throws an error of that name fails as usual.
            ...(block && mismatch !== undefined && output.Status === InvocationStatus.FAILED
              ? { blockedBy: { operationId: mismatch.operationId, message: mismatch.message } }
              : {}),
          }
        : {
            kind: "crashed",
            error: {
              ErrorType: "Runtime.InvalidResponse",
              ErrorMessage: "The handler returned something that is not a durable invocation output",
            },
          },
    (error: unknown): InvocationOutcome => ({ kind: "crashed", error: crashError(error) }),
  );
  const outcome = await Promise.race([
    returned,
    control.whenCrashed.then((error): InvocationOutcome => ({ kind: "crashed", error })),
  ]);
  // Whatever the abandoned handler does later is of no interest (a dead process reports nothing).
  control.end();
  ended.abort();
  running.catch(() => undefined);

  const execution = await service.endInvocation(executionArn, ticket, outcome);
  const record: InvocationRecord = {
    requestId: ticket.requestId,
    invocationNumber: options.invocationNumber,
    startTimestamp: ticket.startTimestamp,
    endTimestamp: clock.now(),
    outcome,
    storedCheckpoints,
    yielded: outcome.kind === "returned" && outcome.yielded === true,
  };
  return { record, execution };
}

function crashError(error: unknown): ErrorObject {
  const object = toErrorObject(error);
  return { ...object, ErrorType: object.ErrorType ?? DEFAULT_CRASH_ERROR.ErrorType };
}
