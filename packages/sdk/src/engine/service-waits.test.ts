import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { VirtualClock, systemClock } from "../service/clock.js";
import { runExecution } from "../orchestrator/run-execution.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import { eventLines, runLocal } from "../test-support/run-local.js";
import type { DurableExecutionHandler } from "../types/context.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A step body that runs until `done` settles: the other branch can only finish while it runs if
 * the invocation resumes it. Fails (instead of hanging) if that never happens.
 */
function until(done: Promise<unknown>, what: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish while the step ran`)), 5000);
  });
  return Promise.race([done.then(() => "done"), timeout]).finally(() => clearTimeout(timer));
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

/** Runs on a real clock, as the CLI and workers do. */
async function runInRealTime(handler: DurableExecutionHandler) {
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock: systemClock });
  const run = await runExecution({ service, clock: systemClock, handler: withDurableExecution(handler), target: { start: {} } });
  return { ...run, history: await service.getHistory(run.execution.executionArn) };
}

describe("operations blocked on the service while a step body runs", () => {
  it("finishes five waits in a row during one long step, in one invocation (skipped time)", async () => {
    const seen: number[] = [];
    const waitsDone = signal();
    const run = await runLocal(async (_e, ctx) => {
      let waited = 0; // in-memory state across the waits, as on AWS
      const result = await ctx.parallel([
        async (c) => c.step("long", async () => until(waitsDone.promise, "the waits")),
        async (c) => {
          for (let i = 0; i < 5; i++) {
            // A wait the service ends while the invocation runs gives nothing, as one replayed ended.
            if ((await c.wait({ seconds: 1 })) !== undefined) throw new Error("a wait resolved with a value");
            seen.push(++waited);
          }
          waitsDone.fire();
          return waited;
        },
      ]);
      return result.getResults();
    });
    expect(run.result).toEqual(["done", 5]);
    expect(run.invocations).toHaveLength(1);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const lines = eventLines(run.history);
    expect(lines.filter((l) => l.startsWith("WaitSucceeded"))).toHaveLength(5);
    expect(lines.indexOf("ContextSucceeded 1-2")).toBeLessThan(lines.indexOf("StepSucceeded 1-1-1 long"));
  });

  it("runs a retry that comes due during another branch's step in the same invocation", async () => {
    const attempts: number[] = [];
    const retried = signal();
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel([
        async (c) => c.step("long", async () => until(retried.promise, "the retries")),
        async (c) =>
          c.step(
            "flaky",
            async (s) => {
              attempts.push(s.attempt);
              if (s.attempt < 3) throw new Error("not yet");
              retried.fire();
              return s.attempt;
            },
            { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: 2 } }) },
          ),
      ]);
      return result.getResults();
    });
    expect(run.result).toEqual(["done", 3]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(run.invocations).toHaveLength(1);
    const lines = eventLines(run.history);
    expect(lines.filter((l) => l === "StepFailed 1-2-1 flaky")).toHaveLength(2);
  });

  it("learns of a callback answered while a step runs, without another invocation", async () => {
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const answered = signal();
    const handler: DurableExecutionHandler = async (_e, ctx) => {
      const [answer, callbackId] = await ctx.createCallback("approval");
      const result = await ctx.parallel([
        async () => {
          const value = await answer;
          answered.fire();
          return value;
        },
        async (c) =>
          c.step("work", async () => {
            await service.sendCallbackSuccess(callbackId, "yes");
            // Runs until the other branch has the answer: the engine's poll must bring it.
            await until(answered.promise, "the callback");
            return "worked";
          }),
      ]);
      return result.getResults();
    };
    const run = await runExecution({ service, clock, handler: withDurableExecution(handler), target: { start: {} } });
    expect(run.execution.result).toBe(JSON.stringify(["yes", "worked"]));
    expect(run.invocations).toHaveLength(1);
    const lines = eventLines(await service.getHistory(run.execution.executionArn));
    expect(lines.indexOf("ContextSucceeded 2-1")).toBeLessThan(lines.indexOf("StepSucceeded 2-2-1 work"));
  }, 10_000);

  it("suspends when the step ends before the wait does (real time)", async () => {
    const run = await runInRealTime(async (_e, ctx) => {
      const result = await ctx.parallel([
        async (c) => c.step("short", async () => (await sleep(20), "done")),
        async (c) => (await c.wait({ seconds: 1 }), "waited"),
      ]);
      return result.getResults();
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.invocations).toHaveLength(2);
    const lines = eventLines(run.history);
    expect(lines.indexOf("StepSucceeded 1-1-1 short")).toBeLessThan(lines.indexOf("InvocationCompleted"));
    expect(lines.indexOf("InvocationCompleted")).toBeLessThan(lines.indexOf("WaitSucceeded 1-2-1"));
  }, 10_000);

  it("finishes a wait during a longer step in one invocation (real time)", async () => {
    const waited = signal();
    const run = await runInRealTime(async (_e, ctx) => {
      const result = await ctx.parallel([
        async (c) => c.step("long", async () => until(waited.promise, "the wait")),
        async (c) => (await c.wait({ seconds: 1 }), waited.fire(), "waited"),
      ]);
      return result.getResults();
    });
    expect(run.execution.result).toBe(JSON.stringify(["done", "waited"]));
    expect(run.invocations).toHaveLength(1);
    const lines = eventLines(run.history);
    expect(lines.indexOf("WaitSucceeded 1-2-1")).toBeLessThan(lines.indexOf("StepSucceeded 1-1-1 long"));
  }, 10_000);
});

describe("operations not awaited when the handler returns", () => {
  it("ends the execution with an un-awaited wait left STARTED, as AWS does", async () => {
    const run = await runLocal(async (_e, ctx) => {
      void ctx.wait("dangling", { seconds: 5 });
      await ctx.step("s", async () => 1);
      return "returned";
    });
    expect(run.result).toBe("returned");
    expect(run.invocations).toHaveLength(1);
    expect(run.operations.find((op) => op.Name === "dangling")?.Status).toBe("STARTED");
    expect(eventLines(run.history)).toEqual([
      "ExecutionStarted 0",
      "WaitStarted 1 dangling",
      "StepStarted 2 s",
      "StepSucceeded 2 s",
      "InvocationCompleted",
      "ExecutionSucceeded 0",
    ]);
  });

  it("leaves an un-awaited step STARTED when the handler returns before its body ends", async () => {
    const run = await runLocal(async (_e, ctx) => {
      void ctx.step("background", async () => (await sleep(200), 1));
      return "returned";
    });
    expect(run.result).toBe("returned");
    expect(run.invocations).toHaveLength(1);
    expect(run.operations.find((op) => op.Name === "background")?.Status).toBe("STARTED");
  });
});
