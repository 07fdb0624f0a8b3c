// Plugin hooks of callbacks, waitForCallback, waitForCondition and invoke, on the real engine,
// service and orchestrator (skipped time), across suspensions and crashes.
import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { VirtualClock } from "../service/clock.js";
import type { ChainedFunctionRegistry } from "../orchestrator/chained-invokes.js";
import type { BackendWrapper } from "../orchestrator/invocation.js";
import { runExecution } from "../orchestrator/run-execution.js";
import { createWaitStrategy } from "../retry/wait-strategy.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableContext, DurableExecutionHandler } from "../types/context.js";
import type { DurableInstrumentationPlugin, OperationInfo } from "../types/plugin.js";

/** Every hook as one compact line: type/sub-type, id, parent, replay flag, attempt, status. */
function recorder(lines: string[]): DurableInstrumentationPlugin {
  const op = (i: OperationInfo): string => `${i.type}/${i.subType} ${i.id}${i.parentId ? ` <${i.parentId}` : ""}`;
  return {
    onInvocationStart: async (i) => void lines.push(`invocation-start updated=${Object.keys(i.updatedOperations).join(",")}`),
    onInvocationEnd: async (i) => void lines.push(`invocation-end ${i.status}`),
    onOperationStart: async (i) => void lines.push(`start ${op(i)}${i.isReplay ? " replay" : ""} ${i.status}`),
    onOperationEnd: async (i) => void lines.push(`end ${op(i)} ${i.status}${i.error ? ` (${i.error.message})` : ""}`),
    onOperationAttemptStart: async (i) => void lines.push(`attempt-start ${op(i)} #${i.attempt}`),
    onOperationAttemptEnd: async (i) =>
      void lines.push(`attempt-end ${op(i)} #${i.attempt} ${i.outcome}${i.error ? ` (${i.error.message})` : ""}`),
  };
}

/** A plugin whose every hook throws or rejects: it must change nothing. */
const broken: DurableInstrumentationPlugin = {
  onOperationStart: () => {
    throw new Error("start hook bug");
  },
  onOperationEnd: async () => Promise.reject(new Error("end hook bug")),
  onOperationAttemptStart: () => {
    throw new Error("attempt hook bug");
  },
  onOperationAttemptEnd: async () => Promise.reject(new Error("attempt end bug")),
  wrapOperationAttemptFn: () => {
    throw new Error("wrapper bug");
  },
  wrapChildContextFn: async (_info, fn) => {
    await fn();
    throw new Error("context wrapper bug");
  },
};

interface Options {
  plugins: DurableInstrumentationPlugin[];
  /** Answers the first STARTED callback whenever the execution waits on something external. */
  answer?: string;
  functions?: ChainedFunctionRegistry;
  wrapBackend?: BackendWrapper;
}

async function run(handler: (event: unknown, ctx: DurableContext) => Promise<unknown>, options: Options) {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const outcome = await runExecution({
    service,
    clock,
    handler: withDurableExecution(handler as DurableExecutionHandler, { plugins: options.plugins }),
    target: { start: {} },
    functions: options.functions,
    wrapBackend: options.wrapBackend,
    onWaiting: async ({ executionArn, until }) => {
      const waiting = (await service.getOperations(executionArn)).find((o) => o.Type === "CALLBACK" && o.Status === "STARTED");
      const callbackId = waiting?.CallbackDetails?.CallbackId;
      if (options.answer === undefined || callbackId === undefined) {
        // The hook owns the waiting: let (virtual) time reach the next timer.
        if (until !== undefined) await clock.sleepUntil(until);
        return false;
      }
      await service.sendCallbackSuccess(callbackId, options.answer);
      return true;
    },
  });
  return { ...outcome, result: outcome.execution.result === undefined ? undefined : JSON.parse(outcome.execution.result) };
}

