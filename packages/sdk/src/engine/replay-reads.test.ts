import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { invokeOnce } from "../orchestrator/invocation.js";
import type { Operation } from "../protocol/wire.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { VirtualClock } from "../service/clock.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableExecutionHandler } from "../types/context.js";

// Replay must cost the same per checkpointed operation however many there are. Counted, not
// timed: every property read of every operation the backend hands over is counted while an
// invocation replays all of them. A scan of the operations per replayed operation (a find or
// filter over the state, an index rebuilt per context) makes the reads per operation grow with
// the count; indexing each operation once and looking it up by id keeps them constant.

const SHAPES: Record<string, (n: number) => DurableExecutionHandler> = {
  "sequential steps": (n) => async (_event, ctx) => {
    for (let i = 0; i < n; i++) await ctx.step(async () => i);
    await ctx.wait({ seconds: 3600 });
  },
  "map items, each a step then a wait": (n) => async (_event, ctx) => {
    const items = Array.from({ length: n }, (_, i) => i);
    await ctx.map(items, async (item, value) => {
      await item.step(async () => value);
      await item.wait({ seconds: 3600 });
    });
  },
  "steps in nested child contexts": (n) => async (_event, ctx) => {
    // Three levels, each with a third of the steps; the wait at the bottom keeps every level open,
    // so replay enters all of them.
    const steps = async (context: Parameters<DurableExecutionHandler>[1]): Promise<void> => {
      for (let i = 0; i < n / 3; i++) await context.step(async () => i);
    };
    await ctx.runInChildContext(async (outer) => {
      await steps(outer);
      await outer.runInChildContext(async (middle) => {
        await steps(middle);
        await middle.runInChildContext(async (inner) => {
          await steps(inner);
          await inner.wait({ seconds: 3600 });
        });
      });
    });
  },
};

/** Property reads per checkpointed operation while one invocation replays all `n`. */
async function readsPerOperation(shape: (n: number) => DurableExecutionHandler, n: number): Promise<number> {
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  // One operation in the invocation's input: every other one comes through getExecutionState.
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock, initialPageSize: 1 });
  const handler = withDurableExecution(shape(n));
  const { executionArn } = await service.startExecution({ input: "{}" });
  const first = await invokeOnce({ service, clock, handler, executionArn, invocationNumber: 1, invocationTimeoutMs: 600_000 });
  expect(first.record.outcome).toMatchObject({ kind: "returned", output: { Status: "PENDING" } });

  let reads = 0;
  let operations = 0;
  const counted = (op: Operation): Operation =>
    new Proxy(op, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  const replay = await invokeOnce({
    service,
    clock,
    handler,
    executionArn,
    invocationNumber: 2,
    invocationTimeoutMs: 600_000,
    wrapBackend: (backend) => ({
      checkpoint: (request) => backend.checkpoint(request),
      getExecutionState: async (request) => {
        const page = await backend.getExecutionState(request);
        operations += page.Operations.length;
        return { ...page, Operations: page.Operations.map(counted) };
      },
    }),
  });
  // Nothing was due: the invocation replayed everything and suspended without writing.
  expect(replay.record.outcome).toMatchObject({ kind: "returned", output: { Status: "PENDING" } });
  expect(replay.record.storedCheckpoints).toBe(0);
  expect(operations).toBeGreaterThan(n);
  return reads / operations;
}

describe("replay reads each checkpointed operation a bounded number of times", () => {
  it.each(Object.keys(SHAPES))("%s", async (name) => {
    const shape = SHAPES[name] as (n: number) => DurableExecutionHandler;
    const small = await readsPerOperation(shape, 200);
    const large = await readsPerOperation(shape, 1600);
    // Eight times the operations: the same reads per operation (a per-operation scan would
    // multiply them by about eight), within a margin for the fixed reads of an invocation.
    expect(large).toBeLessThan(small * 1.1 + 0.5);
    expect(small).toBeLessThan(20);
  });
});
