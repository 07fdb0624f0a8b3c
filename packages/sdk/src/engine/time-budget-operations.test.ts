import { describe, expect, it } from "vitest";
import { VirtualClock } from "../service/clock.js";
import type { ChainedFunctionRegistry } from "../orchestrator/chained-invokes.js";
import { runExecution, type OrchestrationResult } from "../orchestrator/run-execution.js";
import type { Operation } from "../protocol/wire.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableContext, LambdaContextLike } from "../types/context.js";
import { withDurableExecution } from "../handler/with-durable-execution.js";

// The yield margin also holds back a waitForCondition check and an invoke START: neither begins
// once the invocation has less than the margin left. Each test records, for every START the
// handler checkpoints, how much time its invocation had left, so a start under the margin shows.

const INVOCATION_MS = 1000;
const MARGIN_MS = 300;

interface Start {
  invocation: number;
  id: string;
  type: string;
  subType: string | undefined;
  remainingMs: number;
}

interface Run extends OrchestrationResult {
  operations: Operation[];
  result: unknown;
  starts: Start[];
}

async function run(
  body: (clock: VirtualClock) => (event: unknown, ctx: DurableContext) => Promise<unknown>,
  options: { functions?: ChainedFunctionRegistry; yieldMarginMs?: number } = {},
): Promise<Run> {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const handler = withDurableExecution(body(clock), { yieldMarginMs: options.yieldMarginMs ?? MARGIN_MS });
  // The Lambda context of the invocation running now, to read its remaining time at each START.
  let current: LambdaContextLike | undefined;
  const starts: Start[] = [];
  const outcome = await runExecution({
    service,
    clock,
    target: { start: { input: "{}" } },
    functions: options.functions,
    invocationTimeoutMs: INVOCATION_MS,
    handler: (input, context) => {
      current = context;
      return handler(input, context);
    },
    wrapBackend: (backend, invocation) => ({
      getExecutionState: (request) => backend.getExecutionState(request),
      checkpoint: (request) => {
        for (const update of request.Updates ?? []) {
          if (update.Action !== "START") continue;
          starts.push({
            invocation: invocation.invocationNumber,
            id: update.Id,
            type: update.Type,
            subType: update.SubType,
            remainingMs: current?.getRemainingTimeInMillis?.() ?? Number.NaN,
          });
        }
        return backend.checkpoint(request);
      },
    }),
  });
  const arn = outcome.execution.executionArn;
  return {
    ...outcome,
    starts,
    operations: await service.getOperations(arn),
    result: outcome.execution.result === undefined ? undefined : JSON.parse(outcome.execution.result),
  };
}

/** A step that uses up 800 of the invocation's 1000 ms, leaving less than the 300 ms margin. */
async function slowStep(ctx: DurableContext, clock: VirtualClock): Promise<void> {
  await ctx.step("prepare", async () => {
    clock.advance(800);
  });
}

const handlerStarts = (starts: Start[]) => starts.filter((s) => !s.id.startsWith("_cairn-yield-"));

describe("yield before the timeout: waitForCondition and invoke", () => {
  it("does not run a waitForCondition check with less than the margin left; the next invocation runs it", async () => {
    const checks: number[] = [];
    const outcome = await run((clock) => async (_event, ctx) => {
      await slowStep(ctx, clock);
      return ctx.waitForCondition(
        "poll",
        async (count: number) => {
          checks.push(count);
          clock.advance(100);
          return count + 1;
        },
        {
          initialState: 0,
          waitStrategy: (count) => (count >= 3 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
        },
      );
    });
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.result).toBe(3);
    expect(checks).toEqual([0, 1, 2]);
    // The first invocation stopped after the step instead of starting the first check.
    expect(outcome.invocations[0]!.yielded).toBe(true);
    const polls = handlerStarts(outcome.starts).filter((s) => s.subType === "WaitForCondition");
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((s) => s.invocation > 1 && s.remainingMs >= MARGIN_MS)).toBe(true);
    const poll = outcome.operations.find((op) => op.SubType === "WaitForCondition");
    expect([poll?.Status, poll?.StepDetails?.Attempt]).toEqual(["SUCCEEDED", 3]);
  });

  it("does not start an invoke with less than the margin left; the next invocation starts it, once", async () => {
    const calls: number[] = [];
    const functions: ChainedFunctionRegistry = new Map([
      [
        "double",
        {
          durable: false,
          handler: async (n: number) => {
            calls.push(n);
            return n * 2;
          },
        },
      ],
    ]);
    const outcome = await run(
      (clock) => async (_event, ctx) => {
        await slowStep(ctx, clock);
        return ctx.invoke<number, number>("double-it", "double", 21);
      },
      { functions },
    );
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.result).toBe(42);
    expect(calls).toEqual([21]);
    expect(outcome.invocations[0]!.yielded).toBe(true);
    const invokes = handlerStarts(outcome.starts).filter((s) => s.type === "CHAINED_INVOKE");
    expect(invokes.map((s) => s.invocation)).toEqual([2]);
    expect(invokes[0]!.remainingMs).toBeGreaterThanOrEqual(MARGIN_MS);
  });

  it("still fails an invoke with bad input near the timeout, before anything is written for it", async () => {
    const outcome = await run((clock) => async (_event, ctx) => {
      await slowStep(ctx, clock);
      return ctx.invoke("big", "double", "x".repeat(300 * 1024)).catch((error: unknown) => (error as Error).name);
    });
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.result).toBe("RangeError");
    expect(outcome.operations.some((op) => op.Type === "CHAINED_INVOKE")).toBe(false);
  });

  it("with yieldMarginMs: 0 the check and the invoke start in the first invocation", async () => {
    const functions: ChainedFunctionRegistry = new Map([["echo", { durable: false, handler: async (v: unknown) => v }]]);
    const outcome = await run(
      (clock) => async (_event, ctx) => {
        await slowStep(ctx, clock);
        await ctx.waitForCondition("poll", async () => true, { initialState: false, waitStrategy: () => ({ shouldContinue: false }) });
        return ctx.invoke("echo-it", "echo", 1);
      },
      { functions, yieldMarginMs: 0 },
    );
    expect(outcome.result).toBe(1);
    expect(outcome.invocations.map((i) => i.yielded)).toEqual([false, false]);
    expect(handlerStarts(outcome.starts).map((s) => [s.invocation, s.type])).toEqual([
      [1, "STEP"],
      [1, "STEP"],
      [1, "CHAINED_INVOKE"],
    ]);
  });
});
