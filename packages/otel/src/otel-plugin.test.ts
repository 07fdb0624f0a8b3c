import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { withDurableExecution, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner, WaitingOperationStatus } from "@cairn/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { createOtelPlugin, type OtelPluginOptions } from "./index.js";
import { memoryTracing, only, operationSpans, type SeenSpan } from "./test-support/tracing.js";
import { executionRootSpanId, executionTraceId, operationSpanId } from "./trace-ids.js";

const tracing = memoryTracing();
beforeEach(() => tracing.reset());

async function run(body: (event: unknown, ctx: DurableContext) => Promise<unknown>, payload: unknown = {}, options: OtelPluginOptions = {}) {
  const handler = withDurableExecution(body, { plugins: [createOtelPlugin({ tracer: tracing.tracer, ...options })] });
  const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({ payload });
  return { result, spans: tracing.spans(), arn: result.getExecutionArn() };
}

/** Every span but the invocations' has its parent among the exported spans: the tree is whole. */
function expectWholeTree(spans: SeenSpan[]): void {
  const ids = new Set(spans.map((s) => s.spanId));
  const orphans = spans.filter((s) => s.name !== "invocation" && !ids.has(s.parentSpanId ?? ""));
  expect(orphans.map((s) => s.name)).toEqual([]);
}

