import type { DurableContext } from "./context.js";
import type { DurableLogger } from "./logger.js";
import type { Serdes } from "./serdes.js";

/** Options of {@link DurableContext.runInChildContext}. */
export interface ChildConfig<T> {
  /** How the context's result is checkpointed (default: the context's default serdes). */
  serdes?: Serdes<T>;
  /** Sub-type recorded on the context operation (default RunInChildContext). */
  subType?: string;
}

/**
 * The function run in a child context; it calls operations on the context it receives.
 * `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is
 * not narrowed by it.
 */
export type ChildFunc<T, _Logger extends DurableLogger = DurableLogger> = (context: DurableContext) => Promise<T>;
