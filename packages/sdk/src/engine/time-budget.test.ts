import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { VirtualClock } from "../service/clock.js";
import { runExecution, type OrchestrationResult } from "../orchestrator/run-execution.js";
import type { Operation } from "../protocol/wire.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableContext, DurableExecutionHandler } from "../types/context.js";
import { attachInvocationEnvironment, invocationEnvironmentOf } from "./invocation-environment.js";
import { YIELD_MARKER_PREFIX } from "./time-budget.js";
import { withDurableExecution, type DurableExecutionConfig, type DurableLambdaHandler } from "../handler/with-durable-execution.js";

interface Run extends OrchestrationResult {
  operations: Operation[];
  result: unknown;
}

/** Runs on the memory service; step bodies "take" time by advancing the run's virtual clock. */
async function run(
  build: (clock: VirtualClock) => DurableExecutionHandler,
  options: { config?: DurableExecutionConfig; invocationTimeoutMs?: number; wrap?: (h: DurableLambdaHandler) => DurableLambdaHandler } = {},
): Promise<Run> {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const handler = withDurableExecution(build(clock), options.config);
  const outcome = await runExecution({
    service,
    clock,
    handler: options.wrap ? options.wrap(handler) : handler,
    target: { start: { input: "{}" } },
    invocationTimeoutMs: options.invocationTimeoutMs,
  });
  const arn = outcome.execution.executionArn;
  return {
    ...outcome,
    operations: await service.getOperations(arn),
    result: outcome.execution.result === undefined ? undefined : JSON.parse(outcome.execution.result),
  };
}

/** Ten steps of 300 ms each, counting how often each body runs. */
function tenSlowSteps(runs: Map<string, number>) {
  return (clock: VirtualClock) => async (_event: unknown, ctx: DurableContext) => {
    let total = 0;
    for (let i = 0; i < 10; i++) {
      total += await ctx.step(`s${i}`, async () => {
        runs.set(`s${i}`, (runs.get(`s${i}`) ?? 0) + 1);
        clock.advance(300);
        return i;
      });
    }
    return total;
  };
}

const shape = (ops: Operation[]) =>
  ops.filter((op) => op.Type !== "EXECUTION").map((op) => [op.Id, op.ParentId, op.Type, op.SubType, op.Name, op.Status].join("|"));

