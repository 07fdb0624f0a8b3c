// @cairn/otel from its tarball in an ESM project: the README's provider setup (NodeTracerProvider
// with the durable id generator), an in-memory exporter, and a handler run by the local runner.
import { withDurableExecution } from "@cairn/sdk";
import { createOtelPlugin, DurableSpanIdGenerator } from "@cairn/otel";
import { LocalDurableTestRunner } from "@cairn/testing";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  idGenerator: new DurableSpanIdGenerator(),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
provider.register();

const handler = withDurableExecution(
  async (event: { sku: string }, ctx) => {
    const reserved = await ctx.step("reserve", async () => `${event.sku}:reserved`);
    await ctx.wait("settle", { minutes: 5 });
    return ctx.step("confirm", async () => `${reserved}:confirmed`);
  },
  { plugins: [createOtelPlugin({ forceFlush: () => provider.forceFlush() })] },
);

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
  await provider.shutdown();
});

describe("@cairn/otel from the installed tarball", () => {
  it("traces every invocation and operation once, in one trace, operations under their invocation", async () => {
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, printLogs: false }).run({ payload: { sku: "A-1" } });
    expect(result.getResult()).toBe("A-1:reserved:confirmed");

    const spans = exporter.getFinishedSpans();
    const names = spans.map((span) => span.name);
    expect(names.filter((name) => name === "invocation")).toHaveLength(2);
    for (const name of ["step reserve", "wait settle", "step confirm"]) expect(names.filter((n) => n === name), name).toHaveLength(1);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);

    const invocationIds = new Set(spans.filter((span) => span.name === "invocation").map((span) => span.spanContext().spanId));
    for (const name of ["step reserve", "wait settle", "step confirm"]) {
      const span = spans.find((candidate) => candidate.name === name)!;
      expect(invocationIds.has(span.parentSpanContext?.spanId ?? ""), `${name} is under an invocation`).toBe(true);
    }
  });
});
