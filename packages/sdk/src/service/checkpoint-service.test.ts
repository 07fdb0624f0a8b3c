import { describe, expect, it } from "vitest";
import { CheckpointService } from "./checkpoint-service.js";
import { MemoryExecutionStore } from "./memory-store.js";

describe("CheckpointService options", () => {
  it.each([Number.NaN, 0, -1, 2.5, 10_001, "50"])("refuses initialPageSize %j before any execution is created", async (initialPageSize) => {
    const store = new MemoryExecutionStore();
    const startOne = async (): Promise<void> => {
      const service = new CheckpointService({ store, initialPageSize: initialPageSize as number });
      await service.startExecution({ input: "{}" });
    };
    const error: unknown = await startOne().then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      // A string shows quoted: "50" is not mistaken for the number it looks like.
      `CheckpointService: initialPageSize must be a whole number from 1 to 10000 (got ${typeof initialPageSize === "string" ? `"${initialPageSize}"` : String(initialPageSize)}).`,
    );
    expect(await store.listIds()).toEqual([]);
  });

  it.each([1, 10_000])("accepts initialPageSize %j", async (initialPageSize) => {
    const service = new CheckpointService({ store: new MemoryExecutionStore(), initialPageSize });
    const { executionArn } = await service.startExecution({ input: "{}" });
    const ticket = await service.beginInvocation(executionArn);
    expect(ticket.input.InitialExecutionState?.Operations).toHaveLength(1);
  });
});
