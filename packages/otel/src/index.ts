export { createOtelPlugin } from "./otel-plugin.js";
export type { OtelPluginOptions } from "./options.js";
export { DurableSpanIdGenerator } from "./span-id-generator.js";
export * from "./attributes.js";
