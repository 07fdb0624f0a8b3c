import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import type { DurableExecutionClient } from "../protocol/backend.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import { DurableExecutionInvocationInputWithClient } from "./input-with-client.js";
import { withDurableExecution } from "./with-durable-execution.js";

/** The in-memory service as a backend, counting the checkpoint calls it serves. */
function counted(service: CheckpointService): DurableExecutionClient & { calls: number } {
  const backend = {
    calls: 0,
    getExecutionState: (request: Parameters<CheckpointService["getExecutionState"]>[0]) => service.getExecutionState(request),
    checkpoint: (request: Parameters<CheckpointService["checkpoint"]>[0]) => {
      backend.calls++;
      return service.checkpoint(request);
    },
  };
  return backend;
}

const unusable: DurableExecutionClient = {
  getExecutionState: () => Promise.reject(new Error("the configured backend was used")),
  checkpoint: () => Promise.reject(new Error("the configured backend was used")),
};

describe("DurableExecutionInvocationInputWithClient", () => {
  it("checkpoints through the backend the input brings, not the handler's configured one", async () => {
    const service = new CheckpointService({ store: new MemoryExecutionStore() });
    const { executionArn } = await service.startExecution({ input: '{"n":20}' });
    const handler = withDurableExecution(async (event: { n: number }, ctx) => ctx.step("double", async () => event.n * 2), { backend: unusable });
    const injected = counted(service);
    const { input } = await service.beginInvocation(executionArn);
    const output = await handler(new DurableExecutionInvocationInputWithClient(input, injected));
    expect(output).toEqual({ Status: "SUCCEEDED", Result: "40" });
    expect(injected.calls).toBeGreaterThan(0);
    const step = (await service.getOperations(executionArn)).find((op) => op.Name === "double");
    expect(step?.StepDetails?.Result).toBe("40");
  });

  it("is recognised by its tag as well as by its class, and carries the input's fields", () => {
    const input = { DurableExecutionArn: "arn:x", CheckpointToken: "t", InitialExecutionState: { Operations: [] }, UpdatedOperationIds: ["2"] };
    const wrapped = new DurableExecutionInvocationInputWithClient(input, unusable);
    expect(wrapped).toMatchObject(input);
    expect(Object.prototype.toString.call(wrapped)).toBe("[object DurableExecutionInvocationInputWithClient]");
    // Another copy of the class (a second bundle, or the AWS SDK's): same tag, same field.
    const foreign = { durableExecutionClient: unusable, ...input, [Symbol.toStringTag]: "DurableExecutionInvocationInputWithClient" };
    expect(DurableExecutionInvocationInputWithClient.isInstance(foreign)).toBe(true);
    expect(DurableExecutionInvocationInputWithClient.isInstance(input)).toBe(false);
    expect(DurableExecutionInvocationInputWithClient.isInstance(null)).toBe(false);
  });

  it("refuses an injected backend without the two methods, naming the field", async () => {
    const handler = withDurableExecution(async () => "x", { backend: unusable });
    const input = { DurableExecutionArn: "arn:x", CheckpointToken: "t", InitialExecutionState: { Operations: [] } };
    await expect(handler(new DurableExecutionInvocationInputWithClient(input, {} as DurableExecutionClient))).rejects.toThrow(ValidationError);
    await expect(handler(new DurableExecutionInvocationInputWithClient(input, { checkpoint: async () => ({}) } as never))).rejects.toThrow(
      /durableExecutionClient must be an object with getExecutionState.*missing getExecutionState/,
    );
  });
});
