import type { DurableContext } from "./context.js";
import type { DurableLogger } from "./logger.js";
import type { Serdes } from "./serdes.js";

export interface ChildConfig<T> {
  serdes?: Serdes<T>;
  /** Sub-type recorded on the context operation (default RunInChildContext). */
  subType?: string;
}

/** `_Logger` is accepted so annotations written for the AWS SDK compile; Cairn's context logger is not narrowed by it. */
export type ChildFunc<T, _Logger extends DurableLogger = DurableLogger> = (context: DurableContext) => Promise<T>;