describe("createOtelPlugin", () => {
  it("emits invocation → operations, map items under the map, branches under the parallel, children under their context", async () => {
    const { result, spans, arn } = await run(async (_e, ctx) => {
      await ctx.step("prepare", async () => 1);
      await ctx.runInChildContext("billing", async (child) => child.step("charge", async () => "c-1"));
      await ctx.map("items", [2, 3], async (item, n) => item.step("square", async () => n * n));
      await ctx.parallel("checks", [{ name: "fraud", func: async (b) => b.step("score", async () => "ok") }]);
      return "done";
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    const invocation = only(spans, "invocation");
    expect(invocation.kind).toBe(SpanKind.SERVER);
    expect(invocation.parentSpanId).toBe(executionRootSpanId(arn));
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([executionTraceId(arn)]));
    expect(invocation.attributes).toMatchObject({ "cairn.execution.arn": arn, "cairn.invocation.first": true, "cairn.invocation.status": "SUCCEEDED" });

    expect(only(spans, "step prepare").parentSpanId).toBe(invocation.spanId);
    const billing = only(spans, "run_in_child_context billing");
    expect(billing.parentSpanId).toBe(invocation.spanId);
    expect(only(spans, "step charge").parentSpanId).toBe(billing.spanId);

    const map = only(spans, "map items");
    const items = spans.filter((s) => s.attributes["cairn.operation.subtype"] === "MapIteration");
    expect(items).toHaveLength(2);
    for (const item of items) expect(item.parentSpanId).toBe(map.spanId);
    const squares = spans.filter((s) => s.name === "step square");
    expect(squares.map((s) => s.parentSpanId).sort()).toEqual(items.map((s) => s.spanId).sort());

    const branch = only(spans, "parallel_branch fraud");
    expect(branch.parentSpanId).toBe(only(spans, "parallel checks").spanId);
    expect(only(spans, "step score").parentSpanId).toBe(branch.spanId);

    // Each step has its one attempt under it.
    for (const step of spans.filter((s) => s.attributes["cairn.operation.type"] === "STEP" && !s.name.startsWith("attempt"))) {
      const attempts = spans.filter((s) => s.name === "attempt 1" && s.parentSpanId === step.spanId);
      expect(attempts, step.name).toHaveLength(1);
      expect(attempts[0]?.attributes).toMatchObject({ "cairn.step.attempt": 1, "cairn.step.attempt.outcome": "SUCCEEDED" });
    }
    expect(only(spans, "step charge").attributes).toMatchObject({
      "cairn.operation.id": expect.any(String),
      "cairn.operation.type": "STEP",
      "cairn.operation.subtype": "Step",
      "cairn.operation.name": "charge",
      "cairn.operation.status": "SUCCEEDED",
      "cairn.operation.parent_id": billing.attributes["cairn.operation.id"],
      "cairn.step.attempt": 1,
    });
    expectWholeTree(spans);
  });

  it("keeps one trace across invocations; a wait's span covers the wait and a context spanning invocations still holds its children", async () => {
    const { result, spans, arn } = await run(async (_e, ctx) => {
      await ctx.step("before", async () => 1);
      await ctx.wait("pause", { minutes: 5 });
      return ctx.runInChildContext("later", async (child) => {
        await child.wait("inner", { seconds: 30 });
        return child.step("after", async () => 2);
      });
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    const invocations = spans.filter((s) => s.name === "invocation");
    expect(invocations).toHaveLength(3);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([executionTraceId(arn)]));
    for (const inv of invocations) expect(inv.parentSpanId).toBe(executionRootSpanId(arn));
    expect(invocations.map((s) => s.attributes["cairn.invocation.status"])).toEqual(["PENDING", "PENDING", "SUCCEEDED"]);
    expect(invocations.map((s) => s.attributes["cairn.invocation.first"])).toEqual([true, false, false]);
    expect(invocations.map((s) => s.attributes["cairn.replayed_operations"])).toEqual([0, 2, 3]);

    // The wait began in the first invocation and is emitted by the second, with its recorded start.
    const pause = only(spans, "wait pause");
    expect(pause.parentSpanId).toBe(invocations[1]?.spanId);
    expect(pause.endMs - pause.startMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(pause.startMs).toBeLessThanOrEqual(invocations[0]?.endMs ?? 0);

    // The child context started in the second invocation and ended in the third: its wait (ended
    // in the third) and its step nest under the one span the third invocation emits for it.
    const later = only(spans, "run_in_child_context later");
    expect(later.spanId).toBe(operationSpanId(arn, String(later.attributes["cairn.operation.id"])));
    expect(only(spans, "wait inner").parentSpanId).toBe(later.spanId);
    expect(only(spans, "step after").parentSpanId).toBe(later.spanId);
    expectWholeTree(spans);
  });

  it("emits each operation once across replays, however many invocations replay it", async () => {
    const { result, spans } = await run(async (_e, ctx) => {
      const results = await ctx.map("batch", [1, 2, 3], async (item, n) => {
        await item.wait("cool-down", { seconds: n });
        return item.step("work", async () => n);
      });
      await ctx.wait("settle", { seconds: 10 });
      await ctx.step("finish", async () => results.getResults());
      return "ok";
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInvocations().length).toBeGreaterThan(2);
    const perId = new Map<string, number>();
    for (const span of operationSpans(spans)) {
      const id = String(span.attributes["cairn.operation.id"]);
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    const operationIds = result.getOperations().map((op) => op.getId() as string);
    expect([...perId.keys()].sort()).toEqual([...operationIds].sort());
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expectWholeTree(spans);
  });

  it("a step retried twice: three attempts under one step span, failed ones with ERROR, the exception and the retry delay", async () => {
    let calls = 0;
    const { result, spans } = await run(async (_e, ctx) =>
      ctx.step(
        "flaky",
        async () => {
          if (++calls < 3) throw new RangeError(`carrier timeout ${calls}`);
          return "shipped";
        },
        { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: attempt * 10 } }) },
      ),
    );
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInvocations()).toHaveLength(3); // each retry waits for its delay between invocations
    const step = only(spans, "step flaky");
    expect(step.statusCode).toBe(SpanStatusCode.UNSET);
    expect(step.attributes).toMatchObject({ "cairn.step.attempt": 3, "cairn.operation.status": "SUCCEEDED" });
    const attempts = spans.filter((s) => s.name.startsWith("attempt ")).sort((a, b) => a.startMs - b.startMs);
    expect(attempts.map((s) => s.name)).toEqual(["attempt 1", "attempt 2", "attempt 3"]);
    for (const attempt of attempts) expect(attempt.parentSpanId).toBe(step.spanId); // emitted by three invocations
    expect(attempts.map((s) => s.statusCode)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(attempts.map((s) => s.attributes["cairn.step.retry_delay_seconds"])).toEqual([10, 20, undefined]);
    expect(attempts.map((s) => s.attributes["cairn.step.attempt.outcome"])).toEqual(["FAILED", "FAILED", "SUCCEEDED"]);
    expect(attempts[0]?.events).toEqual([
      { name: "exception", attributes: expect.objectContaining({ "exception.type": "RangeError", "exception.message": "carrier timeout 1" }) },
    ]);
    expect(attempts[2]?.events).toEqual([]);
    // The step span covers all three attempts. (Under skipped time the delays pass on the run's
    // virtual clock, not the process's, so the span's length is not the delays' sum here.)
    expect(step.startMs).toBeLessThanOrEqual(attempts[0]?.startMs ?? 0);
    expect(step.endMs).toBeGreaterThanOrEqual(attempts[2]?.endMs ?? Infinity);
  });

  it("a step that fails for good: ERROR on the attempt, the step and the invocation, each with the exception", async () => {
    const { result, spans } = await run(async (_e, ctx) =>
      ctx.step("doomed", async () => {
        throw new Error("card declined");
      }, { retryStrategy: () => ({ shouldRetry: false }) }),
    );
    expect(result.getStatus()).toBe("FAILED");
    const step = only(spans, "step doomed");
    expect(step).toMatchObject({ statusCode: SpanStatusCode.ERROR, attributes: expect.objectContaining({ "cairn.operation.status": "FAILED" }) });
    expect(step.statusMessage).toContain("card declined");
    expect(step.events.map((e) => e.name)).toEqual(["exception"]);
    expect(only(spans, "attempt 1")).toMatchObject({ statusCode: SpanStatusCode.ERROR, parentSpanId: step.spanId });
    const invocation = only(spans, "invocation");
    expect(invocation).toMatchObject({ statusCode: SpanStatusCode.ERROR, attributes: expect.objectContaining({ "cairn.invocation.status": "FAILED" }) });
    expect(invocation.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("joins the trace named by a traceparent in the input, in every invocation", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentId = "00f067aa0ba902b7";
    const { spans } = await run(
      async (_e, ctx) => {
        await ctx.wait("pause", { seconds: 1 });
        return ctx.step("go", async () => 1);
      },
      { traceparent: `00-${traceId}-${parentId}-01` },
    );
    const invocations = spans.filter((s) => s.name === "invocation");
    expect(invocations).toHaveLength(2);
    for (const inv of invocations) expect(inv.parentSpanId).toBe(parentId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
  });

  it("takes the parent from a custom extractor; a malformed traceparent falls back to the ARN's trace", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const custom = await run(async (_e, ctx) => ctx.step("go", async () => 1), { meta: { trace: `00-${traceId}-b7ad6b7169203331-01` } }, {
      parentFromInput: (input) => (input as { meta: { trace: string } }).meta.trace,
    });
    expect(new Set(custom.spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    tracing.reset();
    const malformed = await run(async (_e, ctx) => ctx.step("go", async () => 1), { traceparent: "00-not-a-trace-01" });
    expect(new Set(malformed.spans.map((s) => s.traceId))).toEqual(new Set([executionTraceId(malformed.arn)]));
  });

  it("a waitForCallback: its context holds the callback (covering the wait for the answer) and the submitter step", async () => {
    const handler = withDurableExecution(
      async (_e, ctx: DurableContext) => ctx.waitForCallback("approval", async () => undefined),
      { plugins: [createOtelPlugin({ tracer: tracing.tracer })] },
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const running = runner.run({ payload: {} });
    const approval = runner.getOperation("approval");
    await approval.waitForData(WaitingOperationStatus.SUBMITTED);
    await runner.sleep({ minutes: 10 });
    await approval.sendCallbackSuccess(JSON.stringify("yes"));
    const result = await running;
    expect(result.getStatus()).toBe("SUCCEEDED");
    const spans = tracing.spans();
    const context = only(spans, "wait_for_callback approval");
    const children = spans.filter((s) => s.parentSpanId === context.spanId);
    expect(children.map((s) => s.attributes["cairn.operation.type"]).sort()).toEqual(["CALLBACK", "STEP"]);
    const callback = children.find((s) => s.attributes["cairn.operation.type"] === "CALLBACK") as SeenSpan;
    expect(callback.endMs - callback.startMs).toBeGreaterThanOrEqual(10 * 60_000);
    // (The context's end is this process's clock, the callback's the run's virtual one: not compared.)
    expectWholeTree(spans);
  });

  it("runs step bodies with their attempt span active, so the user's own spans nest under it", async () => {
    const { spans } = await run(async (_e, ctx) =>
      ctx.step("call-api", async () => {
        const own = trace.getTracer("app").startSpan("GET /rates");
        own.end();
        return 1;
      }),
    );
    expect(only(spans, "GET /rates").parentSpanId).toBe(only(spans, "attempt 1").spanId);
  });

  it("without DurableSpanIdGenerator: still one trace, operations directly under their invocation", async () => {
    const plain = memoryTracing({ idGenerator: false, register: false });
    const handler = withDurableExecution(
      async (_e, ctx: DurableContext) => {
        await ctx.wait("pause", { seconds: 1 });
        return ctx.runInChildContext("group", async (child) => child.step("inner", async () => 1));
      },
      { plugins: [createOtelPlugin({ tracer: plain.tracer })] },
    );
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({ payload: {} });
    const spans = plain.spans();
    const invocations = spans.filter((s) => s.name === "invocation");
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([executionTraceId(result.getExecutionArn())]));
    expect(only(spans, "step inner").parentSpanId).toBe(invocations[1]?.spanId);
    expect(only(spans, "run_in_child_context group").parentSpanId).toBe(invocations[1]?.spanId);
    expectWholeTree(spans);
  });

  it("takes its tracer from options.tracerProvider; an extractor that throws leaves the execution in the ARN's trace", async () => {
    const own = memoryTracing({ register: false });
    const handler = withDurableExecution(async (_e, ctx: DurableContext) => ctx.step("go", async () => 1), {
      plugins: [
        createOtelPlugin({
          tracerProvider: own.provider,
          parentFromInput: () => {
            throw new Error("no headers");
          },
        }),
      ],
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({ payload: {} });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(tracing.spans()).toEqual([]);
    expect(own.spans().map((s) => s.name).sort()).toEqual(["attempt 1", "invocation", "step go"]);
    expect(new Set(own.spans().map((s) => s.traceId))).toEqual(new Set([executionTraceId(result.getExecutionArn())]));
  });

  it("rejects bad options when the handler is wrapped, naming the option", () => {
    expect(() => createOtelPlugin({ tracer: {} as never })).toThrow(/options\.tracer must be an OpenTelemetry Tracer/);
    expect(() => createOtelPlugin({ parentFromInput: "traceparent" as never })).toThrow(/options\.parentFromInput must be a function/);
    expect(() => createOtelPlugin("x" as never)).toThrow(/options must be an object/);
  });
});
