import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointService, FileExecutionStore } from "@cairn/sdk/service";
import { NoProgressError } from "@cairn/sdk/orchestrator";
import {
  OperationStatus,
  withDurableExecution,
  type DurableLambdaHandler,
  type HistoryEvent,
} from "@cairn/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExecutionStatus, LocalDurableTestRunner, WaitingOperationStatus } from "./index.js";

/** The shape of a history without anything that depends on time or random ids. */
function structure(events: readonly HistoryEvent[]) {
  return events.map((e) => ({ type: e.EventType, subType: e.SubType, id: e.Id, parentId: e.ParentId, name: e.Name }));
}

const waitingHandler = (seconds: number) =>
  withDurableExecution(async (event: { who: string }, ctx) => {
    const greeting = await ctx.step("greet", async () => `hello ${event.who}`);
    await ctx.wait("pause", { seconds });
    const shout = await ctx.runInChildContext("child", async (child) => child.step("shout", async () => greeting.toUpperCase()));
    return { greeting, shout };
  });

afterEach(async () => {
  await LocalDurableTestRunner.teardownTestEnvironment();
  vi.restoreAllMocks();
});

describe("LocalDurableTestRunner", () => {
  it("skips an hour-long wait and produces the same history as a real one-second wait", async () => {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    const skipped = await new LocalDurableTestRunner({ handlerFunction: waitingHandler(3600) }).run({
      payload: { who: "cairn" },
    });
    const real = await new LocalDurableTestRunner({ handlerFunction: waitingHandler(1), skipTime: false }).run({
      payload: { who: "cairn" },
    });

    for (const result of [skipped, real]) {
      expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
      expect(result.getResult()).toEqual({ greeting: "hello cairn", shout: "HELLO CAIRN" });
    }
    expect(structure(skipped.getHistoryEvents())).toEqual(structure(real.getHistoryEvents()));
    expect(skipped.getInvocations()).toHaveLength(real.getInvocations().length);
    expect(skipped.getInvocations()).toHaveLength(2);
    // The hour did pass, on the virtual clock.
    const wait = skipped.getOperations().find((op) => op.getName() === "pause");
    expect(wait?.getWaitDetails()?.waitSeconds).toBe(3600);
    const started = wait?.getStartTimestamp()?.getTime() ?? 0;
    expect((wait?.getEndTimestamp()?.getTime() ?? 0) - started).toBeGreaterThanOrEqual(3600_000);
  });

  it("fills handles taken before the run", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: waitingHandler(10), skipTime: true });
    const greet = runner.getOperation<string>("greet");
    const pause = runner.getOperationByNameAndIndex("pause", 0);
    const child = runner.getOperation("child");
    const first = runner.getOperationByIndex(0);
    // Negative indexes count from the last, as Array.at (and the AWS runner) does.
    const last = runner.getOperationByIndex(-1);
    const lastGreet = runner.getOperationByNameAndIndex("greet", -1);
    expect(greet.getStatus()).toBeUndefined();
    expect(greet.getStepDetails()).toBeUndefined();

    const result = await runner.run({ payload: { who: "x" } });

    expect(greet.getStatus()).toBe(OperationStatus.SUCCEEDED);
    expect(greet.getType()).toBe("STEP");
    expect(greet.getStepDetails()).toMatchObject({ result: "hello x", error: undefined });
    expect(first.getId()).toBe(greet.getId());
    expect(last.getName()).toBe("shout");
    expect(runner.getOperationByIndex(-2).getName()).toBe("child");
    expect(lastGreet.getId()).toBe(greet.getId());
    expect(runner.getOperationByIndex(-5).getName()).toBeUndefined();
    expect(pause.getType()).toBe("WAIT");
    expect(pause.getWaitDetails()).toMatchObject({ waitSeconds: 10 });
    expect(pause.getWaitDetails()?.scheduledEndTimestamp).toBeInstanceOf(Date);
    expect(pause.getEvents()?.map((e) => e.EventType)).toEqual(["WaitStarted", "WaitSucceeded"]);

    expect(child.getType()).toBe("CONTEXT");
    expect(child.getContextDetails()?.result).toBe("HELLO X");
    const children = child.getChildOperations() ?? [];
    expect(children.map((c) => c.getName())).toEqual(["shout"]);
    expect(children[0]?.getParentId()).toBe(child.getId());
    expect(runner.getOperationById(child.getId() ?? "").getName()).toBe("child");

    expect(result.getOperations().map((op) => op.getName())).toEqual(["greet", "pause", "child", "shout"]);
    expect(result.getOperations({ status: OperationStatus.SUCCEEDED })).toHaveLength(4);
    expect(() => greet.getWaitDetails()).toThrow(/not WAIT/);

    runner.reset();
    expect(greet.getStatus()).toBeUndefined();
  });

  it("deserializes step results with the default serdes", async () => {
    const when = new Date("2024-02-03T04:05:06Z");
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e, ctx) => {
        const d = await ctx.step("date", async () => when);
        const m = await ctx.step("map", async () => new Map([["k", 1]]));
        return { iso: d.toISOString(), size: m.size };
      }),
      skipTime: true,
    });
    const result = await runner.run();
    expect(result.getResult()).toEqual({ iso: when.toISOString(), size: 1 });
    expect(runner.getOperation("date").getStepDetails()?.result).toEqual(when);
    expect(runner.getOperation("map").getStepDetails()?.result).toEqual(new Map([["k", 1]]));
  });

  it("skips retry delays and reports attempts", async () => {
    let calls = 0;
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e, ctx) =>
        ctx.step(
          "flaky",
          async (step) => {
            calls++;
            if (step.attempt < 3) throw new Error(`attempt ${step.attempt} failed`);
            return step.attempt;
          },
          { retryStrategy: (_error, attempts) => ({ shouldRetry: attempts < 5, delay: { minutes: 10 } }) },
        ),
      ),
      skipTime: true,
    });
    const result = await runner.run();
    expect(result.getResult()).toBe(3);
    expect(calls).toBe(3);
    const flaky = runner.getOperation("flaky");
    expect(flaky.getStepDetails()?.result).toBe(3);
    expect(flaky.getStepDetails()?.attempt).toBe(3);
    expect(flaky.getEvents()?.map((e) => e.EventType)).toEqual([
      "StepStarted",
      "StepFailed",
      "StepStarted",
      "StepFailed",
      "StepStarted",
      "StepSucceeded",
    ]);
    expect(result.getInvocations()).toHaveLength(3);
  });

  it("reports a failed execution through getError and getResult", async () => {
    class PaymentDeclined extends Error {
      override name = "PaymentDeclined";
    }
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e, ctx) => {
        await ctx.step("charge", async () => {
          throw new PaymentDeclined("card declined");
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      }),
      skipTime: true,
    });
    const result = await runner.run();
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/card declined/);
    expect(() => result.getResult()).toThrow(/card declined/);
    expect(runner.getOperation("charge").getStepDetails()?.error?.errorMessage).toMatch(/card declined/);
    expect(runner.getOperation("charge").getStatus()).toBe("FAILED");
  });

  it("captures log lines and prints the operation tree", async () => {
    const runner = new LocalDurableTestRunner({
      handlerFunction: withDurableExecution(async (_e, ctx) => {
        ctx.logger.info("starting");
        await ctx.runInChildContext("outer", async (c) => c.step("inner", async () => 1));
        return "ok";
      }),
      skipTime: true,
    });
    const result = await runner.run();
    expect(result.getLogs().some((r) => r.message.includes("starting") && r.level === "INFO")).toBe(true);

    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    result.print({ startTime: false, endTime: false, duration: false });
    const printed = String(log.mock.calls[0]?.[0]);
    expect(printed).toMatch(/NAME/);
    expect(printed).toMatch(/\n\S+\s+-\s+outer\s+CONTEXT/);
    expect(printed).toMatch(/ {2}inner\s+STEP/);
  });

  it("resolves waitForData taken before the run while the run goes on", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: waitingHandler(5), skipTime: true });
    const pending = runner.getOperation("pause").waitForData(WaitingOperationStatus.COMPLETED);
    const missing = runner.getOperation("nope").waitForData();
    const result = await runner.run({ payload: { who: "w" } });
    const pause = await pending;
    expect(pause.getStatus()).toBe("SUCCEEDED");
    await expect(missing).rejects.toThrow(/ended without/);
    expect(result.getStatus()).toBe("SUCCEEDED");
  });

  it("stops a livelocked execution with a clear error", async () => {
    // Speaks the protocol directly: every invocation fails outside the protocol, storing nothing.
    const broken: DurableLambdaHandler = async () => {
      throw new Error("cannot start");
    };
    const runner = new LocalDurableTestRunner({ handlerFunction: broken, skipTime: true, maxInvocationsWithoutProgress: 4 });
    const error = await runner.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoProgressError);
    expect((error as Error).message).toMatch(/no progress in 4 consecutive invocations.*cannot start/s);
  });

  it("still completes with a simulated checkpoint latency", async () => {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true, checkpointDelay: 2 });
    const result = await new LocalDurableTestRunner({ handlerFunction: waitingHandler(60) }).run({ payload: { who: "d" } });
    expect(result.getResult()).toEqual({ greeting: "hello d", shout: "HELLO D" });
  });

  it("refuses a checkpointDelay that is not a finite number of milliseconds >= 0", async () => {
    const handlerFunction = waitingHandler(1);
    // NaN or negative would run without the delay asked for; Infinity would overflow to ~1 ms.
    for (const [bad, got] of [[NaN, "NaN"], [-1, "-1"], [Infinity, "Infinity"], ["5", '"5"']] as const) {
      const delay = bad as number;
      expect(() => new LocalDurableTestRunner({ handlerFunction, checkpointDelay: delay })).toThrow(
        new RangeError(`LocalDurableTestRunner: checkpointDelay must be a number of milliseconds >= 0, got ${got}`),
      );
      await expect(LocalDurableTestRunner.setupTestEnvironment({ checkpointDelay: delay })).rejects.toThrow(
        new RangeError(`LocalDurableTestRunner.setupTestEnvironment: checkpointDelay must be a number of milliseconds >= 0, got ${got}`),
      );
    }
    // Zero (no delay) and fractions stay accepted, as before.
    expect(() => new LocalDurableTestRunner({ handlerFunction, checkpointDelay: 0 })).not.toThrow();
    await expect(LocalDurableTestRunner.setupTestEnvironment({ checkpointDelay: 0.5 })).resolves.toBeUndefined();
  });

  it("runs two runners side by side without interference", async () => {
    const slow = new LocalDurableTestRunner({ handlerFunction: waitingHandler(86_400), skipTime: true });
    const other = withDurableExecution(async (event: { n: number }, ctx) => {
      let total = 0;
      for (let i = 0; i < event.n; i++) {
        total += await ctx.step(`add-${i}`, async () => i);
        await ctx.wait({ seconds: 60 });
      }
      return total;
    });
    const fast = new LocalDurableTestRunner({ handlerFunction: other, skipTime: true });
    const realTime = new LocalDurableTestRunner({ handlerFunction: waitingHandler(1), skipTime: false });

    const [a, b, c] = await Promise.all([
      slow.run({ payload: { who: "a" } }),
      fast.run({ payload: { n: 4 } }),
      realTime.run({ payload: { who: "c" } }),
    ]);
    expect(a.getResult()).toEqual({ greeting: "hello a", shout: "HELLO A" });
    expect(b.getResult()).toBe(6);
    expect(c.getResult()).toEqual({ greeting: "hello c", shout: "HELLO C" });
    expect(a.getInvocations()).toHaveLength(2);
    expect(b.getInvocations()).toHaveLength(5);
    expect(c.getInvocations()).toHaveLength(2);
    expect(slow.getOperation("greet").getStepDetails()?.result).toBe("hello a");
    expect(realTime.getOperation("greet").getStepDetails()?.result).toBe("hello c");
    expect(fast.getOperation("add-3").getStepDetails()?.result).toBe(3);
  });

  it("runs on a store passed in, e.g. the file store, and leaves the execution there", async () => {
    const directory = await mkdtemp(join(tmpdir(), "cairn-runner-"));
    try {
      const store = new FileExecutionStore(directory);
      const runner = new LocalDurableTestRunner({ handlerFunction: waitingHandler(120), skipTime: true, store });
      const result = await runner.run({ payload: { who: "file" }, executionName: "on-disk" });
      expect(result.getStatus()).toBe("SUCCEEDED");
      // A second service over the same directory reads what the run wrote.
      const reader = new CheckpointService({ store: new FileExecutionStore(directory) });
      const stored = await reader.getExecution(result.getExecutionArn());
      expect(stored.status).toBe("SUCCEEDED");
      expect(stored.executionName).toBe("on-disk");
      expect(structure(await reader.getHistory(result.getExecutionArn()))).toEqual(structure(result.getHistoryEvents()));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
