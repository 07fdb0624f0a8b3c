export * from "./duration.js";
export * from "./serdes.js";
export * from "./step.js";
export * from "./logger.js";
export * from "./batch.js";
export * from "./child.js";
export * from "./context.js";
export { DurablePromise } from "./durable-promise.js";
