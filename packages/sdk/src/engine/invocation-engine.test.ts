import { describe, expect, it } from "vitest";
import { ChildContextError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import { retryPresets } from "../retry/retry-strategy.js";
import { eventLines, runLocal } from "../test-support/run-local.js";
import type { Duration } from "../types/duration.js";

describe("replay validation", () => {
  it("fails the execution, naming the position, when replay calls a different operation", async () => {
    let invocation = 0;
    const run = await runLocal(async (_e, ctx) => {
      invocation++;
      await ctx.runInChildContext("outer", async (c) => {
        await c.step(invocation === 1 ? "fetch-user" : "fetch-account", async () => 1);
        await c.wait({ seconds: 1 });
      });
      return "should not succeed";
    });
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(run.execution.error?.ErrorMessage).toMatch(/operation 1-1 .*inside context 1.*"fetch-user".*"fetch-account"/);
  });

  it("cannot be caught by the handler", async () => {
    let first = true;
    const run = await runLocal(async (_e, ctx) => {
      const wasFirst = first;
      first = false;
      try {
        if (wasFirst) await ctx.step("a", async () => 1);
        else await ctx.wait({ seconds: 5 });
      } catch {
        return "swallowed";
      }
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorMessage).toMatch(/STEP\/Step named "a".*WAIT\/Wait/);
  });
});

describe("wait", () => {
  it.each([
    [{ seconds: 0.5 }, /whole number of seconds/],
    [{ seconds: 0 }, /at least 1 second/],
    [{ seconds: -3 }, /non-negative/],
    [{ minutes: 1, milliseconds: 5 }, /unknown field/],
    [{}, /at least one of/],
    [5, /Duration object/],
  ])("rejects %j before anything is written", async (duration, message) => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.wait("nap", duration as unknown as Duration);
        return "waited";
      } catch (error) {
        return { validation: error instanceof ValidationError, message: (error as Error).message };
      }
    });
    expect(run.result).toEqual({ validation: true, message: expect.stringMatching(message) });
    expect(run.history.some((e) => e.EventType === "WaitStarted")).toBe(false);
  });

  it("converts minutes and hours to seconds", async () => {
    const run = await runLocal(async (_e, ctx) => {
      await ctx.wait({ hours: 1, minutes: 2, seconds: 3 });
    });
    expect(run.history.find((e) => e.EventType === "WaitStarted")?.WaitStartedDetails?.Duration).toBe(3723);
  });
});

describe("suspension", () => {
  it("keeps running a step while another branch waits; the wait ends in that invocation (time skipped)", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const result = await ctx.parallel([
        async (c) => {
          await c.wait({ seconds: 10 });
          return "waited";
        },
        async (c) =>
          c.step("slow", async () => {
            await new Promise((r) => setTimeout(r, 30));
            return "computed";
          }),
      ]);
      return result.getResults();
    });
    expect(run.result).toEqual(["waited", "computed"]);
    const lines = eventLines(run.history);
    expect(lines.indexOf("StepSucceeded 1-2-1 slow")).toBeLessThan(lines.indexOf("InvocationCompleted"));
    // Skipped time jumps to the wait's end while the step runs, as the AWS runner's skipTime does.
    expect(lines.indexOf("WaitSucceeded 1-1-1")).toBeLessThan(lines.indexOf("StepSucceeded 1-2-1 slow"));
    expect(run.invocations).toHaveLength(1);
  });

  it("does not suspend while the handler awaits plain async work with nothing blocked", async () => {
    const run = await runLocal(async (_e, ctx) => {
      await new Promise((r) => setTimeout(r, 20));
      return ctx.step(async () => "after timer");
    });
    expect(run.result).toBe("after timer");
    expect(run.invocations).toHaveLength(1);
  });
});

describe("child contexts", () => {
  it("keeps the error chain through nested child contexts on the first run and on replay", async () => {
    const chains: string[][] = [];
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.runInChildContext("a", (a) =>
          a.runInChildContext("b", (b) =>
            b.step("c", async () => {
              const error = new Error("deep failure") as Error & { errorData: string };
              error.name = "PaymentDeclined";
              error.errorData = "card-7";
              throw error;
            }, { retryStrategy: retryPresets.noRetry }),
          ),
        );
      } catch (error) {
        const chain: string[] = [];
        let current: unknown = error;
        while (current instanceof Error) {
          const e = current as Error & { errorType?: string; errorData?: string };
          chain.push(`${e.errorType ?? e.name}:${e.message}:${e.errorData ?? ""}`);
          current = e.cause;
        }
        chains.push(chain);
        if (!(error instanceof ChildContextError)) throw new Error("expected a ChildContextError");
      }
      await ctx.wait({ seconds: 1 });
      return chains.length;
    });
    expect(run.result).toBe(2);
    expect(chains[0]).toEqual([
      "ChildContextError:deep failure:card-7",
      "ChildContextError:deep failure:card-7",
      "StepError:deep failure:card-7",
      "PaymentDeclined:deep failure:card-7",
    ]);
    expect(chains[1]).toEqual(chains[0]);
  });

  it("rebuilds a result too large to checkpoint by re-running the child against its checkpoints", async () => {
    let stepBodies = 0;
    let childBodies = 0;
    const run = await runLocal(async (_e, ctx) => {
      const big = await ctx.runInChildContext("big", async (c) => {
        childBodies++;
        const seed = await c.step("seed", async () => {
          stepBodies++;
          return "x";
        });
        return seed.repeat(300 * 1024);
      });
      await ctx.wait({ seconds: 1 });
      return big.length;
    });
    expect(run.result).toBe(300 * 1024);
    expect(stepBodies).toBe(1);
    expect(childBodies).toBe(2);
    const done = run.history.find((e) => e.EventType === "ContextSucceeded" && e.Name === "big");
    expect(done?.ContextSucceededDetails?.Result?.Payload).toBeUndefined();
    expect(run.operations.find((o) => o.Name === "big")?.ContextDetails?.ReplayChildren).toBe(true);
  });
});

