// nesting: NestingType.FLAT on map and parallel, tested as an AWS user would: same results and
// completion as NESTED, no CONTEXT operation per item, replay and crash/resume intact.
import { NestingType, ValidationError, withDurableExecution, type BatchResult, type DurableContext, type HistoryEvent } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, type FaultPlan } from "./index.js";

type Nesting = NestingType | undefined;

/** Items that each run a step, wait (so every item suspends and replays) and run another step. */
function orderHandler(nesting: Nesting, bodies: Map<string, number>) {
  const count = (key: string) => bodies.set(key, (bodies.get(key) ?? 0) + 1);
  return withDurableExecution(async (event: { orders: number[] }, ctx: DurableContext) => {
    const mapped = await ctx.map(
      "orders",
      event.orders,
      async (item, order) => {
        const priced = await item.step("price", async () => {
          count(`price-${order}`);
          return order * 10;
        });
        await item.wait({ seconds: order });
        if (order === 3) throw new Error(`order ${order} rejected`);
        return item.step("ship", async () => {
          count(`ship-${order}`);
          return `shipped ${priced}`;
        });
      },
      { nesting, maxConcurrency: 2, completionConfig: { toleratedFailureCount: 1 } },
    );
    const branches = await ctx.parallel(
      "notify",
      [
        { name: "email", func: async (branch) => branch.step("send-email", async () => "email") },
        { name: "sms", func: async (branch) => branch.step("send-sms", async () => "sms") },
      ],
      { nesting },
    );
    return { mapped: summary(mapped), branches: summary(branches) };
  });
}

function summary<T>(result: BatchResult<T>) {
  return {
    all: result.all.map((item) => ({ index: item.index, status: item.status, result: item.result, error: item.error?.message })),
    completionReason: result.completionReason,
    status: result.status,
  };
}

async function runOrders(nesting: Nesting, faults?: FaultPlan) {
  const bodies = new Map<string, number>();
  const runner = new LocalDurableTestRunner({ handlerFunction: orderHandler(nesting, bodies), skipTime: true });
  const result = await runner.run({ payload: { orders: [1, 2, 3, 4] }, ...(faults ? { faults } : {}) });
  return { runner, result, bodies };
}

const contextEvents = (events: HistoryEvent[]) => events.filter((e) => e.EventType.startsWith("Context")).map((e) => `${e.EventType} ${e.SubType}`);

