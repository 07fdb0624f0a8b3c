import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import type { DurableExecutionClient } from "../protocol/backend.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import type { DurableExecutionHandler } from "../types/context.js";
import { DurableExecutionClientError, DurableExecutionClientErrorScope, isDurableExecutionClientError } from "./durable-execution-client-error.js";
import { ValidationError } from "./validation-error.js";

/** A custom transport over the in-memory service whose next checkpoint throws `failure`. */
function transport(service: CheckpointService, failure: { next?: unknown }): DurableExecutionClient {
  return {
    getExecutionState: (request) => service.getExecutionState(request),
    checkpoint: async (request) => {
      const error = failure.next;
      failure.next = undefined;
      if (error !== undefined) throw error;
      return service.checkpoint(request);
    },
  };
}

async function setup(failure: { next?: unknown }) {
  const service = new CheckpointService({ store: new MemoryExecutionStore() });
  const execution = await service.startExecution({ input: "{}" });
  let bodies = 0;
  const body: DurableExecutionHandler = async (_e, ctx) => ctx.step("charge", async () => ++bodies);
  const handler = withDurableExecution(body, { durableExecutionClient: transport(service, failure) });
  const invoke = async () => handler((await service.beginInvocation(execution.executionArn)).input);
  return { service, execution, invoke, bodies: () => bodies };
}

describe("a custom durableExecutionClient throwing DurableExecutionClientError", () => {
  it("fails the execution when the scope is EXECUTION", async () => {
    const failure = { next: new DurableExecutionClientError("checkpoint rejected: 403", { scope: DurableExecutionClientErrorScope.EXECUTION }) };
    const { invoke } = await setup(failure);
    const output = await invoke();
    expect(output).toMatchObject({ Status: "FAILED", Error: { ErrorMessage: expect.stringContaining("checkpoint rejected: 403") } });
  });

  it.each([
    ["INVOCATION scope", new DurableExecutionClientError("throttled", { scope: DurableExecutionClientErrorScope.INVOCATION })],
    ["no scope (INVOCATION by default)", new DurableExecutionClientError("socket hang up")],
    ["a plain error", new Error("ECONNRESET")],
  ])("ends only the invocation with %s; the next invocation carries the execution on", async (_label, error) => {
    const failure = { next: error as unknown };
    const { invoke, service, execution } = await setup(failure);
    await expect(invoke()).rejects.toThrow(/Checkpoint failed; this invocation stops/);
    expect((await service.getExecution(execution.executionArn)).status).toBe("RUNNING");
    expect(await invoke()).toEqual({ Status: "SUCCEEDED", Result: "2" });
  });

  it("recognizes the error from a separately bundled copy of the class by its marker and scope", async () => {
    const foreign = Object.assign(new Error("gone"), { isDurableExecutionClientError: true, scope: "EXECUTION" });
    expect(isDurableExecutionClientError(foreign)).toBe(true);
    expect(isDurableExecutionClientError(Object.assign(new Error("x"), { isDurableExecutionClientError: true, scope: "ELSEWHERE" }))).toBe(false);
    const { invoke } = await setup({ next: foreign });
    expect((await invoke()).Status).toBe("FAILED");
  });

  it("refuses a client without both methods when the handler is wrapped, naming the field", () => {
    const wrap = (client: unknown) => () =>
      withDurableExecution(async () => "x", { durableExecutionClient: client as DurableExecutionClient });
    expect(wrap({ checkpoint: async () => ({}) })).toThrow(ValidationError);
    expect(wrap({ checkpoint: async () => ({}) })).toThrow(/durableExecutionClient must be an object with getExecutionState\(request\) and checkpoint\(request\) methods \(missing getExecutionState\)/);
    expect(wrap("http://localhost:9000")).toThrow(/durableExecutionClient must be .*; got string/);
  });
});
