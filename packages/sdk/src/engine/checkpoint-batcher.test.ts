import { describe, expect, it } from "vitest";
import type { CheckpointBackend } from "../protocol/backend.js";
import { OperationAction, OperationType, type OperationUpdate } from "../protocol/wire.js";
import { CheckpointBatcher } from "./checkpoint-batcher.js";

const update = (id: string): OperationUpdate => ({ Id: id, Type: OperationType.STEP, SubType: "Step", Action: OperationAction.START });

/** A backend whose every checkpoint call fails, counting the calls. */
function failingBackend(): CheckpointBackend & { calls: number } {
  const backend = {
    calls: 0,
    getExecutionState: () => Promise.reject(new Error("not used")),
    checkpoint: () => {
      backend.calls++;
      return Promise.reject(new Error("store unavailable"));
    },
  };
  return backend;
}

describe("CheckpointBatcher after a failed checkpoint", () => {
  it("rejects every update, queued or later, with the failure, and never raises an unhandled rejection for updates nobody awaits", async () => {
    const backend = failingBackend();
    const failures: unknown[] = [];
    const batcher = new CheckpointBatcher(backend, "arn", "token", {
      onAcknowledged: () => undefined,
      onFailure: (error) => failures.push(error),
      onIdle: () => undefined,
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      // Fire-and-forget, as a step's START is: no handler attached by the caller.
      void batcher.enqueue(update("1"));
      await expect(batcher.drain()).rejects.toThrow("store unavailable");
      // After the failure: rejected at once, and again without a caller's handler.
      const late = batcher.enqueue(update("2"));
      void batcher.enqueue(update("3"));
      await expect(late).rejects.toThrow("store unavailable");
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(failures).toHaveLength(1);
    // Nothing is sent after the failure.
    expect(backend.calls).toBe(1);
  });
});