describe("nesting: NestingType.FLAT", () => {
  it("gives the same results and completion as NESTED, with no CONTEXT operation per item or branch", async () => {
    const nested = await runOrders(undefined);
    const flat = await runOrders(NestingType.FLAT);
    for (const { result } of [nested, flat]) expect(result.getStatus()).toBe("SUCCEEDED");
    expect(flat.result.getResult()).toEqual(nested.result.getResult());
    expect(flat.result.getResult()).toMatchObject({
      mapped: { completionReason: "ALL_COMPLETED", status: "FAILED" },
      branches: { all: [{ result: "email" }, { result: "sms" }] },
    });
    expect((flat.result.getResult() as { mapped: { all: unknown[] } }).mapped.all[2]).toMatchObject({ status: "FAILED", error: "order 3 rejected" });

    // Every step body ran once, in both.
    expect([...flat.bodies.values()].every((n) => n === 1)).toBe(true);
    expect(flat.bodies.size).toBe(nested.bodies.size);

    const subTypes = (ops: ReturnType<typeof flat.result.getOperations>) => ops.map((op) => op.getSubType());
    expect(subTypes(nested.result.getOperations())).toContain("MapIteration");
    expect(subTypes(flat.result.getOperations())).not.toContain("MapIteration");
    expect(subTypes(flat.result.getOperations())).not.toContain("ParallelBranch");
    expect(flat.result.getOperations().length).toBe(nested.result.getOperations().length - 6);
    expect(contextEvents(flat.result.getHistoryEvents())).toEqual(["ContextStarted Map", "ContextSucceeded Map", "ContextStarted Parallel", "ContextSucceeded Parallel"]);

    // The item's operations keep positional ids under the item's position, with the map as parent.
    const map = flat.runner.getOperation("orders");
    const children = map.getChildOperations() ?? [];
    expect(children.map((op) => op.getId()).filter((id) => id?.startsWith("1-1-"))).toEqual(["1-1-1", "1-1-2", "1-1-3"]);
    for (const child of children) expect(child.getParentId()).toBe(map.getId());
    expect(flat.runner.getOperation("send-sms").getParentId()).toBe(flat.runner.getOperation("notify").getId());
    expect(flat.runner.getOperation("send-sms").getId()).toBe("2-2-1");
  });

  it("replays items from their operations' checkpoints: the same invocations and results as NESTED", async () => {
    const nested = await runOrders(undefined);
    const flat = await runOrders(NestingType.FLAT);
    expect(flat.result.getInvocations().length).toBe(nested.result.getInvocations().length);
    expect(flat.result.getInvocations().length).toBeGreaterThan(2);
  });

  it("survives a crash at every checkpoint: same result, no step body re-run whose result was stored", async () => {
    const clean = await runOrders(NestingType.FLAT);
    const expected = clean.result.getResult();
    const calls = clean.result.getInvocations().length;
    expect(calls).toBeGreaterThan(1);
    let checkpoints = 0;
    const counting = new LocalDurableTestRunner({ handlerFunction: orderHandler(NestingType.FLAT, new Map()), skipTime: true });
    await counting.run({
      payload: { orders: [1, 2, 3, 4] },
      faults: { crashWhen: (info) => ((checkpoints = Math.max(checkpoints, info.checkpointNumber)), false) },
    });
    expect(checkpoints).toBeGreaterThan(5);
    for (let k = 1; k <= checkpoints; k++) {
      for (const faults of [{ crashAfterCheckpoint: k }, { crashBeforeCheckpoint: k }]) {
        const { result, bodies } = await runOrders(NestingType.FLAT, faults);
        const label = JSON.stringify(faults);
        expect(result.getStatus(), label).toBe("SUCCEEDED");
        expect(result.getResult(), label).toEqual(expected);
        expect(result.getInjectedCrashCount(), label).toBe(1);
        // A crash repeats only at-least-once bodies whose results were not stored yet: at most the
        // two items running at once (maxConcurrency 2).
        expect([...bodies.values()].reduce((a, b) => a + b, 0), label).toBeLessThanOrEqual(clean.bodies.size + 2);
      }
    }
  }, 60_000);

  it("keeps completion semantics: branches still running when minSuccessful is reached end STARTED and write nothing more", async () => {
    let lateBodies = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const result = await ctx.parallel(
        [
          async (branch) => branch.step("fast", async () => "fast"),
          async (branch) => {
            await branch.wait({ seconds: 60 });
            return branch.step("late", async () => ++lateBodies);
          },
        ],
        { nesting: NestingType.FLAT, completionConfig: { minSuccessful: 1 } },
      );
      await ctx.wait({ seconds: 120 });
      return summary(result);
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const result = await runner.run();
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toMatchObject({
      completionReason: "MIN_SUCCESSFUL_REACHED",
      all: [
        { index: 0, status: "SUCCEEDED", result: "fast" },
        { index: 1, status: "STARTED" },
      ],
    });
    expect(lateBodies).toBe(0);
    expect(result.getOperations().map((op) => op.getName())).not.toContain("late");
  });

  it("rejects an unknown nesting and FLAT with itemTimeout before anything is written", async () => {
    for (const config of [{ nesting: "DEEP" as NestingType }, { nesting: NestingType.FLAT, itemTimeout: { seconds: 5 } }]) {
      const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
        try {
          await ctx.map([1], async (item, n) => item.step(async () => n), config);
          return "ran";
        } catch (error) {
          return { type: (error as Error).name, isValidation: error instanceof ValidationError, message: (error as Error).message };
        }
      });
      const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
      expect(result.getResult()).toMatchObject({ type: "ValidationError", isValidation: true, message: expect.stringMatching(/^map: .*nesting/) });
      expect(result.getOperations()).toHaveLength(0);
    }
  });

  it("summaryGenerator: its description is kept with the map's checkpointed summary; the result is unchanged", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => {
      const result = await ctx.map("square", [1, 2, 3], async (item, n) => item.step(async () => n * n), {
        nesting: NestingType.FLAT,
        summaryGenerator: (r) => `${r.successCount} of ${r.totalCount} squared`,
      });
      await ctx.wait({ seconds: 1 }); // the map replays from its checkpoint
      return result.getResults();
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const result = await runner.run();
    expect(result.getResult()).toEqual([1, 4, 9]);
    const stored = JSON.parse(runner.getOperation("square").getOperationData()?.ContextDetails?.Result ?? "{}") as Record<string, unknown>;
    expect(stored).toMatchObject({ summary: "3 of 3 squared", completionReason: "ALL_COMPLETED" });
  });
});
