import type { CheckpointBackend } from "../protocol/backend.js";
import type { DurableExecutionInvocationInput } from "../protocol/invocation.js";

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
  /** Logged while replaying; emitted only when the logger is not mode-aware. */
  replaying?: boolean;
}

/**
 * What an in-process orchestrator (local runner, CLI, worker) hands to one invocation besides the
 * wire input: the checkpoint backend to use and, optionally, where log lines go. Carried on the
 * input under a symbol, so it never appears in the wire payload.
 */
export interface InvocationEnvironment {
  backend: CheckpointBackend;
  logSink?: (record: DurableLogRecord) => void;
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
