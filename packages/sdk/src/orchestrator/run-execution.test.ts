import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import { VirtualClock } from "../service/clock.js";
import { invokeOnce, type DurableInvocationHandler } from "./invocation.js";
import { InvocationLimitError, NoProgressError } from "./orchestrator-errors.js";
import { runExecution } from "./run-execution.js";

function setup() {
  const clock = new VirtualClock(new Date("2030-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  return { clock, service };
}

describe("runExecution", () => {
  it("runs a handler with a wait to completion, skipping the wait on a virtual clock", async () => {
    const { clock, service } = setup();
    const handler = withDurableExecution(async (event: { n: number }, ctx) => {
      const a = await ctx.step("double", async () => event.n * 2);
      await ctx.wait("nap", { hours: 1 });
      return { a };
    });
    const result = await runExecution({ service, clock, handler, target: { start: { input: '{"n":21}' } } });
    expect(result.state).toBe("completed");
    expect(result.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(result.execution.result ?? "null")).toEqual({ a: 42 });
    expect(result.invocations.map((r) => r.outcome.kind === "returned" && r.outcome.output.Status)).toEqual([
      InvocationStatus.PENDING,
      InvocationStatus.SUCCEEDED,
    ]);
    expect(clock.now().getTime() - new Date("2030-01-01T00:00:00Z").getTime()).toBeGreaterThanOrEqual(3600_000);
  });

  it("stops and reports waiting when the execution suspends with no timer", async () => {
    const { clock, service } = setup();
    // Speaks the protocol directly: suspends forever without writing anything.
    const handler: DurableInvocationHandler = async () => ({ Status: InvocationStatus.PENDING });
    const result = await runExecution({ service, clock, handler, target: { start: {} } });
    expect(result.state).toBe("waiting");
    expect(result.execution.status).toBe("RUNNING");
    expect(result.invocations).toHaveLength(1);
  });

  it("asks onWaiting and invokes again when it says something changed", async () => {
    const { clock, service } = setup();
    let calls = 0;
    const handler: DurableInvocationHandler = async () =>
      ++calls < 3 ? { Status: InvocationStatus.PENDING } : { Status: InvocationStatus.SUCCEEDED, Result: "1" };
    const result = await runExecution({
      service,
      clock,
      handler,
      target: { start: {} },
      onWaiting: async () => true,
    });
    expect(result.state).toBe("completed");
    expect(result.invocations).toHaveLength(3);
  });

  it("records a rejected invocation as crashed and re-invokes", async () => {
    const { clock, service } = setup();
    let calls = 0;
    const inner = withDurableExecution(async (_event, ctx) => ctx.step("s", async () => "done"));
    const handler: DurableInvocationHandler = async (input, context) => {
      if (++calls === 1) throw new TypeError("boom");
      return inner(input, context);
    };
    const result = await runExecution({ service, clock, handler, target: { start: {} } });
    expect(result.execution.status).toBe("SUCCEEDED");
    expect(result.crashes).toBe(1);
    const first = result.invocations[0]?.outcome;
    expect(first).toMatchObject({ kind: "crashed", error: { ErrorType: "TypeError", ErrorMessage: "boom" } });
    const history = await service.getHistory(result.execution.executionArn);
    const completed = history.filter((e) => e.EventType === "InvocationCompleted");
    expect(completed).toHaveLength(2);
    expect(completed[0]?.InvocationCompletedDetails?.Error?.Payload?.ErrorType).toBe("TypeError");
  });

  it("lets a backend wrapper crash an invocation: its calls never settle and it is re-invoked", async () => {
    const { clock, service } = setup();
    let bodyRuns = 0;
    let crashed = false;
    const handler = withDurableExecution(async (_event, ctx) => {
      const v = await ctx.step("work", async () => ++bodyRuns);
      return v;
    });
    const result = await runExecution({
      service,
      clock,
      handler,
      target: { start: {} },
      wrapBackend: (backend, invocation) => ({
        getExecutionState: (r) => backend.getExecutionState(r),
        checkpoint: async (r) => {
          const hasSucceed = r.Updates?.some((u) => u.Action === "SUCCEED" && u.Name === "work");
          if (!crashed && hasSucceed) {
            crashed = true;
            invocation.crash();
            return new Promise(() => undefined);
          }
          return backend.checkpoint(r);
        },
      }),
    });
    expect(result.execution.status).toBe("SUCCEEDED");
    expect(result.crashes).toBe(1);
    expect(result.invocations[0]?.outcome).toMatchObject({ kind: "crashed", error: { ErrorType: "Runtime.ExitError" } });
    // The default step is at-least-once: its result was never stored, so the body ran again.
    expect(bodyRuns).toBe(2);
    expect(result.execution.result).toBe("2");
  });

  it("fails with NoProgressError when invocations keep crashing without storing anything", async () => {
    const { clock, service } = setup();
    const handler: DurableInvocationHandler = async () => {
      throw new Error("always");
    };
    await expect(
      runExecution({ service, clock, handler, target: { start: {} }, maxInvocationsWithoutProgress: 3 }),
    ).rejects.toBeInstanceOf(NoProgressError);
  });

  it("fails with InvocationLimitError past maxInvocations", async () => {
    const { clock, service } = setup();
    const handler = withDurableExecution(async (_event, ctx) => {
      for (let i = 0; i < 5; i++) await ctx.wait({ seconds: 1 });
      return "done";
    });
    const error = await runExecution({ service, clock, handler, target: { start: {} }, maxInvocations: 3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvocationLimitError);
    expect((error as InvocationLimitError).message).toMatch(/invoked 3 times/);
  });

  it.each([
    ["NaN", { invocationTimeoutMs: Number.NaN }, /runExecution: invocationTimeoutMs must be a positive number of milliseconds, got NaN/],
    ["a number as text", { invocationTimeoutMs: "60000" }, /invocationTimeoutMs must be a positive number of milliseconds, got "60000"/],
    ["zero", { invocationTimeoutMs: 0 }, /invocationTimeoutMs/],
    ["an unknown policy", { onNondeterminism: "BLOCK" }, /runExecution: onNondeterminism must be "block" or "fail", got "BLOCK"/],
  ])("refuses %s before starting anything", async (_what, settings, message) => {
    const { clock, service } = setup();
    const handler = withDurableExecution(async () => "never run");
    await expect(runExecution({ service, clock, handler, target: { start: {} }, ...(settings as object) })).rejects.toThrow(message);
    expect(await service.listExecutions()).toEqual([]);
  });

  it("refuses the same settings in invokeOnce, before the invocation begins", async () => {
    const { clock, service } = setup();
    const { executionArn } = await service.startExecution({});
    const handler = withDurableExecution(async () => "never run");
    const once = (settings: object) => invokeOnce({ service, clock, handler, executionArn, invocationNumber: 1, invocationTimeoutMs: 1000, ...settings });
    await expect(once({ invocationTimeoutMs: Number.NaN })).rejects.toThrow(/invokeOnce: invocationTimeoutMs/);
    await expect(once({ onNondeterminism: "retry" })).rejects.toThrow(/invokeOnce: onNondeterminism/);
    expect((await service.getExecution(executionArn)).invocationCount).toBe(0);
  });

  it("resumes an existing execution by arn", async () => {
    const { clock, service } = setup();
    const handler = withDurableExecution(async (_event, ctx) => {
      await ctx.wait({ seconds: 30 });
      return "resumed";
    });
    const controller = new AbortController();
    const first = await runExecution({
      service,
      clock,
      handler,
      target: { start: {} },
      // Stop as soon as the first invocation suspended, as if the process had been stopped.
      onInvocation: () => controller.abort(),
      signal: controller.signal,
    });
    expect(first.state).toBe("aborted");
    expect(first.execution.status).toBe("RUNNING");
    const second = await runExecution({
      service,
      clock,
      handler,
      target: { executionArn: first.execution.executionArn },
    });
    expect(second.state).toBe("completed");
    expect(second.execution.result).toBe('"resumed"');
  });
});
