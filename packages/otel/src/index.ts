/**
 * OpenTelemetry tracing for Cairn durable executions: {@link createOtelPlugin} makes an
 * instrumentation plugin that emits one span per invocation, per durable operation and per step
 * attempt, in one trace per execution; {@link DurableSpanIdGenerator} lets spans emitted by
 * different invocations nest. The guide is docs/opentelemetry.md.
 *
 * @packageDocumentation
 */
export { createOtelPlugin } from "./otel-plugin.js";
export type { OtelPluginOptions } from "./options.js";
export { DurableSpanIdGenerator } from "./span-id-generator.js";
export * from "./attributes.js";
