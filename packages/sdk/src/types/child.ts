import type { DurableContext } from "./context.js";
import type { DurableLogger } from "./logger.js";
import type { DurableOperationError } from "../errors/durable-errors.js";
import type { Serdes } from "./serdes.js";

/** Options of {@link DurableContext.runInChildContext}. */
export interface ChildConfig<T> {
  /** How the context's result is checkpointed (default: the context's default serdes). */
  serdes?: Serdes<T>;
  /** Sub-type recorded on the context operation (default RunInChildContext). */
  subType?: string;
  /**
   * A description of the result to store when the result itself is too large to checkpoint (over
   * 256 KiB: the context is then rebuilt on replay by re-running it against its children's
   * checkpoints). Only people and tools reading the history see it; replay never reads it.
   */
  summaryGenerator?: (result: T) => string;
  /**
   * The error the context throws when its function failed, made from the function's error as
   * stored (a `DurableOperationError` such as a `StepError`, rebuilt from the checkpoint) instead
   * of the default `ChildContextError` wrapping it. Called on the first run and on every replay.
   */
  errorMapper?: (originalError: DurableOperationError) => DurableOperationError;
  /**
   * Run the function without a CONTEXT operation of its own: nothing is checkpointed for the
   * context, its operations belong to the enclosing context in the history, and on replay the
   * function runs again while they answer from their checkpoints (as a map item with
   * `nesting: FLAT`). Its result is still passed through `serdes`.
   */
  virtualContext?: boolean;
}

/**
 * The function run in a child context; it calls operations on the context it receives.
 * `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is
 * not narrowed by it.
 */
export type ChildFunc<T, _Logger extends DurableLogger = DurableLogger> = (context: DurableContext) => Promise<T>;