describe("yield before the timeout", () => {
  it("splits a sequence of steps over several invocations, each body running once, with the same history as an unconstrained run", async () => {
    const runs = new Map<string, number>();
    const constrained = await run(tenSlowSteps(runs), { invocationTimeoutMs: 1000, config: { yieldMarginMs: 200 } });
    expect(constrained.execution.status).toBe("SUCCEEDED");
    expect(constrained.result).toBe(45);
    // 1000 ms per invocation, 300 per step, stop under 200 left: three steps per invocation.
    expect(constrained.invocations).toHaveLength(4);
    expect(constrained.invocations.map((i) => i.yielded)).toEqual([true, true, true, false]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(10);

    const free = await run(tenSlowSteps(new Map()));
    expect(free.invocations).toHaveLength(1);
    expect(shape(constrained.operations)).toEqual(shape(free.operations));
  });

  it("stops starting map items near the timeout and resumes them in the next invocation", async () => {
    const started: number[] = [];
    const build = (clock: VirtualClock) => async (_event: unknown, ctx: DurableContext) => {
      const result = await ctx.map(
        "items",
        Array.from({ length: 20 }, (_, i) => i),
        (c, item) =>
          c.step("work", async () => {
            started.push(item);
            clock.advance(100);
            return item * 2;
          }),
        { maxConcurrency: 2 },
      );
      return result.getResults();
    };
    const outcome = await run(build, { invocationTimeoutMs: 600, config: { yieldMarginMs: 150 } });
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.result).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(outcome.invocations.length).toBeGreaterThan(3);
    expect([...started].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // No item left behind as STARTED-but-abandoned: every item context completed.
    const items = outcome.operations.filter((op) => op.SubType === "MapIteration");
    expect(items.map((op) => op.Status)).toEqual(new Array(20).fill("SUCCEEDED"));
  });

  it("without an in-process orchestrator, checkpoints a one-second marker wait that replay ignores", async () => {
    const runs = new Map<string, number>();
    // What the handler sees on AWS Lambda: a backend, but nobody to call onYield.
    const lambdaLike = (handler: DurableLambdaHandler): DurableLambdaHandler => (input, context) => {
      const environment = invocationEnvironmentOf(input);
      return handler(attachInvocationEnvironment({ ...input }, { backend: environment!.backend }), context);
    };
    const outcome = await run(tenSlowSteps(runs), { invocationTimeoutMs: 1000, config: { yieldMarginMs: 200 }, wrap: lambdaLike });
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.result).toBe(45);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const markers = outcome.operations.filter((op) => op.Id.startsWith(YIELD_MARKER_PREFIX));
    expect(markers.map((op) => [op.Id, op.Type, op.ParentId, op.Status])).toEqual([
      [`${YIELD_MARKER_PREFIX}1`, "WAIT", undefined, "SUCCEEDED"],
      [`${YIELD_MARKER_PREFIX}2`, "WAIT", undefined, "SUCCEEDED"],
      [`${YIELD_MARKER_PREFIX}3`, "WAIT", undefined, "SUCCEEDED"],
    ]);
    // The handler's own operations are exactly those of a run that never yielded.
    const free = await run(tenSlowSteps(new Map()));
    expect(shape(outcome.operations.filter((op) => !op.Id.startsWith(YIELD_MARKER_PREFIX)))).toEqual(shape(free.operations));
  });

  it("caps the margin at a quarter of the invocation's time, so a short timeout still makes progress", async () => {
    const runs = new Map<string, number>();
    // The default margin (10 s) is far above this 1.2 s timeout; capped at 300 ms.
    const outcome = await run(tenSlowSteps(runs), { invocationTimeoutMs: 1200 });
    expect(outcome.execution.status).toBe("SUCCEEDED");
    expect(outcome.invocations.length).toBeGreaterThan(1);
    expect(outcome.invocations.length).toBeLessThan(10);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it("is off with yieldMarginMs: 0", async () => {
    const outcome = await run(tenSlowSteps(new Map()), { invocationTimeoutMs: 1000, config: { yieldMarginMs: 0 } });
    expect(outcome.invocations).toHaveLength(1);
  });

  it("rejects an invalid margin when the handler is wrapped", () => {
    expect(() => withDurableExecution(async () => 1, { yieldMarginMs: -5 })).toThrow(ValidationError);
    expect(() => withDurableExecution(async () => 1, { yieldMarginMs: Number.NaN })).toThrow(/yieldMarginMs/);
  });

  it.each([
    ["maxUpdates", 0],
    ["maxUpdates", -1],
    ["maxUpdates", Number.NaN],
    ["maxUpdates", 2.5],
    ["maxBytes", 0],
    ["maxBytes", Number.NaN],
    ["maxBytes", Number.POSITIVE_INFINITY],
  ] as const)("rejects checkpointBatch.%s %s when the handler is wrapped", (field, value) => {
    expect(() => withDurableExecution(async () => 1, { checkpointBatch: { [field]: value } })).toThrow(
      new ValidationError(`withDurableExecution: checkpointBatch.${field} must be a positive whole number, got ${String(value)}.`),
    );
  });

  it("quotes a checkpointBatch bound given as a string, so it does not read as a number", () => {
    expect(() => withDurableExecution(async () => 1, { checkpointBatch: { maxUpdates: "25" as unknown as number } })).toThrow(
      new ValidationError('withDurableExecution: checkpointBatch.maxUpdates must be a positive whole number, got "25".'),
    );
  });
});
