import { trace } from "@opentelemetry/api";
import type { DurableInstrumentationPluginFactory } from "@cairn/sdk";
import { InvocationTracer } from "./invocation-tracer.js";
import { resolveOptions, TRACER_NAME, type OtelPluginOptions } from "./options.js";

/**
 * An instrumentation plugin that traces durable executions with OpenTelemetry: one span per
 * invocation, one per operation (emitted once, when the operation ends, covering its whole time),
 * one per step attempt, all in one trace per execution. Spans go through `@opentelemetry/api`; the
 * application registers the SDK and exporter (see docs/opentelemetry.md).
 *
 * @example
 * ```ts
 * import { createOtelPlugin } from "@cairn/otel";
 * export const handler = withDurableExecution(workflow, { plugins: [createOtelPlugin()] });
 * ```
 *
 * @param options - tracer, traceparent extraction, flushing; see {@link OtelPluginOptions}.
 * @returns a plugin factory for `config.plugins` (it makes one plugin per invocation).
 * @throws TypeError when an option has the wrong type (naming it).
 */
export function createOtelPlugin(options?: OtelPluginOptions): DurableInstrumentationPluginFactory {
  const resolved = resolveOptions(options, () => trace.getTracer(TRACER_NAME));
  return { createPlugin: (info) => new InvocationTracer(resolved, info) };
}
