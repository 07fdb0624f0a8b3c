import { describe, expect, it } from "vitest";
import { VirtualClock } from "./clock.js";
import type { OperationUpdate } from "../protocol/wire.js";
import { CheckpointService } from "./checkpoint-service.js";
import { StaleCheckpointTokenError } from "./errors.js";
import { MemoryExecutionStore } from "./memory-store.js";

const T0 = new Date("2026-01-01T00:00:00Z");

async function running() {
  const clock = new VirtualClock(T0);
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const { executionArn } = await service.startExecution({ input: "{}" });
  const ticket = await service.beginInvocation(executionArn);
  let token = ticket.input.CheckpointToken;
  const checkpoint = async (updates: OperationUpdate[] = []) => {
    const response = await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: updates });
    token = response.CheckpointToken ?? token;
    return response.NewExecutionState?.Operations ?? [];
  };
  return { clock, service, executionArn, checkpoint, staleToken: ticket.input.CheckpointToken };
}

const waitStart = (id: string, seconds: number): OperationUpdate => ({
  Id: id,
  Type: "WAIT",
  SubType: "Wait",
  Action: "START",
  WaitOptions: { WaitSeconds: seconds },
});

describe("what a running invocation learns from its checkpoint responses", () => {
  it("reports a wait's end time when it starts, and its end in the first checkpoint after it is due", async () => {
    const { clock, service, executionArn, checkpoint } = await running();
    const started = await checkpoint([waitStart("1", 5)]);
    expect(started).toMatchObject([{ Id: "1", Status: "STARTED", WaitDetails: { ScheduledEndTimestamp: new Date(T0.getTime() + 5000) } }]);

    clock.advance(4000);
    expect(await checkpoint()).toEqual([]);
    clock.advance(1000);
    expect(await checkpoint()).toMatchObject([{ Id: "1", Status: "SUCCEEDED" }]);
    // Fired once: the orchestrator has nothing left to fire.
    expect(await checkpoint()).toEqual([]);
    expect(await service.nextTimer(executionArn)).toBeUndefined();
    const events = (await service.getHistory(executionArn)).map((e) => e.EventType);
    expect(events.filter((e) => e === "WaitSucceeded")).toHaveLength(1);
  });

  it("applies the batch before firing: a wait the batch cancels does not succeed", async () => {
    const { clock, checkpoint } = await running();
    await checkpoint([waitStart("1", 5)]);
    clock.advance(6000);
    const reported = await checkpoint([{ Id: "1", Type: "WAIT", SubType: "Wait", Action: "CANCEL" }]);
    expect(reported.find((op) => op.Id === "1")?.Status).not.toBe("SUCCEEDED");
  });

  it("reports a callback completed meanwhile once, and drops the wake-up it asked for", async () => {
    const { service, executionArn, checkpoint } = await running();
    const [callback] = await checkpoint([{ Id: "1", Type: "CALLBACK", SubType: "Callback", Action: "START" }]);
    await service.sendCallbackSuccess(callback?.CallbackDetails?.CallbackId ?? "", "yes");
    expect(await service.wakeAt(executionArn)).toBeDefined();

    expect(await checkpoint()).toMatchObject([{ Id: "1", Status: "SUCCEEDED", CallbackDetails: { Result: "yes" } }]);
    expect(await checkpoint()).toEqual([]);
    // The invocation that was to be woken knows already.
    expect(await service.wakeAt(executionArn)).toBeUndefined();
  });

  it("fences polls: an older invocation's empty checkpoint is rejected", async () => {
    const { service, executionArn, staleToken } = await running();
    await service.beginInvocation(executionArn);
    await expect(
      service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: staleToken, Updates: [] }),
    ).rejects.toBeInstanceOf(StaleCheckpointTokenError);
  });
});
