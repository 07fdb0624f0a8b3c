export * from "./wire.js";
export * from "./invocation.js";
export * from "./history.js";
export type { CheckpointBackend, DurableExecutionClient } from "./backend.js";
