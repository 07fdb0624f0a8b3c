import type { Attributes } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { DurableSpanIdGenerator } from "../span-id-generator.js";

/** An exported span, flattened for assertions. */
export interface SeenSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  kind: number;
  attributes: Attributes;
  statusCode: number;
  statusMessage: string | undefined;
  events: { name: string; attributes: Attributes | undefined }[];
  startMs: number;
  endMs: number;
}

function ms([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

function flatten(span: ReadableSpan): SeenSpan {
  return {
    name: span.name,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    kind: span.kind,
    attributes: span.attributes,
    statusCode: span.status.code,
    statusMessage: span.status.message,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    startMs: ms(span.startTime),
    endMs: ms(span.endTime),
  };
}

/**
 * A real SDK pipeline writing to memory: a NodeTracerProvider (registered, for its
 * AsyncLocalStorage context manager) with a SimpleSpanProcessor, so a span is in the exporter as
 * soon as it ends. `idGenerator: false` leaves the SDK's random ids, as a setup without
 * DurableSpanIdGenerator has.
 */
export function memoryTracing(options: { idGenerator?: boolean; register?: boolean } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    ...(options.idGenerator === false ? {} : { idGenerator: new DurableSpanIdGenerator() }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  if (options.register !== false) provider.register();
  return {
    provider,
    tracer: provider.getTracer("test"),
    spans: (): SeenSpan[] => exporter.getFinishedSpans().map(flatten),
    reset: () => exporter.reset(),
  };
}

/** The spans of one operation (its own span, not its attempts'), by operation id. */
export function operationSpans(spans: SeenSpan[]): SeenSpan[] {
  return spans.filter((s) => s.attributes["cairn.operation.id"] !== undefined && !s.name.startsWith("attempt "));
}

/** The one span named `name`; fails naming what there is otherwise. */
export function only(spans: SeenSpan[], name: string): SeenSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length} among: ${spans.map((s) => s.name).join(", ")}`);
  return found[0] as SeenSpan;
}
