import type { CheckpointBackend } from "../protocol/backend.js";
import type { HistoryEvent } from "../protocol/history.js";
import type { DurableExecutionInvocationInput, DurableExecutionInvocationOutput } from "../protocol/invocation.js";
import type { ErrorObject, Operation } from "../protocol/wire.js";
import type { ChainedInvokeOutcome, PendingChainedInvoke } from "./chained-invokes.js";

/** Source of "now" for the service: real time, or a virtual clock that tests advance. */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** Where an execution is: RUNNING until the handler settles, it times out or it is stopped. */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";

/** One execution as the service reports it (start, status, result). */
export interface ExecutionSummary {
  /** The execution's ARN (`arn:cairn:local:execution/<name>/<id>`). */
  executionArn: string;
  /** Its name (the idempotency key given to startExecution, else its id). */
  executionName: string;
  /** The function it runs, when given. */
  functionName?: string | undefined;
  /** Where it is. */
  status: ExecutionStatus;
  /** When it started. */
  startTimestamp: Date;
  /** When it ended. */
  endTimestamp?: Date | undefined;
  /** Serialized execution input, as given to startExecution. */
  input?: string | undefined;
  /** Serialized handler result when SUCCEEDED. */
  result?: string | undefined;
  /** Why it FAILED (or timed out, or was stopped). */
  error?: ErrorObject | undefined;
  /** Number of invocations begun so far. */
  invocationCount: number;
  /**
   * Set while the execution is RUNNING but blocked: its last invocation's replay diverged from the
   * checkpoints and the orchestrator's policy is to block rather than fail (see
   * {@link NondeterminismPolicy}). Cleared when an invocation gets past it or the execution ends.
   */
  blocked?: ExecutionBlock | undefined;
}

/**
 * What an orchestrator does when an invocation's replay diverges from the checkpoints (a
 * NonDeterministicExecutionError):
 * - `"fail"`: the execution FAILS with that error, as on AWS Lambda;
 * - `"block"`: the invocation ends with the error in its InvocationCompleted event, but the
 *   execution stays RUNNING, marked {@link ExecutionSummary.blocked}, and is retried with backoff,
 *   so deploying fixed (or reverted) code carries it on. Failing or stopping it ends it on purpose.
 */
export type NondeterminismPolicy = "block" | "fail";

/** Why and since when an execution is blocked, and when it is retried next. */
export interface ExecutionBlock {
  /** Why: the handler no longer calls the operations its checkpoints recorded. */
  reason: "NonDeterministicExecution";
  /** The id (position) of the operation whose replay diverged (`3`, or `2-1` inside context `2`). */
  operationId: string;
  /** The NonDeterministicExecutionError's message of the latest attempt. */
  message: string;
  /** When the first invocation blocked. */
  since: Date;
  /** How many invocations in a row have blocked on it. */
  attempts: number;
  /** When an orchestrator that polls (a DynamoDB worker) invokes it again. */
  retryAt: Date;
}

/** A replay mismatch the orchestrator blocks on instead of failing the execution. */
export interface BlockingMismatch {
  /** The id (position) of the operation whose replay diverged. */
  operationId: string;
  /** The NonDeterministicExecutionError's message. */
  message: string;
}

/** Which execution and operation a callback id belonged to. */
export interface CallbackCompletionResult {
  /** The execution. */
  executionArn: string;
  /** The callback's operation id. */
  operationId: string;
}

/** What {@link DurableExecutionService.startExecution} takes. */
export interface StartExecutionParams {
  /** Serialized (JSON) input event. */
  input?: string | undefined;
  /** Idempotency key: starting the same name twice returns the same execution. */
  executionName?: string | undefined;
  /** The function the execution runs (recorded, and used to dispatch chained invokes). */
  functionName?: string | undefined;
  /**
   * Use this execution id (a ULID) instead of a fresh one: a chained invoke's target runs as the
   * execution its ChainedInvokeStarted event reserved. Ignored when the name is taken already.
   */
  executionId?: string | undefined;
}

/** One begun invocation: the handler's input and what endInvocation needs to recognise it. */
export interface InvocationTicket {
  /** The input to hand to the handler. */
  input: DurableExecutionInvocationInput;
  /** The invocation's request id. */
  requestId: string;
  /** When it began. */
  startTimestamp: Date;
}

/** How an invocation ended, as seen by the orchestrator. */
export type InvocationOutcome =
  /**
   * `yielded`: a PENDING invocation stopped short of its timeout with work left to do; the
   * execution is to be invoked again at once (it has a wake-up pending, see wakeAtOf).
   */
  | {
      /** The handler returned. */
      kind: "returned";
      /** What it returned. */
      output: DurableExecutionInvocationOutput;
      /** It stopped short of its timeout and is to be invoked again at once. */
      yielded?: boolean;
      /**
       * The output is FAILED by a replay mismatch and the orchestrator's policy is `"block"`: the
       * service keeps the execution RUNNING and marks it blocked instead of failing it.
       */
      blockedBy?: BlockingMismatch;
    }
  /** The handler process died or threw outside the protocol (e.g. Runtime.ExitError). */
  | {
      /** The invocation died without returning. */
      kind: "crashed";
      /** What killed it. */
      error: ErrorObject;
    };

/**
 * The service side of the checkpoint protocol: what an orchestrator (local runner, CLI, worker)
 * drives. It is also the engine's CheckpointBackend.
 */
export interface DurableExecutionService extends CheckpointBackend {
  /**
   * Creates an execution (RUNNING, with its ExecutionStarted event), or returns the one that already
   * has `executionName` when the input is the same. Rejects with ExecutionAlreadyExistsError for the
   * same name with another input, InvalidRequestError for bad parameters.
   */
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
  /** The execution's summary; rejects with ExecutionNotFoundError. */
  getExecution(executionArn: string): Promise<ExecutionSummary>;
  /** Every execution of the store, oldest first. */
  listExecutions(): Promise<ExecutionSummary[]>;
  /** Every operation, or only those with the given ids (unknown ids are skipped). */
  getOperations(executionArn: string, options?: { ids?: readonly string[] }): Promise<Operation[]>;
  /** The execution's history events, in order. */
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
