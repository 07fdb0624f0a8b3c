// @cairn/otel through require() in a CommonJS project (ts-jest), with the trace SDK's in-memory
// exporter: a failed attempt is recorded as an error and the retry shows on the step.
import { withDurableExecution, createRetryStrategy } from "@cairn/sdk";
import { createOtelPlugin, DurableSpanIdGenerator, ATTR_CAIRN_STEP_ATTEMPT } from "@cairn/otel";
import { LocalDurableTestRunner } from "@cairn/testing";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { SpanStatusCode } from "@opentelemetry/api";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ idGenerator: new DurableSpanIdGenerator(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

let calls = 0;
const handler = withDurableExecution(
  async (_event: unknown, ctx) =>
    ctx.step(
      "flaky",
      async () => {
        calls++;
        if (calls === 1) throw new Error("first call fails");
        return "ok";
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) },
    ),
  { plugins: [createOtelPlugin()] },
);

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
  await provider.shutdown();
});

test("a retried step has two attempt spans under it, the first an error", async () => {
  const result = await new LocalDurableTestRunner({ handlerFunction: handler, printLogs: false }).run();
  expect(result.getResult()).toBe("ok");

  const spans = exporter.getFinishedSpans();
  const step = spans.find((span) => span.name === "step flaky");
  expect(step).toBeDefined();
  const attempts = spans
    .filter((span) => span.parentSpanContext?.spanId === step!.spanContext().spanId)
    .sort((a, b) => Number(a.attributes[ATTR_CAIRN_STEP_ATTEMPT]) - Number(b.attributes[ATTR_CAIRN_STEP_ATTEMPT]));
  expect(attempts.map((span) => span.name)).toEqual(["attempt 1", "attempt 2"]);
  expect(attempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
  expect(attempts[0]!.events.map((event) => event.name)).toEqual(["exception"]);
  expect(attempts[1]!.status.code).not.toBe(SpanStatusCode.ERROR);
});
