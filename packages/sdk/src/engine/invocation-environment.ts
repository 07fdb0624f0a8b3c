import type { CheckpointBackend } from "../protocol/backend.js";
import type { DurableExecutionInvocationInput } from "../protocol/invocation.js";
import type { ServiceClock } from "./service-waits.js";

/** One structured log line from `ctx.logger` / a step's logger. */
export interface DurableLogRecord {
  level: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** The logged values joined as text (objects as JSON). */
  message: string;
  timestamp: string;
  executionArn: string;
  operationId?: string;
  operationName?: string;
  attempt?: number;
  /** The Lambda request id of the invocation that logged the line. */
  requestId?: string;
  /** The first Error among the logged values, structured. */
  error?: { errorType: string; errorMessage: string; stackTrace?: string[] | undefined };
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
  invokedAs?: { functionName: string; callerExecutionArn: string; operationId: string } | undefined;
  /** Fields added by plugins' `enrichLogContext` (e.g. a trace id). */
  [extra: string]: unknown;
}

/**
 * What an in-process orchestrator (local runner, CLI, worker) hands to one invocation besides the
 * wire input: the checkpoint backend to use and, optionally, where log lines go. Carried on the
 * input under a symbol, so it never appears in the wire payload.
 */
export interface InvocationEnvironment {
  backend: CheckpointBackend;
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
}

const ENVIRONMENT = Symbol.for("cairn.invocationEnvironment");

export function attachInvocationEnvironment(
  input: DurableExecutionInvocationInput,
  environment: InvocationEnvironment,
): DurableExecutionInvocationInput {
  const copy = { ...input };
  Object.defineProperty(copy, ENVIRONMENT, { value: environment, enumerable: false });
  return copy;
}

export function invocationEnvironmentOf(input: DurableExecutionInvocationInput): InvocationEnvironment | undefined {
  return (input as unknown as Record<symbol, InvocationEnvironment | undefined>)[ENVIRONMENT];
}
