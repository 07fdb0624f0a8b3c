import { TraceFlags } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { DurableSpanIdGenerator, startSpanWithId } from "./span-id-generator.js";
import { executionRootSpanId, executionTraceId, operationSpanId, parseTraceparent } from "./trace-ids.js";
import { memoryTracing } from "./test-support/tracing.js";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/run-1/7c1e";

describe("derived ids", () => {
  it("are the same for the same execution and operation, different otherwise, and well-formed", () => {
    expect(executionTraceId(ARN)).toBe(executionTraceId(ARN));
    expect(executionTraceId(ARN)).toMatch(/^[0-9a-f]{32}$/);
    expect(executionTraceId(ARN)).not.toBe(executionTraceId(`${ARN}x`));
    expect(executionRootSpanId(ARN)).toMatch(/^[0-9a-f]{16}$/);
    expect(operationSpanId(ARN, "2-1")).toBe(operationSpanId(ARN, "2-1"));
    expect(operationSpanId(ARN, "2-1")).not.toBe(operationSpanId(ARN, "2-2"));
    expect(operationSpanId(ARN, "2-1")).not.toBe(operationSpanId(`${ARN}x`, "2-1"));
  });
});

describe("parseTraceparent", () => {
  it("reads a W3C traceparent, keeping only the sampled flag", () => {
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.traceFlags).toBe(TraceFlags.NONE);
  });

  it.each([
    ["garbage", "not-a-traceparent"],
    ["short trace id", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01"],
    ["all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
  ])("rejects %s", (_what, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });
});

describe("DurableSpanIdGenerator", () => {
  it("gives the requested id to the span being started, and random ids to every other span", () => {
    const { tracer } = memoryTracing({ register: false });
    const wanted = operationSpanId(ARN, "1");
    const span = startSpanWithId(tracer, wanted, (t) => t.startSpan("op"));
    const other = tracer.startSpan("other");
    expect(span.spanContext().spanId).toBe(wanted);
    expect(other.spanContext().spanId).not.toBe(wanted);
    const generator = new DurableSpanIdGenerator();
    expect(new Set([generator.generateSpanId(), generator.generateSpanId()]).size).toBe(2);
    expect(generator.generateTraceId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it("does not leak a requested id to a later span when the tracer generated none", () => {
    const noop = { startSpan: () => ({}) } as never;
    startSpanWithId(noop, "aaaaaaaaaaaaaaaa", () => ({}) as never);
    expect(new DurableSpanIdGenerator().generateSpanId()).not.toBe("aaaaaaaaaaaaaaaa");
  });
});