describe("plugin hooks of the callback, polling and invoke operations", () => {
  it("createCallback: starts when stored, ends in the invocation that finds it answered", async () => {
    const lines: string[] = [];
    const callbackIds: string[] = [];
    const result = await run(
      async (_e, ctx) => {
        const [answer, callbackId] = await ctx.createCallback("approval");
        callbackIds.push(callbackId);
        return answer;
      },
      { plugins: [recorder(lines)], answer: "yes" },
    );
    expect(result.result).toBe("yes");
    expect(lines).toEqual([
      "invocation-start updated=",
      "start CALLBACK/Callback 1 STARTED",
      "invocation-end PENDING",
      "invocation-start updated=1",
      "end CALLBACK/Callback 1 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
    expect(new Set(callbackIds).size).toBe(1); // the replay got the same id back
  });

  it("waitForCallback: the context, its callback and its submitter step, each ended once", async () => {
    const lines: string[] = [];
    let submitted = 0;
    const result = await run(
      async (_e, ctx) =>
        ctx.waitForCallback("approval", async () => {
          submitted++;
        }),
      { plugins: [recorder(lines)], answer: "approved" },
    );
    expect(result.result).toBe("approved");
    expect(submitted).toBe(1);
    expect(lines).toEqual([
      "invocation-start updated=",
      "start CONTEXT/WaitForCallback 1 STARTED",
      "start CALLBACK/Callback 1-1 <1 STARTED",
      "start STEP/Step 1-2 <1 STARTED",
      "attempt-start STEP/Step 1-2 <1 #1",
      "attempt-end STEP/Step 1-2 <1 #1 SUCCEEDED",
      "end STEP/Step 1-2 <1 SUCCEEDED",
      "invocation-end PENDING",
      "invocation-start updated=1-1",
      "start CONTEXT/WaitForCallback 1 replay STARTED",
      "end CALLBACK/Callback 1-1 <1 SUCCEEDED",
      "end CONTEXT/WaitForCallback 1 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("waitForCondition: one attempt per check, across the invocations between checks", async () => {
    const lines: string[] = [];
    const result = await run(
      async (_e, ctx) =>
        ctx.waitForCondition("poll-job", async (state: number) => state + 1, {
          initialState: 0,
          waitStrategy: createWaitStrategy({ shouldContinuePolling: (n: number) => n < 3, initialDelay: { seconds: 5 } }),
        }),
      { plugins: [recorder(lines)] },
    );
    expect(result.result).toBe(3);
    expect(lines).toEqual([
      "invocation-start updated=",
      "start STEP/WaitForCondition 1 STARTED",
      "attempt-start STEP/WaitForCondition 1 #1",
      "attempt-end STEP/WaitForCondition 1 #1 SUCCEEDED",
      "invocation-end PENDING",
      "invocation-start updated=",
      "start STEP/WaitForCondition 1 replay READY",
      "attempt-start STEP/WaitForCondition 1 #2",
      "attempt-end STEP/WaitForCondition 1 #2 SUCCEEDED",
      "invocation-end PENDING",
      "invocation-start updated=",
      "start STEP/WaitForCondition 1 replay READY",
      "attempt-start STEP/WaitForCondition 1 #3",
      "attempt-end STEP/WaitForCondition 1 #3 SUCCEEDED",
      "end STEP/WaitForCondition 1 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("waitForCondition: a throwing check fails its attempt and the operation, with the error", async () => {
    const lines: string[] = [];
    const wrapped: string[] = [];
    const result = await run(
      async (_e, ctx) => {
        try {
          await ctx.waitForCondition("poll", async () => {
            throw new Error("job vanished");
          }, { initialState: null, waitStrategy: () => ({ shouldContinue: false }) });
        } catch (error) {
          return (error as Error).name;
        }
        return "no error";
      },
      {
        plugins: [
          recorder(lines),
          { wrapOperationAttemptFn: (info, fn) => (wrapped.push(`${info.subType} #${info.attempt}`), fn()) },
        ],
      },
    );
    expect(result.result).toBe("WaitForConditionError");
    expect(wrapped).toEqual(["WaitForCondition #1"]);
    expect(lines.slice(1, -1)).toEqual([
      "start STEP/WaitForCondition 1 STARTED",
      "attempt-start STEP/WaitForCondition 1 #1",
      "attempt-end STEP/WaitForCondition 1 #1 FAILED (job vanished)",
      "end STEP/WaitForCondition 1 FAILED (job vanished)",
    ]);
  });

  it("invoke: starts when stored, ends with the target's outcome, success or failure", async () => {
    const lines: string[] = [];
    const functions: ChainedFunctionRegistry = new Map([
      ["double", { durable: false, handler: async (n: number) => n * 2 }],
      ["refuse", { durable: false, handler: async () => Promise.reject(new Error("quota exceeded")) }],
    ]);
    const result = await run(
      async (_e, ctx) => {
        const doubled = await ctx.invoke<number, number>("double-it", "double", 21);
        const refused = await ctx.invoke("refuse-it", "refuse", {}).catch((error: unknown) => (error as Error).message);
        return { doubled, refused };
      },
      { plugins: [recorder(lines)], functions },
    );
    expect(result.result).toEqual({ doubled: 42, refused: "quota exceeded" });
    expect(lines).toEqual([
      "invocation-start updated=",
      "start CHAINED_INVOKE/ChainedInvoke 1 STARTED",
      "invocation-end PENDING",
      "invocation-start updated=1",
      "end CHAINED_INVOKE/ChainedInvoke 1 SUCCEEDED",
      "start CHAINED_INVOKE/ChainedInvoke 2 STARTED",
      "invocation-end PENDING",
      "invocation-start updated=2",
      "end CHAINED_INVOKE/ChainedInvoke 2 FAILED (quota exceeded)",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("after a crash, an unfinished callback and poll start again as replays, each ending once; a broken plugin changes nothing", async () => {
    const lines: string[] = [];
    let crashed = false;
    const result = await run(
      async (_e, ctx) => {
        const [answer] = await ctx.createCallback("approval");
        const polled = await ctx.waitForCondition(async (n: number) => n + 1, {
          initialState: 0,
          waitStrategy: createWaitStrategy({ shouldContinuePolling: (n: number) => n < 2, initialDelay: { seconds: 1 } }),
        });
        return { answer: await answer, polled };
      },
      {
        plugins: [broken, recorder(lines)],
        answer: '"ok"',
        wrapBackend: (backend, control) => ({
          getExecutionState: (request) => backend.getExecutionState(request),
          checkpoint: async (request) => {
            const response = await backend.checkpoint(request);
            if (!crashed && request.Updates?.some((u) => u.SubType === "WaitForCondition" && u.Action === "RETRY")) {
              crashed = true;
              control.crash(); // the process dies once the first check's outcome is stored
            }
            return response;
          },
        }),
      },
    );
    expect(result.crashes).toBe(1);
    expect(result.result).toEqual({ answer: '"ok"', polled: 2 });
    expect(lines).toEqual([
      "invocation-start updated=",
      "start CALLBACK/Callback 1 STARTED",
      "start STEP/WaitForCondition 2 STARTED",
      "attempt-start STEP/WaitForCondition 2 #1",
      // The process died with check 1's outcome stored: its attempt-end was never reported.
      "invocation-start updated=",
      "start CALLBACK/Callback 1 replay STARTED",
      "start STEP/WaitForCondition 2 replay PENDING",
      "invocation-end PENDING",
      "invocation-start updated=1",
      "end CALLBACK/Callback 1 SUCCEEDED",
      "start STEP/WaitForCondition 2 replay PENDING",
      "invocation-end PENDING",
      "invocation-start updated=",
      "start STEP/WaitForCondition 2 replay READY",
      "attempt-start STEP/WaitForCondition 2 #2",
      "attempt-end STEP/WaitForCondition 2 #2 SUCCEEDED",
      "end STEP/WaitForCondition 2 SUCCEEDED",
      "invocation-end SUCCEEDED",
    ]);
  });

  it("a callback answered while the invocation still runs ends in that invocation, reported once", async () => {
    const lines: string[] = [];
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const outcome = await runExecution({
      service,
      clock,
      handler: withDurableExecution(
        async (_e, ctx) => {
          const [answer, callbackId] = await ctx.createCallback("approval");
          // The answer arrives mid-invocation (time has moved on since the invocation began).
          await ctx.step("answer-it", async () => {
            clock.advance(1000);
            await service.sendCallbackSuccess(callbackId, "done");
          });
          return answer;
        },
        { plugins: [recorder(lines)] },
      ),
      target: { start: {} },
    });
    expect(outcome.execution.result).toBe('"done"');
    expect(lines.filter((l) => l.includes("CALLBACK") || l.startsWith("invocation-start"))).toEqual([
      "invocation-start updated=",
      "start CALLBACK/Callback 1 STARTED",
      "end CALLBACK/Callback 1 SUCCEEDED",
    ]);
    expect(outcome.invocations).toHaveLength(1);
  });
  it("a step's failed attempt that is retried reports the retry delay; the last attempt does not", async () => {
    const ends: string[] = [];
    let calls = 0;
    const plugin: DurableInstrumentationPlugin = {
      onOperationAttemptEnd: async (i) => void ends.push(`#${i.attempt} ${i.outcome} delay=${i.retryDelaySeconds ?? "none"}`),
    };
    await run(
      async (_e, ctx) =>
        ctx.step(
          "flaky",
          async () => {
            if (++calls < 3) throw new Error(`failure ${calls}`);
            return "ok";
          },
          { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: attempt * 7 } }) },
        ),
      { plugins: [plugin] },
    );
    expect(ends).toEqual(["#1 FAILED delay=7", "#2 FAILED delay=14", "#3 SUCCEEDED delay=none"]);
  });
});