describe("checkpoint batching", () => {
  it("bounds each checkpoint call in updates and sends a burst in few calls", async () => {
    const run = await runLocal(
      async (_e, ctx) => (await ctx.parallel(Array.from({ length: 100 }, (_, i) => async () => i))).successCount,
      undefined,
      { config: { checkpointBatch: { maxUpdates: 25 } } },
    );
    expect(run.result).toBe(100);
    const sizes = run.checkpointCalls.map((c) => c.Updates?.length ?? 0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(202); // parent START/SUCCEED + 100 x START/SUCCEED
    expect(run.checkpointCalls.length).toBeLessThanOrEqual(12);
  });
});

describe("checkpoint batching by size", () => {
  it("splits a burst of large results so no call carries more than the byte bound", async () => {
    const run = await runLocal(
      async (_e, ctx) => (await ctx.parallel(Array.from({ length: 12 }, (_, i) => async () => String(i).repeat(10_000)))).successCount,
      undefined,
      { config: { checkpointBatch: { maxBytes: 32 * 1024 } } },
    );
    expect(run.result).toBe(12);
    const payloadBytes = run.checkpointCalls.map((c) => (c.Updates ?? []).reduce((n, u) => n + (u.Payload?.length ?? 0), 0));
    expect(Math.max(...payloadBytes)).toBeLessThanOrEqual(32 * 1024);
    const carried = run.checkpointCalls.flatMap((c) => c.Updates ?? []).filter((u) => u.SubType === "ParallelBranch" && u.Action === "SUCCEED");
    expect(carried).toHaveLength(12); // every result went out, in some call
  });
});

describe("invocation input", () => {
  it("refuses a plain event with a message saying how to run the handler", async () => {
    const { withDurableExecution } = await import("../handler/with-durable-execution.js");
    const handler = withDurableExecution(async () => "x");
    await expect(handler({ hello: "world" } as never)).rejects.toThrow(/expects a durable execution invocation/);
  });
});

describe("fencing", () => {
  it("stops a stale invocation at its first checkpoint, without storing anything of it", async () => {
    const { CheckpointService } = await import("../service/checkpoint-service.js");
    const { MemoryExecutionStore } = await import("../service/memory-store.js");
    const { withDurableExecution } = await import("../handler/with-durable-execution.js");
    const { attachInvocationEnvironment } = await import("./invocation-environment.js");
    const { CheckpointFailedError } = await import("../errors/engine-errors.js");
    const service = new CheckpointService({ store: new MemoryExecutionStore() });
    const execution = await service.startExecution({ input: "{}" });
    let bodies = 0;
    const handler = withDurableExecution(async (_e, ctx) => ctx.step("work", async () => ++bodies));

    const stale = await service.beginInvocation(execution.executionArn);
    const current = await service.beginInvocation(execution.executionArn); // takes the execution over
    await expect(handler(attachInvocationEnvironment(stale.input, { backend: service }))).rejects.toBeInstanceOf(CheckpointFailedError);
    expect(await service.getOperations(execution.executionArn)).toHaveLength(1); // only the EXECUTION operation

    const output = await handler(attachInvocationEnvironment(current.input, { backend: service }));
    expect(output).toEqual({ Status: "SUCCEEDED", Result: "2" }); // the stale body ran but its result was never stored
    const steps = (await service.getOperations(execution.executionArn)).filter((o) => o.Type === "STEP");
    expect(steps.map((s) => s.StepDetails?.Result)).toEqual(["2"]);
  });
});

describe("memory", () => {
  it("leaves nothing of a suspended invocation reachable, so a long-lived process does not grow", async () => {
    const { setFlagsFromString } = await import("node:v8");
    const { runInNewContext } = await import("node:vm");
    setFlagsFromString("--expose_gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: WeakRef<object>[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const big = { payload: new Array(10_000).fill("x") };
      refs.push(new WeakRef(big));
      await ctx.parallel([async (c) => c.wait({ seconds: 5 }), async (c) => c.wait({ seconds: 10 })]);
      return big.payload.length; // keeps `big` alive for as long as the frozen handler is reachable
    });
    expect(run.result).toBe(10_000);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual(refs.map(() => true));
  });
});
