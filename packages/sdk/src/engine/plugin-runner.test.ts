import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { createRetryStrategy } from "../retry/retry-strategy.js";
import { runLocal } from "../test-support/run-local.js";
import type { DurableExecutionHandler } from "../types/context.js";
import type { AttemptEndInfo, AttemptInfo, DurableInstrumentationPlugin, OperationInfo } from "../types/plugin.js";
import { withDurableExecution } from "../handler/with-durable-execution.js";

/** A plugin that records every hook as a compact line. */
function recorder(lines: string[]): DurableInstrumentationPlugin {
  const op = (info: OperationInfo): string => `${info.type} ${info.id}${info.parentId ? ` <${info.parentId}` : ""}`;
  return {
    onInvocationStart: async (i) => void lines.push(`invocation-start first=${i.isFirstInvocation} updated=${Object.keys(i.updatedOperations).join(",")}`),
    onInvocationEnd: async (i) => void lines.push(`invocation-end ${i.status}`),
    onOperationStart: async (i) => void lines.push(`start ${op(i)} replay=${i.isReplay}`),
    onOperationEnd: async (i) => void lines.push(`end ${op(i)} ${i.status}${i.error ? ` (${i.error.message})` : ""}`),
    onOperationAttemptStart: async (i) => void lines.push(`attempt-start ${op(i)} #${i.attempt}`),
    onOperationAttemptEnd: async (i) => void lines.push(`attempt-end ${op(i)} #${i.attempt} ${i.outcome}`),
  };
}

const run = (handler: DurableExecutionHandler, plugins: DurableInstrumentationPlugin[], input?: unknown) =>
  runLocal(handler, input, { config: { plugins } });

