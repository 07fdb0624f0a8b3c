import { describe, expect, it, vi } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import type { GetDurableExecutionStateRequest } from "../protocol/wire.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { VirtualClock } from "../service/clock.js";
import type { ExecutionRecord } from "../service/execution-record.js";
import type { ExecutionStore } from "../service/execution-store.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableContext } from "../types/context.js";
import type { BackendWrapper } from "./invocation.js";
import { runExecution } from "./run-execution.js";

/** Freezes `value` and everything it holds but Dates (which freezing cannot protect). */
function deepFreeze(value: unknown): void {
  if (
    value === null ||
    typeof value !== "object" ||
    value instanceof Date ||
    Object.isFrozen(value)
  )
    return;
  Object.freeze(value);
  for (const key of Object.keys(value))
    deepFreeze((value as Record<string, unknown>)[key]);
}

/**
 * A memory store whose stored operations are frozen before anyone reads them: whoever writes to
 * one (the engine through an uncopied page, or the service editing a stored version in place)
 * throws, since every module runs in strict mode.
 */
function freezingStore(): ExecutionStore {
  const inner = new MemoryExecutionStore();
  const frozen =
    <T>(view: (record: ExecutionRecord) => T) =>
    (record: ExecutionRecord): T => {
      for (const op of record.operations.values()) deepFreeze(op);
      return view(record);
    };
  return {
    create: (id, name, initial) => inner.create(id, name, initial),
    findByName: (name) => inner.findByName(name),
    listIds: () => inner.listIds(),
    read: (id, view) => inner.read(id, frozen(view)),
    update: (id, decide) =>
      inner.update(id, (record) => frozen(decide)(record)),
  };
}

/** Every kind of operation an invocation loads: results, errors, retries, contexts, batches, waits. */
let attempts = 0;
const handler = withDurableExecution(
  async (_event: unknown, ctx: DurableContext) => {
    const flaky = await ctx.step(
      "flaky",
      async () => {
        if (++attempts < 3) throw new Error(`attempt ${attempts}`);
        return { attempts, tags: ["a", "b"] };
      },
      {
        retryStrategy: (_error, attempt) => ({
          shouldRetry: attempt < 5,
          delay: { seconds: 1 },
        }),
      }
    );
    const failed = await ctx
      .step(
        "fails",
        async () => {
          throw new TypeError("no");
        },
        { retryStrategy: () => ({ shouldRetry: false }) }
      )
      .catch((error: unknown) => (error as Error).message);
    const mapped = await ctx.map(
      "items",
      [1, 2, 3, 4],
      async (item, n) => {
        if (n === 3) throw new Error("three");
        await item.wait({ seconds: n });
        return item.step(async () => n * 10);
      },
      { completionConfig: { toleratedFailureCount: 1 } }
    );
    const branches = await ctx.parallel("pair", [
      async (b) => b.step(async () => "left"),
      async (b) => b.step(async () => "right"),
    ]);
    const child = await ctx
      .runInChildContext("child", async (c) => {
        await c.step(async () => 1);
        throw new Error("child failed");
      })
      .catch((error: unknown) => (error as Error).message);
    await ctx.wait("nap", { minutes: 5 });
    const steps: number[] = [];
    for (let i = 0; i < 5; i++) steps.push(await ctx.step(async () => i));
    return {
      flaky,
      failed,
      mapped: mapped.getResults(),
      mapErrors: mapped.getErrors().map((e) => e.message),
      branches: branches.getResults(),
      child,
      steps,
    };
  }
);

const expected = {
  flaky: { attempts: 3, tags: ["a", "b"] },
  failed: "no",
  mapped: [10, 20, 40],
  mapErrors: ["three"],
  branches: ["left", "right"],
  child: "child failed",
  steps: [0, 1, 2, 3, 4],
};

/** Runs the handler to its end on a fresh service whose first pages hold one operation. */
async function run(
  options: { wrapBackend?: BackendWrapper; wrapperPassesReads?: boolean } = {}
) {
  attempts = 0; // the flaky step's attempts, across invocations
  const clock = new VirtualClock(new Date("2030-01-01T00:00:00Z"));
  const service = new CheckpointService({
    store: freezingStore(),
    clock,
    initialPageSize: 1,
  });
  // Spied on the prototype, so the service still answers reads with CheckpointService's own method.
  const spy = vi.spyOn(CheckpointService.prototype, "getExecutionState");
  try {
    const result = await runExecution({ service, clock, handler, target: { start: { input: "{}" } }, ...options });
    const copiedReads: GetDurableExecutionStateRequest[] = spy.mock.calls.map(([request]) => request);
    const operations = await service.getOperations(result.execution.executionArn);
    return { result, copiedReads, operations };
  } finally {
    spy.mockRestore();
  }
}

describe("uncopied state reads of the in-process engine", () => {
  it("load every page from the stored operations and change none of them", async () => {
    const { result, copiedReads } = await run();
    expect(result.execution.error).toBeUndefined();
    expect(JSON.parse(result.execution.result ?? "null")).toEqual(expected);
    expect(result.invocations.length).toBeGreaterThan(5);
    // Nothing went through the copying read: the pages came uncopied (and frozen, so any write to
    // them would have thrown).
    expect(copiedReads).toEqual([]);
  });

  it("give the same execution as copied reads", async () => {
    const uncopied = await run();
    const passThrough: BackendWrapper = (backend) => ({
      getExecutionState: (request) => backend.getExecutionState(request),
      checkpoint: (request) => backend.checkpoint(request),
    });
    const copied = await run({ wrapBackend: passThrough });
    expect(copied.copiedReads.length).toBeGreaterThan(5);
    expect(copied.result.execution.result).toBe(
      uncopied.result.execution.result
    );
    const shape = (ops: typeof copied.operations) =>
      ops.map(({ StartTimestamp: _s, EndTimestamp: _e, ...op }) => op);
    expect(shape(uncopied.operations)).toEqual(shape(copied.operations));
  });

  it("are taken through a wrapper only when it says it passes reads through", async () => {
    const passThrough: BackendWrapper = (backend) => ({
      getExecutionState: (request) => backend.getExecutionState(request),
      checkpoint: (request) => backend.checkpoint(request),
    });
    const declared = await run({
      wrapBackend: passThrough,
      wrapperPassesReads: true,
    });
    expect(declared.copiedReads).toEqual([]);
    expect(JSON.parse(declared.result.execution.result ?? "null")).toEqual(
      expected
    );

    // A wrapper that answers reads itself must be asked, not bypassed.
    let answered = 0;
    const answering: BackendWrapper = (backend) => ({
      getExecutionState: (request) => {
        answered++;
        return backend.getExecutionState(request);
      },
      checkpoint: (request) => backend.checkpoint(request),
    });
    const undeclared = await run({ wrapBackend: answering });
    expect(answered).toBeGreaterThan(5);
    expect(undeclared.copiedReads.length).toBe(answered);
  });

  it("are not taken from a service subclass that answers reads itself", async () => {
    let asked = 0;
    class CountingService extends CheckpointService {
      override getExecutionState(request: GetDurableExecutionStateRequest) {
        asked++;
        return super.getExecutionState(request);
      }
    }
    attempts = 0;
    const clock = new VirtualClock(new Date("2030-01-01T00:00:00Z"));
    const service = new CountingService({ store: freezingStore(), clock, initialPageSize: 1 });
    const result = await runExecution({ service, clock, handler, target: { start: { input: "{}" } } });
    expect(JSON.parse(result.execution.result ?? "null")).toEqual(expected);
    expect(asked).toBeGreaterThan(5);
  });
});
