import type { CheckpointBackend } from "../protocol/backend.js";
import type { DurableExecutionInvocationInput } from "../protocol/invocation.js";
import type { Operation } from "../protocol/wire.js";
import type { ServiceClock } from "./service-waits.js";

/** One structured log line from `ctx.logger` / a step's logger. */
export interface DurableLogRecord {
  /** The line's level. */
  level: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** The logged values joined as text (objects as JSON). */
  message: string;
  /** When it was logged (ISO 8601). */
  timestamp: string;
  /** The execution that logged it. */
  executionArn: string;
  /** The step or context it was logged in. */
  operationId?: string;
  /** That operation's name. */
  operationName?: string;
  /** The step attempt, in a step body. */
  attempt?: number;
  /** The Lambda request id of the invocation that logged the line. */
  requestId?: string;
  /** The first Error among the logged values, structured. */
  error?: {
    /** The error's class name. */
    errorType: string;
    /** Its message. */
    errorMessage: string;
    /** Its stack lines. */
    stackTrace?: string[] | undefined;
  };
  /** Logged while replaying; emitted only when the logger is not mode-aware. */
  replaying?: boolean;
  /**
   * The JSON line the default logger writes for this call outside an orchestrator (see
   * `writeDefaultLogLine`); absent under a custom logger or below `AWS_LAMBDA_LOG_LEVEL`.
   * Not enumerable, so records compare and serialize without it.
   */
  readonly defaultLine?: string;
  /**
   * On lines of a chained invoke's target that the orchestrator ran in-process: the function id
   * and the invoke (caller's execution and operation id) that started it. A Cairn addition.
   */
  invokedAs?:
    | {
        /** The function id the caller invoked. */
        functionName: string;
        /** The calling execution. */
        callerExecutionArn: string;
        /** The caller's invoke operation. */
        operationId: string;
      }
    | undefined;
  /** Fields added by plugins' `enrichLogContext` (e.g. a trace id). */
  [extra: string]: unknown;
}

/**
 * What an in-process orchestrator (local runner, CLI, worker) hands to one invocation besides the
 * wire input: the checkpoint backend to use and, optionally, where log lines go. Carried on the
 * input under a symbol, so it never appears in the wire payload.
 */
export interface InvocationEnvironment {
  /** Where the invocation reads and writes checkpoints. */
  backend: CheckpointBackend;
  /** Receives every log line as a record; the default logger then writes nothing itself (the record's `defaultLine` is there to print). */
  logSink?: (record: DurableLogRecord) => void;
  /**
   * Called when the invocation yields before its timeout (see `yieldMarginMs`): the orchestrator
   * promises to invoke again as soon as this invocation ends. Without it (e.g. on AWS Lambda) the
   * engine checkpoints a one-second wait instead, so the service has a timer to invoke on.
   */
  onYield?: () => void;
  /**
   * The service's clock (virtual when time is skipped): while a step body keeps the invocation
   * alive, the engine sleeps on it until a wait's end or a retry's time, then asks the service.
   * Without it, real time.
   */
  clock?: ServiceClock;
  /**
   * Replay-only runs (history replay tests): called with each operation the handler reaches, before
   * the engine checks it, and the checkpoint held at its position (undefined: none). Returning false
   * ends the invocation there (PENDING): nothing of that operation or any later one runs.
   */
  onReplayOperation?: (reached: ReplayedOperation, recorded: Omit<Operation, "StartTimestamp"> | undefined) => boolean;
  /**
   * Called once when the invocation ends FAILED because its replay diverged from the checkpoints (a
   * NonDeterministicExecutionError): the explicit mark an orchestrator's non-determinism policy acts
   * on. The invocation's output is FAILED either way, as on AWS Lambda.
   */
  onReplayMismatch?: (mismatch: ReplayMismatch) => void;
}

/** A replay that diverged from the checkpoints, as the engine reports it to the orchestrator. */
export interface ReplayMismatch {
  /** The id (position) of the operation whose replay diverged (`3`, or `2-1` inside context `2`). */
  operationId: string;
  /** The NonDeterministicExecutionError's message: what the checkpoint holds and what the handler called. */
  message: string;
}

/** An operation as the handler calls it: its position (id), type, sub-type and name. */
export interface ReplayedOperation {
  /** Its id: the position in the handler (`3`, or `2-1` inside context `2`). */
  id: string;
  /** The operation's type. */
  type: Operation["Type"];
  /** Its sub-type (`Step`, `Map`, a custom one, ...). */
  subType: string;
  /** The name the handler gave it. */
  name: string | undefined;
}

const ENVIRONMENT = Symbol.for("cairn.invocationEnvironment");

/**
 * Returns a copy of `input` carrying `environment` (under a symbol, so the wire payload is unchanged),
 * for an orchestrator that calls a handler in-process.
 *
 * @example
 * ```ts
 * const withEnvironment = attachInvocationEnvironment(input, { backend: service, logSink: (r) => lines.push(r) });
 * const output = await handler(withEnvironment, lambdaContext);
 * ```
 */
export function attachInvocationEnvironment(
  input: DurableExecutionInvocationInput,
  environment: InvocationEnvironment,
): DurableExecutionInvocationInput {
  const copy = { ...input };
  Object.defineProperty(copy, ENVIRONMENT, { value: environment, enumerable: false });
  return copy;
}

/** The environment attached to `input`, if an in-process orchestrator attached one. */
export function invocationEnvironmentOf(input: DurableExecutionInvocationInput): InvocationEnvironment | undefined {
  return (input as unknown as Record<symbol, InvocationEnvironment | undefined>)[ENVIRONMENT];
}
