import type { FaultPlan } from "@cairn/testing";

/** What a handler module under `handlers/<category>/<id>.ts` exports. */
export interface HandlerModule {
  // The result of withDurableExecution(...); typed loosely so each module keeps its own event type.
  handler: (...args: any[]) => Promise<any>;
  options?: HandlerOptions;
}

export interface HandlerOptions {
  /** Crashes the local runner injects (`run({ faults })`). */
  faults?: FaultPlan;
  /** Durable functions `ctx.invoke` can reach, by function id (`runner.registerDurableFunction`). */
  durableFunctions?: Record<string, (...args: any[]) => Promise<any>>;
  /** Plain functions `ctx.invoke` can reach, by function id (`runner.registerFunction`). */
  functions?: Record<string, (event: any) => unknown>;
}
