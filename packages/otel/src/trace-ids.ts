import { createHash, randomBytes } from "node:crypto";
import { TraceFlags, type SpanContext } from "@opentelemetry/api";

// Ids every invocation of an execution derives alike, from what each of them receives (the
// execution's ARN, an operation's id), so that invocations in different processes join one trace
// and find their parents without storing anything.

const ZERO = /^0+$/;

function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

/** A hex id of `length` characters; never all zeros, which OpenTelemetry reads as invalid. */
function nonZero(hex: string, length: number): string {
  const id = hex.slice(0, length);
  return ZERO.test(id) ? `${id.slice(0, -1)}1` : id;
}

/** The trace id of an execution that was not given one: the first 16 bytes of sha256 of its ARN. */
export function executionTraceId(executionArn: string): string {
  return nonZero(digest("cairn.trace", executionArn), 32);
}

/** The span id of the execution's root, which no process emits (see docs/opentelemetry.md). */
export function executionRootSpanId(executionArn: string): string {
  return nonZero(digest("cairn.root", executionArn), 16);
}

/** The span id of one operation of one execution; the same in every invocation. */
export function operationSpanId(executionArn: string, operationId: string): string {
  return nonZero(digest("cairn.operation", executionArn, operationId), 16);
}

/** The span id of one invocation (by its request id). */
export function invocationSpanId(executionArn: string, requestId: string): string {
  return nonZero(digest("cairn.invocation", executionArn, requestId), 16);
}

/** A random id of `bytes` bytes, for spans that need no fixed id. */
export function randomId(bytes: number): string {
  return nonZero(randomBytes(bytes).toString("hex"), bytes * 2);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Parses a W3C `traceparent` header value (`00-<trace id>-<parent id>-<flags>`). Returns undefined
 * for anything malformed: the value comes from an execution's input, and a bad one must not fail
 * the execution — its spans then go to the trace derived from the ARN.
 */
export function parseTraceparent(value: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff" || ZERO.test(traceId) || ZERO.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}
