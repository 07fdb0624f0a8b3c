// Callback completion through the CheckpointService on every store: routed by the id alone.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { CheckpointService } from "./checkpoint-service.js";
import { CallbackAlreadyCompletedError, CallbackNotFoundError, InvalidCallbackIdError, InvalidRequestError } from "./errors.js";
import type { ExecutionStore } from "./execution-store.js";
import { FileExecutionStore } from "./file-store/file-store.js";
import { MemoryExecutionStore } from "./memory-store.js";

interface Harness {
  store: ExecutionStore;
  reopen: () => ExecutionStore;
  cleanup: () => Promise<void>;
}

const stores: [string, () => Promise<Harness>][] = [
  ["MemoryExecutionStore", async () => {
    const store = new MemoryExecutionStore();
    return { store, reopen: () => store, cleanup: async () => {} };
  }],
  ["FileExecutionStore", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cairn-callbacks-"));
    return { store: new FileExecutionStore(dir), reopen: () => new FileExecutionStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  }],
];

describe.each(stores)("callbacks on %s", (_name, makeHarness) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.cleanup();
    harness = undefined;
  });

  /** An execution whose only invocation started callback "1" (and "2" with a heartbeat timeout) and suspended. */
  async function suspended() {
    harness = await makeHarness();
    const clock = new VirtualClock(new Date("2025-01-01T00:00:00.000Z"));
    const service = new CheckpointService({ store: harness.store, clock });
    const { executionArn } = await service.startExecution({});
    const ticket = await service.beginInvocation(executionArn);
    const response = await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [
        { Id: "1", Type: "CALLBACK", SubType: "Callback", Action: "START", CallbackOptions: { TimeoutSeconds: 60 } },
        { Id: "2", Type: "CALLBACK", SubType: "Callback", Action: "START", CallbackOptions: { HeartbeatTimeoutSeconds: 10 } },
      ],
    });
    await service.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
    const [first, second] = (response.NewExecutionState?.Operations ?? []).map((op) => op.CallbackDetails?.CallbackId as string);
    return { service, clock, executionArn, first: first!, second: second! };
  }

  it("completes a callback by its id alone and survives a reopen", async () => {
    const { service, clock, executionArn, first } = await suspended();
    expect(await service.wakeAt(executionArn)).toEqual(new Date("2025-01-01T00:00:10.000Z"));
    clock.advance(2000);
    expect(await service.sendCallbackSuccess(first, '{"ok":true}')).toEqual({ executionArn, operationId: "1" });
    expect(await service.wakeAt(executionArn)).toEqual((await service.getExecution(executionArn)).startTimestamp);

    const reopened = new CheckpointService({ store: harness!.reopen(), clock });
    const [op] = await reopened.getOperations(executionArn, { ids: ["1"] });
    expect(op).toMatchObject({ Status: "SUCCEEDED", CallbackDetails: { Result: '{"ok":true}' } });
    const history = await reopened.getHistory(executionArn);
    expect(history.at(-1)).toMatchObject({ EventType: "CallbackSucceeded", Id: "1", CallbackSucceededDetails: { Result: { Payload: '{"ok":true}' } } });
    await expect(reopened.sendCallbackFailure(first, { ErrorMessage: "late" })).rejects.toThrow(CallbackAlreadyCompletedError);
  });

  it("heartbeats move the heartbeat deadline, also after a reopen", async () => {
    const { service, clock, executionArn, second } = await suspended();
    clock.advance(8000);
    await service.sendCallbackHeartbeat(second);
    expect(await service.nextTimer(executionArn)).toEqual(new Date("2025-01-01T00:00:18.000Z"));
    const reopened = new CheckpointService({ store: harness!.reopen(), clock });
    expect(await reopened.nextTimer(executionArn)).toEqual(new Date("2025-01-01T00:00:18.000Z"));
    clock.set(new Date("2025-01-01T00:00:18.000Z"));
    expect(await reopened.fireDueTimers(executionArn)).toEqual(["2"]);
    const [op] = await reopened.getOperations(executionArn, { ids: ["2"] });
    expect(op).toMatchObject({ Status: "TIMED_OUT", CallbackDetails: { Error: { ErrorType: "Callback.Heartbeat" } } });
  });

  it("rejects unknown, forged and malformed ids and bad payloads, storing nothing", async () => {
    const { service, executionArn, first } = await suspended();
    const before = (await service.getHistory(executionArn)).length;
    const [executionId, , secret] = first.split(".");
    await expect(service.sendCallbackSuccess(`${executionId}.1.${secret}x`)).rejects.toThrow(CallbackNotFoundError);
    await expect(service.sendCallbackSuccess(`01JZZZZZZZZZZZZZZZZZZZZZZZ.1.${secret}`)).rejects.toThrow(CallbackNotFoundError);
    await expect(service.sendCallbackSuccess("not-a-callback-id")).rejects.toThrow(InvalidCallbackIdError);
    await expect(service.sendCallbackSuccess(first, { a: 1 } as unknown as string)).rejects.toThrow(InvalidRequestError);
    expect((await service.getHistory(executionArn)).length).toBe(before);
    const [op] = await service.getOperations(executionArn, { ids: ["1"] });
    expect(op?.Status).toBe("STARTED");
  });
});
