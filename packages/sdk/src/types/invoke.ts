import type { Serdes } from "./serdes.js";

/** Options of {@link DurableContext.invoke}. */
export interface InvokeConfig<I, O> {
  /** Encodes the input sent to the invoked function (default: plain JSON, the function's event format). */
  payloadSerdes?: Serdes<I>;
  /** Decodes the invoked function's result (default: plain JSON). */
  resultSerdes?: Serdes<O>;
  /** Tenant the invoked function runs for (tenant-isolated functions); recorded with the invoke. */
  tenantId?: string;
}
