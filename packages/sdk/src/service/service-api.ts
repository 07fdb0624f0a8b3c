import type { CheckpointBackend } from "../protocol/backend.js";
import type { HistoryEvent } from "../protocol/history.js";
import type { DurableExecutionInvocationInput, DurableExecutionInvocationOutput } from "../protocol/invocation.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import type { ChainedInvokeOutcome, PendingChainedInvoke } from "./chained-invokes.js";

/** Source of "now" for the service: real time, or a virtual clock that tests advance. */
export interface Clock {
  now(): Date;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";

export interface ExecutionSummary {
  executionArn: string;
  executionName: string;
  functionName?: string | undefined;
  status: ExecutionStatus;
  startTimestamp: Date;
  endTimestamp?: Date | undefined;
  /** Serialized execution input, as given to startExecution. */
  input?: string | undefined;
  /** Serialized handler result when SUCCEEDED. */
  result?: string | undefined;
  error?: ErrorObject | undefined;
  /** Number of invocations begun so far. */
  invocationCount: number;
}

/** Which execution and operation a callback id belonged to. */
export interface CallbackCompletionResult {
  executionArn: string;
  operationId: string;
}

export interface StartExecutionParams {
  /** Serialized (JSON) input event. */
  input?: string | undefined;
  /** Idempotency key: starting the same name twice returns the same execution. */
  executionName?: string | undefined;
  functionName?: string | undefined;
  /**
   * Use this execution id (a ULID) instead of a fresh one: a chained invoke's target runs as the
   * execution its ChainedInvokeStarted event reserved. Ignored when the name is taken already.
   */
  executionId?: string | undefined;
}

export interface InvocationTicket {
  input: DurableExecutionInvocationInput;
  requestId: string;
  startTimestamp: Date;
}

/** How an invocation ended, as seen by the orchestrator. */
export type InvocationOutcome =
  /**
   * `yielded`: a PENDING invocation stopped short of its timeout with work left to do; the
   * execution is to be invoked again at once (it has a wake-up pending, see wakeAtOf).
   */
  | { kind: "returned"; output: DurableExecutionInvocationOutput; yielded?: boolean }
  /** The handler process died or threw outside the protocol (e.g. Runtime.ExitError). */
  | { kind: "crashed"; error: ErrorObject };

/**
 * The service side of the checkpoint protocol: what an orchestrator (local runner, CLI, worker)
 * drives. It is also the engine's CheckpointBackend.
 */
export interface DurableExecutionService extends CheckpointBackend {
  startExecution(params: StartExecutionParams): Promise<ExecutionSummary>;
  /**
   * Begins an invocation: issues a fresh checkpoint token (every older token of this execution
   * becomes stale) and returns the handler's input with the first page of operations.
   */
  beginInvocation(executionArn: string): Promise<InvocationTicket>;
  /**
   * Ends the invocation begun with `ticket`: records InvocationCompleted, and for a returned
   * SUCCEEDED/FAILED output ExecutionSucceeded/ExecutionFailed. A PENDING output leaves the
   * execution RUNNING. A stale ticket (a newer invocation began) is rejected.
   */
  endInvocation(executionArn: string, ticket: InvocationTicket, outcome: InvocationOutcome): Promise<ExecutionSummary>;
  getExecution(executionArn: string): Promise<ExecutionSummary>;
  listExecutions(): Promise<ExecutionSummary[]>;
  /** Every operation, or only those with the given ids (unknown ids are skipped). */
  getOperations(executionArn: string, options?: { ids?: readonly string[] }): Promise<Operation[]>;
  getHistory(executionArn: string): Promise<HistoryEvent[]>;
  /** Earliest timer (wait end, retry time) of a RUNNING execution, or undefined if none. */
  nextTimer(executionArn: string): Promise<Date | undefined>;
  /**
   * When the execution next needs an invocation (see wakeAtOf): now or earlier when a wake-up is
   * pending (a callback completed since the last invocation began), else its next timer; undefined
   * when only something external can move it on, or it has ended.
   */
  wakeAt(executionArn: string): Promise<Date | undefined>;
  /**
   * Completes a STARTED callback with a result (`payload`: the text as the handler's deserializer
   * reads it, e.g. JSON). Rejects with InvalidCallbackIdError, CallbackNotFoundError,
   * CallbackAlreadyCompletedError, ExecutionClosedError or InvalidRequestError; nothing changes then.
   */
  sendCallbackSuccess(callbackId: string, payload?: string): Promise<CallbackCompletionResult>;
  /** Completes a STARTED callback with a failure; the handler sees a CallbackExternalError. Errors as for success. */
  sendCallbackFailure(callbackId: string, error?: ErrorObject): Promise<CallbackCompletionResult>;
  /** Restarts the callback's heartbeat timeout (accepted, with no effect, when it has none). Errors as for success. */
  sendCallbackHeartbeat(callbackId: string): Promise<CallbackCompletionResult>;
  /**
   * Completes every timer due at the clock's now (WAIT -> SUCCEEDED with a WaitSucceeded event,
   * retrying STEP PENDING -> READY, CALLBACK -> TIMED_OUT with a CallbackTimedOut event). Returns the ids of the operations it changed.
   */
  fireDueTimers(executionArn: string): Promise<string[]>;
  /** Chained invokes still waiting for their target (STARTED), in start order. */
  pendingChainedInvokes(executionArn: string): Promise<PendingChainedInvoke[]>;
  /**
   * Completes a STARTED chained invoke with its target's outcome (ChainedInvokeSucceeded/Failed/
   * TimedOut/Stopped) and asks for the execution to be invoked again. Rejects an unknown or
   * already completed invoke, and a closed execution.
   */
  completeChainedInvoke(executionArn: string, operationId: string, outcome: ChainedInvokeOutcome): Promise<void>;
}
