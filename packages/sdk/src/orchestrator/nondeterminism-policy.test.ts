// What a replay mismatch does to the execution under each policy of the orchestrator, end to end
// on the real engine, service and memory store.
import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../handler/with-durable-execution.js";
import { InvocationStatus } from "../protocol/invocation.js";
import { CheckpointService } from "../service/checkpoint-service.js";
import { MemoryExecutionStore } from "../service/memory-store.js";
import { VirtualClock } from "../service/clock.js";
import { randomIds } from "../service/ids.js";
import { planFailExecution } from "../service/stop-execution.js";
import { blockedRetryDelayMs } from "../service/blocked-execution.js";
import { runExecution } from "./run-execution.js";

const START = new Date("2030-01-01T00:00:00Z");

function setup() {
  const clock = new VirtualClock(new Date(START.getTime()));
  const store = new MemoryExecutionStore();
  const service = new CheckpointService({ store, clock });
  // The code "deployed" now: v1 is what the execution started with, v2 renames its first step.
  const deployed = { version: "v1" as "v1" | "v2" };
  let callbackId: string | undefined;
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    const a = await ctx.step(deployed.version === "v1" ? "reserve" : "reserve-stock", async () => 1);
    const [answer, id] = await ctx.createCallback<string>("approval");
    callbackId = id;
    return `${a}:${await answer}`;
  });
  return { clock, store, service, deployed, handler, callbackId: () => callbackId };
}

async function startWaiting(s: ReturnType<typeof setup>): Promise<string> {
  const first = await runExecution({ service: s.service, clock: s.clock, handler: s.handler, target: { start: {} } });
  expect(first.state).toBe("waiting");
  return first.execution.executionArn;
}

describe("onNondeterminism", () => {
  it('"fail" (the default) fails the execution with the NonDeterministicExecutionError', async () => {
    const s = setup();
    const arn = await startWaiting(s);
    s.deployed.version = "v2";
    const run = await runExecution({ service: s.service, clock: s.clock, handler: s.handler, target: { executionArn: arn } });
    expect(run.state).toBe("completed");
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(run.execution.blocked).toBeUndefined();
  });

  it('"block" keeps the execution RUNNING, marked blocked at the diverging operation, with the error in history', async () => {
    const s = setup();
    const arn = await startWaiting(s);
    s.deployed.version = "v2";
    const run = await runExecution({
      service: s.service,
      clock: s.clock,
      handler: s.handler,
      target: { executionArn: arn },
      onNondeterminism: "block",
    });
    expect(run.state).toBe("blocked");
    expect(run.execution.status).toBe("RUNNING");
    expect(run.invocations).toHaveLength(1);
    const outcome = run.invocations[0]?.outcome;
    // The handler's output is FAILED, as AWS Lambda would see it.
    expect(outcome?.kind === "returned" && outcome.output.Status).toBe(InvocationStatus.FAILED);
    const blocked = (await s.service.getExecution(arn)).blocked;
    expect(blocked).toMatchObject({ reason: "NonDeterministicExecution", operationId: "1", attempts: 1 });
    expect(blocked?.message).toMatch(/"reserve".*"reserve-stock"/);
    expect(blocked?.since.getTime()).toBe(s.clock.now().getTime());
    expect(blocked?.retryAt.getTime()).toBe(s.clock.now().getTime() + 1000);
    expect(await s.service.wakeAt(arn)).toEqual(blocked?.retryAt);

    const history = await s.service.getHistory(arn);
    const last = history[history.length - 1];
    expect(last?.EventType).toBe("InvocationCompleted");
    expect(last?.InvocationCompletedDetails?.Error?.Payload?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(history.some((e) => e.EventType === "ExecutionFailed")).toBe(false);
  });

  it("retries with a doubling delay, then carries on once the original code is back", async () => {
    const s = setup();
    const arn = await startWaiting(s);
    s.deployed.version = "v2";
    const again = () =>
      runExecution({ service: s.service, clock: s.clock, handler: s.handler, target: { executionArn: arn }, onNondeterminism: "block" });
    await again();
    const firstSince = (await s.service.getExecution(arn)).blocked?.since;
    s.clock.advance(1000);
    const second = await again();
    expect(second.state).toBe("blocked");
    const blocked = second.execution.blocked;
    expect(blocked?.attempts).toBe(2);
    expect(blocked?.since).toEqual(firstSince);
    expect(blocked?.retryAt.getTime()).toBe(s.clock.now().getTime() + 2000);

    s.deployed.version = "v1";
    const fixed = await again();
    expect(fixed.state).toBe("waiting");
    expect(fixed.execution.blocked).toBeUndefined();
    await s.service.sendCallbackSuccess(s.callbackId() as string, "yes");
    const done = await again();
    expect(done.execution.status).toBe("SUCCEEDED");
    expect(done.execution.result).toBe('"1:yes"');
  });

  it("a blocked execution can be failed on purpose, which clears the mark", async () => {
    const s = setup();
    const arn = await startWaiting(s);
    s.deployed.version = "v2";
    await runExecution({ service: s.service, clock: s.clock, handler: s.handler, target: { executionArn: arn }, onNondeterminism: "block" });
    const id = (await s.store.listIds())[0] as string;
    await s.store.update(id, (record) => ({
      mutation: planFailExecution(record, { ErrorType: "Execution.FailedByOperator" }, { now: s.clock.now(), ids: randomIds }),
      result: undefined,
    }));
    const failed = await s.service.getExecution(arn);
    expect(failed.status).toBe("FAILED");
    expect(failed.blocked).toBeUndefined();
    expect(await s.service.wakeAt(arn)).toBeUndefined();
  });

  it("names the batch whose item count changed on replay", async () => {
    const s = setup();
    let items = [1, 2, 3];
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      await ctx.map("charge", items, async (c, item) => c.step(async () => item));
      const [answer] = await ctx.createCallback("approval");
      return answer;
    });
    const first = await runExecution({ service: s.service, clock: s.clock, handler, target: { start: {} } });
    expect(first.state).toBe("waiting");
    items = [1, 2];
    const run = await runExecution({
      service: s.service,
      clock: s.clock,
      handler,
      target: { executionArn: first.execution.executionArn },
      onNondeterminism: "block",
    });
    expect(run.state).toBe("blocked");
    expect(run.execution.blocked).toMatchObject({ operationId: "1", attempts: 1 });
    expect(run.execution.blocked?.message).toMatch(/3 items.*now passes 2/);
  });

  it("a handler throwing an error named NonDeterministicExecutionError itself fails as usual", async () => {
    const s = setup();
    const handler = withDurableExecution(async () => {
      const error = new Error("mine");
      error.name = "NonDeterministicExecutionError";
      throw error;
    });
    const run = await runExecution({ service: s.service, clock: s.clock, handler, target: { start: {} }, onNondeterminism: "block" });
    expect(run.execution.status).toBe("FAILED");
  });
});

describe("blockedRetryDelayMs", () => {
  it("starts at one second, doubles, and stays at five minutes", () => {
    expect([1, 2, 3, 4, 9, 10, 50, 10_000].map(blockedRetryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 256_000, 300_000, 300_000, 300_000,
    ]);
  });
});
