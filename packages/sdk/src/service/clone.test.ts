import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { invokeOnce } from "../orchestrator/invocation.js";
import type { Operation } from "../protocol/wire.js";
import { CheckpointService } from "./checkpoint-service.js";
import { VirtualClock } from "./clock.js";
import { cloneOperation, copyForUpdate } from "./clone.js";
import { executionIdOfArn } from "./ids.js";
import { MemoryExecutionStore } from "./memory-store.js";

// V8's own test hook: whether two objects have the same hidden class ("map"). Each class costs
// memory and makes reads of objects of that shape slower, so objects of one shape should share it.
setFlagsFromString("--allow-natives-syntax");
const haveSameHiddenClass = new Function("a", "b", "return %HaveSameMap(a, b);") as (a: object, b: object) => boolean;

/** How many times the hidden class changes along the list (0: all share one). */
function hiddenClassChanges(objects: readonly object[]): number {
  let changes = 0;
  for (let i = 1; i < objects.length; i++) if (!haveSameHiddenClass(objects[i - 1] as object, objects[i] as object)) changes++;
  return changes;
}

function startedStep(i: number): Operation {
  const op: Operation = { Id: `1-${i}-1`, Type: "STEP", StartTimestamp: new Date(0), Status: "STARTED" };
  op.ParentId = `1-${i}`;
  op.SubType = "Step";
  op.StepDetails = { Attempt: 1 };
  return op;
}

describe("copies of operations", () => {
  it("are deep: nothing a caller can change reaches the original", () => {
    const original = startedStep(1);
    original.EndTimestamp = new Date(5);
    for (const copy of [cloneOperation(original), copyForUpdate(original)]) {
      expect(copy).toEqual(original);
      expect(Object.keys(copy)).toEqual(Object.keys(original));
      expect(copy.StartTimestamp).not.toBe(original.StartTimestamp);
      expect(copy.EndTimestamp).not.toBe(original.EndTimestamp);
      expect(copy.StepDetails).not.toBe(original.StepDetails);
    }
  });

  it("made for an update keep sharing one hidden class when the update adds properties", () => {
    // The pattern of the core: copy the stored version, then finish it (Status, EndTimestamp).
    // The first few dozen copies of a shape warm V8's caches; the pathology shows after them.
    const updated = Array.from({ length: 200 }, (_, i) => {
      const next = copyForUpdate(startedStep(i));
      next.Status = "SUCCEEDED";
      next.EndTimestamp = new Date(1);
      return next;
    });
    expect(hiddenClassChanges(updated)).toBe(0);
  });

  it("of steps that end in a later checkpoint than they start are stored with one hidden class", async () => {
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const store = new MemoryExecutionStore();
    const service = new CheckpointService({ store, clock });
    const handler = withDurableExecution(async (_event, ctx) => {
      for (let i = 0; i < 200; i++) {
        // A body that awaits I/O: its START is sent before it finishes, its SUCCEED in a later checkpoint.
        await ctx.step(async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return i;
        });
      }
      return "done";
    });
    const { executionArn } = await service.startExecution({ input: "{}" });
    await invokeOnce({ service, clock, handler, executionArn, invocationNumber: 1, invocationTimeoutMs: 60_000 });
    const record = store.peek(executionIdOfArn(executionArn) as string);
    const steps = [...(record?.operations.values() ?? [])].filter((op) => op.Type === "STEP");
    expect(steps).toHaveLength(200);
    expect(steps.every((op) => op.Status === "SUCCEEDED")).toBe(true);
    expect(hiddenClassChanges(steps)).toBe(0);
  });
});
