import type { SpanContext, Tracer, TracerProvider } from "@opentelemetry/api";

/** Options of {@link createOtelPlugin}; every field is optional. */
export interface OtelPluginOptions {
  /** The tracer to create spans with. Default: `tracerProvider`'s, else the global provider's tracer `@cairn/otel`. */
  tracer?: Tracer;
  /** The provider to take the tracer `@cairn/otel` from, when `tracer` is not given. Default: the global one. */
  tracerProvider?: TracerProvider;
  /**
   * Finds the trace an execution belongs to in its input: a W3C `traceparent` value
   * (`00-<trace id>-<span id>-<flags>`) or a span context. Every invocation span of the execution
   * becomes a child of it. Default: the input's top-level `traceparent` string, if any. Returning
   * undefined (or a malformed value) puts the execution in a trace derived from its ARN.
   */
  parentFromInput?: (input: unknown) => string | SpanContext | undefined;
  /**
   * Awaited at the end of every invocation, after its spans ended — e.g. `() => provider.forceFlush()`
   * so a batching processor exports before a Lambda environment freezes. Default: nothing.
   */
  forceFlush?: () => Promise<void>;
}

/** Validated options: what the plugin reads for every invocation. */
export interface ResolvedOptions {
  tracer: () => Tracer;
  parentFromInput: (input: unknown) => string | SpanContext | undefined;
  forceFlush: (() => Promise<void>) | undefined;
}

/** Reads a top-level `traceparent` string from the execution's input. */
export function traceparentField(input: unknown): string | undefined {
  if (input === null || typeof input !== "object") return undefined;
  const value = (input as { traceparent?: unknown }).traceparent;
  return typeof value === "string" ? value : undefined;
}

/** Checks the options once, when the handler is wrapped, naming the field that is wrong. */
export function resolveOptions(options: OtelPluginOptions | undefined, globalTracer: () => Tracer): ResolvedOptions {
  if (options === undefined) return { tracer: globalTracer, parentFromInput: traceparentField, forceFlush: undefined };
  if (options === null || typeof options !== "object") {
    throw new TypeError(`createOtelPlugin(options): options must be an object or omitted, got ${options === null ? "null" : typeof options}.`);
  }
  const { tracer, tracerProvider, parentFromInput, forceFlush } = options;
  if (tracer !== undefined && typeof (tracer as Partial<Tracer>).startSpan !== "function") {
    throw new TypeError("createOtelPlugin(options): options.tracer must be an OpenTelemetry Tracer (with startSpan), e.g. trace.getTracer(\"my-service\").");
  }
  if (tracerProvider !== undefined && typeof (tracerProvider as Partial<TracerProvider>).getTracer !== "function") {
    throw new TypeError("createOtelPlugin(options): options.tracerProvider must be an OpenTelemetry TracerProvider (with getTracer).");
  }
  for (const [field, value] of [["parentFromInput", parentFromInput], ["forceFlush", forceFlush]] as const) {
    if (value !== undefined && typeof value !== "function") {
      throw new TypeError(`createOtelPlugin(options): options.${field} must be a function, got ${typeof value}.`);
    }
  }
  let resolvedTracer = globalTracer;
  if (tracer !== undefined) resolvedTracer = () => tracer;
  else if (tracerProvider !== undefined) {
    const own = tracerProvider.getTracer(TRACER_NAME);
    resolvedTracer = () => own;
  }
  return { tracer: resolvedTracer, parentFromInput: parentFromInput ?? traceparentField, forceFlush };
}

/** The instrumentation scope name of the plugin's spans. */
export const TRACER_NAME = "@cairn/otel";
