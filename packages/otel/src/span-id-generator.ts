import type { Span, Tracer } from "@opentelemetry/api";
import { randomId } from "./trace-ids.js";

// An operation's span is emitted when the operation ends — often in a later invocation, in another
// process — but its children (map items, a step's attempts) end earlier and must name it as their
// parent. So an operation's span id is derived from the execution and the operation's id, and the
// tracer is asked for exactly that id when the span is finally created. `@opentelemetry/api` has
// no way to choose a span id; the SDK takes ids from its IdGenerator, so the plugin hands the
// wanted id to this generator just before `startSpan` and takes it back right after.

// A global symbol, so the ES and CommonJS builds of this package (both may load) share the slot.
const REQUESTED = Symbol.for("@cairn/otel.requestedSpanId");
type Slot = { [REQUESTED]?: string | undefined };

/**
 * The id generator that lets the plugin give each operation's span a span id derived from the
 * execution and the operation, so spans emitted in different invocations and processes nest
 * correctly. Pass it to your tracer provider; every other span keeps getting random ids:
 *
 * @example
 * ```ts
 * const provider = new NodeTracerProvider({ idGenerator: new DurableSpanIdGenerator(), spanProcessors: [...] });
 * ```
 *
 * Without it the plugin still emits every span in the execution's one trace, but with operation
 * spans directly under their invocation span (see docs/opentelemetry.md).
 */
export class DurableSpanIdGenerator {
  /** A random 16-byte trace id (the plugin's own spans take theirs from their parent). */
  generateTraceId(): string {
    return randomId(16);
  }

  /** The span id the plugin asked for, if it is creating a span right now; a random one otherwise. */
  generateSpanId(): string {
    const slot = globalThis as Slot;
    const requested = slot[REQUESTED];
    if (requested === undefined) return randomId(8);
    slot[REQUESTED] = undefined;
    return requested;
  }
}

/** Starts a span through `start`, asking a {@link DurableSpanIdGenerator} (if installed) for `spanId`. */
export function startSpanWithId(tracer: Tracer, spanId: string, start: (tracer: Tracer) => Span): Span {
  const slot = globalThis as Slot;
  slot[REQUESTED] = spanId;
  try {
    return start(tracer);
  } finally {
    // A tracer that generated no id (suppressed tracing, no SDK) must not leave it for another span.
    slot[REQUESTED] = undefined;
  }
}