describe("plugins", () => {
  it("see invocations, operations and attempts across a retry and a wait, each end exactly once", async () => {
    const lines: string[] = [];
    const result = await run(async (_e, ctx) => {
      await ctx.runInChildContext("child", async (c) => c.step("inner", async () => 1));
      await ctx.step("flaky", async ({ attempt }) => {
        if (attempt === 1) throw new Error("try again");
        return attempt;
      }, { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) });
      await ctx.wait("pause", { seconds: 5 });
      return "ok";
    }, [recorder(lines)]);
    expect(result.result).toBe("ok");
    expect(lines).toEqual([
      "invocation-start first=true updated=",
      "start CONTEXT 1 replay=false",
      "start STEP 1-1 <1 replay=false",
      "attempt-start STEP 1-1 <1 #1",
      "attempt-end STEP 1-1 <1 #1 SUCCEEDED",
      "end STEP 1-1 <1 SUCCEEDED",
      "end CONTEXT 1 SUCCEEDED",
      "start STEP 2 replay=false",
      "attempt-start STEP 2 #1",
      "attempt-end STEP 2 #1 FAILED",
      "invocation-end PENDING",
      // Re-invoked when the retry is due: the finished child context is not reported again.
      "invocation-start first=false updated=",
      "start STEP 2 replay=true",
      "attempt-start STEP 2 #2",
      "attempt-end STEP 2 #2 SUCCEEDED",
      "end STEP 2 SUCCEEDED",
      "start WAIT 3 replay=false",
      "invocation-end PENDING",
      // The wait completed while no invocation ran: reported as updated, and its end fires now.
      "invocation-start first=false updated=3",
      "end WAIT 3 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("awaits async hooks before going on, and never suspends under a running hook", async () => {
    const order: string[] = [];
    let invocation = 0;
    const slow: DurableInstrumentationPlugin = {
      onInvocationStart: () => void invocation++,
      onOperationStart: async (info) => {
        await sleep(20); // real time: the invocation must not decide to suspend meanwhile
        order.push(`hook ${info.id}`);
      },
    };
    const result = await run(async (_e, ctx) => {
      const blocked = ctx.wait({ seconds: 10 }); // something blocked, so suspension is possible
      await ctx.step(async () => void order.push(`body 2 in invocation ${invocation}`));
      await blocked;
      return "ok";
    }, [slow]);
    expect(result.result).toBe("ok");
    // Invocation 1 ran the step after its start hook settled instead of suspending under the hook.
    // (Whether the 10 s wait then ends in invocation 1 or 2 depends on how long the step ran in
    // real time: skipped time may move on while a body runs, as it would on AWS.)
    expect(order.slice(0, 3)).toEqual(["hook 1", "hook 2", "body 2 in invocation 1"]);
  });

  it("ignores plugins that throw or reject, and still calls every other plugin", async () => {
    const lines: string[] = [];
    const boom = (): never => {
      throw new Error("plugin bug");
    };
    const faulty: DurableInstrumentationPlugin = {
      onInvocationStart: boom,
      onInvocationEnd: async () => boom(),
      onOperationStart: boom,
      onOperationEnd: async () => Promise.reject(new Error("async plugin bug")),
      onOperationAttemptStart: boom,
      onOperationAttemptEnd: boom,
      onOperationChange: boom,
      wrapInvocation: () => boom(),
      wrapOperationAttemptFn: async (_info, fn) => {
        await fn();
        throw new Error("wrapper failed after fn");
      },
      enrichLogContext: boom,
    };
    let bodies = 0;
    const result = await run(async (_e, ctx) => {
      ctx.logger.info("still logs");
      return ctx.step("s", async () => {
        bodies++;
        return "value";
      });
    }, [faulty, recorder(lines)]);
    expect(result.execution.status).toBe("SUCCEEDED");
    expect(result.result).toBe("value");
    expect(bodies).toBe(1); // a broken wrapper neither skips nor repeats the body
    expect(result.logs.map((l) => l.message)).toEqual(["still logs"]);
    expect(lines).toEqual([
      "invocation-start first=true updated=",
      "start STEP 1 replay=false",
      "attempt-start STEP 1 #1",
      "attempt-end STEP 1 #1 SUCCEEDED",
      "end STEP 1 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("wrap hooks run around the attempt and the context function, outermost first", async () => {
    const order: string[] = [];
    const wrapper = (name: string): DurableInstrumentationPlugin => ({
      wrapOperationAttemptFn: async (info, fn) => {
        order.push(`${name} attempt ${info.id} in`);
        const value = await fn();
        order.push(`${name} attempt ${info.id} out`);
        return value;
      },
      wrapChildContextFn: (info, fn) => {
        order.push(`${name} context ${info.id} replayingChildren=${info.isReplayingChildren}`);
        return fn();
      },
    });
    const result = await run(async (_e, ctx) =>
      ctx.runInChildContext(async (c) => {
        const v = await c.step(async () => 2);
        await c.wait({ seconds: 1 });
        return v;
      }),
    [wrapper("A"), wrapper("B")]);
    expect(result.result).toBe(2);
    expect(order).toEqual([
      "A context 1 replayingChildren=false",
      "B context 1 replayingChildren=false",
      "A attempt 1-1 in",
      "B attempt 1-1 in",
      "B attempt 1-1 out",
      "A attempt 1-1 out",
      // The replay re-runs the unfinished context over its checkpointed step and wait.
      "A context 1 replayingChildren=true",
      "B context 1 replayingChildren=true",
    ]);
  });

  it("after a crash, the interrupted step starts again as a replay and its end is reported once", async () => {
    const lines: string[] = [];
    let crashed = false;
    const result = await runLocal(
      async (_e, ctx) =>
        ctx.step("work", async ({ attempt }) => {
          await sleep(5); // the START goes out on its own, before the result
          return `attempt ${attempt}`;
        }),
      undefined,
      {
        config: { plugins: [recorder(lines)] },
        wrapBackend: (backend, control) => ({
          getExecutionState: (r) => backend.getExecutionState(r),
          checkpoint: async (request) => {
            const response = await backend.checkpoint(request);
            // The process dies once START is stored, before the body's result is.
            if (!crashed && request.Updates?.some((u) => u.Action === "START")) {
              crashed = true;
              control.crash();
            }
            return response;
          },
        }),
      },
    );
    expect(result.execution.status).toBe("SUCCEEDED");
    expect(result.crashes).toBe(1);
    expect(lines.filter((l) => l.startsWith("start") || l.startsWith("end"))).toEqual([
      "start STEP 1 replay=false",
      "start STEP 1 replay=true",
      "end STEP 1 SUCCEEDED",
    ]);
  });

  it("report operation changes with the operation in the full map, and enrich log lines", async () => {
    const changes: string[] = [];
    const plugin: DurableInstrumentationPlugin = {
      onOperationChange: async (info) => {
        for (const op of Object.values(info.updatedOperations)) {
          changes.push(`${op.id} ${op.status} attempt=${op.attempt} inMap=${op.id in info.operations}`);
        }
      },
      enrichLogContext: () => ({ traceId: "t-1" }),
    };
    const result = await run(async (_e, ctx) => {
      ctx.logger.info("hello");
      return ctx.step(async () => "x");
    }, [plugin]);
    expect(changes.at(-1)).toBe("1 SUCCEEDED attempt=1 inMap=true");
    expect(result.logs[0]).toMatchObject({ message: "hello", traceId: "t-1" });
  });

  it("give each attempt its own start time, and every attempt end an end time, a retried one included", async () => {
    const starts: AttemptInfo[] = [];
    const ends: AttemptEndInfo[] = [];
    const inBody: Date[] = [];
    const plugin: DurableInstrumentationPlugin = {
      onOperationAttemptStart: async (info) => void starts.push(info),
      onOperationAttemptEnd: async (info) => void ends.push(info),
    };
    const result = await run(async (_e, ctx) =>
      ctx.step("flaky", async ({ attempt }) => {
        inBody.push(new Date());
        if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
        return attempt;
      }, { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 } }) }),
    [plugin]);
    expect(result.result).toBe(3);
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(ends.map((e) => [e.attempt, e.outcome])).toEqual([[1, "FAILED"], [2, "FAILED"], [3, "SUCCEEDED"]]);
    for (const [i, end] of ends.entries()) {
      expect(end.endTimestamp, `attempt ${end.attempt} end`).toBeInstanceOf(Date);
      const start = starts[i]!;
      // Taken when this attempt began: before its body ran, and after the previous attempt ended.
      expect(start.startTimestamp!.getTime()).toBeLessThanOrEqual(inBody[i]!.getTime());
      if (i > 0) expect(start.startTimestamp!.getTime()).toBeGreaterThanOrEqual(ends[i - 1]!.endTimestamp!.getTime());
    }
  });

  it("rejects a plugins option that is not an array of objects, when the handler is wrapped", () => {
    const handler = async () => "x";
    expect(() => withDurableExecution(handler, { plugins: {} as never })).toThrow(ValidationError);
    expect(() => withDurableExecution(handler, { plugins: [null as never] })).toThrow(/plugins\[0\] must be an object/);
  });
});
