import type { DurableContext } from "./context.js";
import type { Serdes } from "./serdes.js";

export interface ChildConfig<T> {
  serdes?: Serdes<T>;
  /** Sub-type recorded on the context operation (default RunInChildContext). */
  subType?: string;
}

export type ChildFunc<T> = (context: DurableContext) => Promise<T>;
