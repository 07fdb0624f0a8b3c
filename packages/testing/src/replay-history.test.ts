// Executions recorded by the real service and orchestrator, replayed against changed handlers.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDurableExecution, type DurableContext, type DurableLambdaHandler, type HistoryEvent } from "@cairn/sdk";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { VirtualClock, runExecution } from "@cairn/sdk/orchestrator";
import { afterEach, describe, expect, it } from "vitest";
import { LocalDurableTestRunner, expectHistoriesReplay, replayHistory, replayHistoryDirectory } from "./index.js";

/** Step bodies run, across every handler of this file: a replay must never add to it. */
const bodies = { count: 0 };
const body =
  <T>(value: T) =>
  async (): Promise<T> => {
    bodies.count++;
    return value;
  };

type Body = (ctx: DurableContext) => Promise<unknown>;
const durable = (fn: Body): DurableLambdaHandler => withDurableExecution(async (_event: unknown, ctx: DurableContext) => fn(ctx));

const ORIGINAL: Body = async (ctx) => {
  const order = await ctx.step("load", body({ id: "o-1", total: 30 }));
  await ctx.wait("cool-off", { seconds: 10 });
  const receipt = await ctx.step("charge", body(`charged ${order.total}`));
  return { order, receipt };
};

/** Records one execution of `fn` with time skipped; returns what `cairn inspect --json --history` prints. */
async function record(fn: Body): Promise<{ status: string; operations: unknown[]; history: HistoryEvent[] }> {
  const clock = new VirtualClock();
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const { execution } = await runExecution({ service, clock, handler: durable(fn), target: { start: { input: JSON.stringify({ orderId: "o-1" }) } } });
  const [operations, history] = await Promise.all([service.getOperations(execution.executionArn), service.getHistory(execution.executionArn)]);
  // Through JSON, as a committed fixture is read back: timestamps become strings.
  return JSON.parse(JSON.stringify({ id: "e-1", status: execution.status, operations, history })) as never;
}

/** The history as it was while the execution ran: its first `count` events, without the end. */
const prefix = (history: HistoryEvent[], count: number): HistoryEvent[] => history.slice(0, count);

afterEach(() => {
  // Every test replays only; recording happens before the counter is reset in each test.
  expect(bodies.count).toBe(0);
});

async function recorded(fn: Body = ORIGINAL): Promise<Awaited<ReturnType<typeof record>>> {
  const result = await record(fn);
  bodies.count = 0;
  return result;
}

describe("replayHistory against a completed execution", () => {
  it("the unchanged handler replays every operation of each export shape without running a step body", async () => {
    const file = await recorded();
    expect(file.status).toBe("SUCCEEDED");
    for (const history of [file, { Events: file.history }, file.history, JSON.stringify(file)]) {
      await expect(replayHistory({ handler: durable(ORIGINAL), history })).resolves.toEqual({ ok: true, replayedOperations: 3 });
    }
  });

  it("reads the history events of a LocalDurableTestRunner result", async () => {
    const run = await new LocalDurableTestRunner({ handlerFunction: durable(ORIGINAL), skipTime: true }).run({ payload: { orderId: "o-1" } });
    expect(run.getStatus()).toBe("SUCCEEDED");
    bodies.count = 0;
    await expect(replayHistory({ handler: durable(ORIGINAL), history: run.getHistoryEvents() })).resolves.toEqual({ ok: true, replayedOperations: 3 });
    const renamed: Body = async (ctx) => ctx.step("fetch", body(1));
    await expect(replayHistory({ handler: durable(renamed), history: run.getHistoryEvents() })).resolves.toMatchObject({
      ok: false,
      divergence: { operationId: "1", expected: { name: "load" }, actual: { name: "fetch" } },
    });
  });

  it("a renamed step diverges at its position, naming both names", async () => {
    const file = await recorded();
    const renamed: Body = async (ctx) => {
      await ctx.step("load-order", body({ total: 30 }));
      await ctx.wait("cool-off", { seconds: 10 });
      return ctx.step("charge", body("x"));
    };
    const result = await replayHistory({ handler: durable(renamed), history: file });
    expect(result).toMatchObject({
      ok: false,
      replayedOperations: 0,
      divergence: {
        operationId: "1",
        position: 1,
        expected: { type: "STEP", name: "load" },
        actual: { type: "STEP", name: "load-order" },
      },
    });
    expect(!result.ok && result.divergence.message).toContain('"load-order"');
  });

  it("reordered operations diverge at the first one that moved", async () => {
    const file = await recorded();
    const reordered: Body = async (ctx) => {
      const order = await ctx.step("load", body({ total: 30 }));
      await ctx.step("charge", body(`charged ${order.total}`));
      await ctx.wait("cool-off", { seconds: 10 });
    };
    const result = await replayHistory({ handler: durable(reordered), history: file.history });
    expect(result).toMatchObject({
      ok: false,
      replayedOperations: 1,
      divergence: { operationId: "2", position: 2, expected: { type: "WAIT", name: "cool-off" }, actual: { type: "STEP", name: "charge" } },
    });
  });

  it("an operation inserted in the middle diverges where it was inserted", async () => {
    const file = await recorded();
    const inserted: Body = async (ctx) => {
      await ctx.step("load", body({ total: 30 }));
      await ctx.step("check-fraud", body(true));
      await ctx.wait("cool-off", { seconds: 10 });
      return ctx.step("charge", body("x"));
    };
    const result = await replayHistory({ handler: durable(inserted), history: { Events: file.history } });
    expect(result).toMatchObject({
      ok: false,
      divergence: { operationId: "2", expected: { type: "WAIT", name: "cool-off" }, actual: { type: "STEP", name: "check-fraud" } },
    });
  });

  it("a wait turned into a step diverges on the type", async () => {
    const file = await recorded();
    const changed: Body = async (ctx) => {
      await ctx.step("load", body({ total: 30 }));
      await ctx.step("cool-off", body(undefined));
      return ctx.step("charge", body("x"));
    };
    const result = await replayHistory({ handler: durable(changed), history: file });
    expect(result).toMatchObject({
      ok: false,
      divergence: { operationId: "2", expected: { type: "WAIT", subType: "Wait", name: "cool-off" }, actual: { type: "STEP", subType: "Step", name: "cool-off" } },
    });
  });

  it("an operation appended after the end of an ended execution is a divergence", async () => {
    const file = await recorded();
    const appended: Body = async (ctx) => {
      await ORIGINAL(ctx);
      await ctx.step("notify", body(undefined));
    };
    const result = await replayHistory({ handler: durable(appended), history: file });
    expect(result).toMatchObject({
      ok: false,
      replayedOperations: 3,
      divergence: { operationId: "4", position: 4, expected: undefined, actual: { type: "STEP", name: "notify" } },
    });
  });

  it("a recorded operation the handler no longer calls is a divergence", async () => {
    const file = await recorded();
    const dropped: Body = async (ctx) => {
      await ctx.step("load", body({ total: 30 }));
      await ctx.wait("cool-off", { seconds: 10 });
    };
    const result = await replayHistory({ handler: durable(dropped), history: file });
    expect(result).toMatchObject({
      ok: false,
      replayedOperations: 2,
      divergence: { operationId: "3", expected: { type: "STEP", name: "charge" }, actual: undefined },
    });
  });

  it("a completed map replays from its recorded items, and a running child context is checked inside", async () => {
    const nested = (label: string): Body => async (ctx) => {
      const totals = await ctx.map("price", [1, 2, 3], async (child, item) => child.step(`price-${item}`, body(item * 10)));
      return ctx.runInChildContext("ship", async (child) => {
        await child.step(label, body(totals.getResults().length));
        return child.waitForCallback("pickup", async () => undefined);
      });
    };
    const file = await recorded(nested("label"));
    expect(file.status).toBe("RUNNING");
    // The map and its three items, the child context, its step, and the waitForCallback context
    // with its callback and the step that handed the callback id out.
    await expect(replayHistory({ handler: durable(nested("label")), history: file })).resolves.toEqual({ ok: true, replayedOperations: 9 });
    const result = await replayHistory({ handler: durable(nested("print-label")), history: file });
    expect(result).toMatchObject({
      ok: false,
      replayedOperations: 5,
      divergence: { operationId: "2-1", expected: { type: "STEP", name: "label" }, actual: { type: "STEP", name: "print-label" } },
    });
  });
  it("a handler that now throws on the recorded results diverges, naming the error", async () => {
    const file = await recorded();
    const reshaped: Body = async (ctx) => {
      const order = await ctx.step("load", body({ lines: [{ total: 30 }] }));
      // The recorded result has no `lines`: this throws a TypeError on replay.
      const total = order.lines.reduce((sum, line) => sum + line.total, 0);
      await ctx.wait("cool-off", { seconds: 10 });
      return ctx.step("charge", body(`charged ${total}`));
    };
    for (const history of [file, file.history]) {
      const result = await replayHistory({ handler: durable(reshaped), history });
      expect(result).toMatchObject({ ok: false, replayedOperations: 1, divergence: { operationId: "0", expected: undefined, actual: undefined } });
      expect(!result.ok && result.divergence.message).toMatch(/is SUCCEEDED, but the handler now fails after 1 replayed operation\(s\) with TypeError/);
    }
  });

  it("a map over fewer items than recorded is reported from the engine's own check", async () => {
    const mapOver = (items: number[]): Body => async (ctx) => ctx.map("price", items, async (child, item) => child.step(`price-${item}`, body(item)));
    const file = await recorded(mapOver([1, 2, 3]));
    expect(file.status).toBe("SUCCEEDED");
    const result = await replayHistory({ handler: durable(mapOver([1, 2])), history: file });
    expect(result).toMatchObject({ ok: false, divergence: { operationId: "1", expected: { type: "CONTEXT", subType: "Map", name: "price" } } });
    expect(!result.ok && result.divergence.message).toMatch(/Replay mismatch/);
  });
});

describe("replayHistory against a running execution", () => {
  it("new operations after the recorded prefix are where the new code carries on: success", async () => {
    const file = await recorded();
    // Read while the wait was pending: ExecutionStarted, load's two events and WaitStarted.
    const running = prefix(file.history, 4);
    expect(running.map((e) => e.EventType)).toEqual(["ExecutionStarted", "StepStarted", "StepSucceeded", "WaitStarted"]);
    await expect(replayHistory({ handler: durable(ORIGINAL), history: running })).resolves.toEqual({ ok: true, replayedOperations: 2 });

    // The wait ended and nothing after it was recorded yet: a new step there is fine.
    const afterWait = file.history.filter((e) => e.Name !== "charge" && !e.EventType.startsWith("Execution") || e.EventType === "ExecutionStarted");
    const appended: Body = async (ctx) => {
      await ctx.step("load", body({ total: 30 }));
      await ctx.wait("cool-off", { seconds: 10 });
      await ctx.step("audit", body(undefined));
    };
    await expect(replayHistory({ handler: durable(appended), history: afterWait })).resolves.toEqual({
      ok: true,
      replayedOperations: 2,
      stoppedAt: { operationId: "3", reason: "past-recording" },
    });
  });

  it("a change before the end of the prefix still diverges", async () => {
    const file = await recorded();
    const renamed: Body = async (ctx) => {
      await ctx.step("fetch", body({ total: 30 }));
    };
    const result = await replayHistory({ handler: durable(renamed), history: prefix(file.history, 4) });
    expect(result).toMatchObject({ ok: false, divergence: { operationId: "1", expected: { name: "load" }, actual: { name: "fetch" } } });
  });

  it("a step recorded in flight stops the replay there without running its body", async () => {
    const file = await recorded();
    const inFlight = prefix(file.history, 2); // ExecutionStarted, StepStarted of load
    await expect(replayHistory({ handler: durable(ORIGINAL), history: inFlight })).resolves.toEqual({
      ok: true,
      replayedOperations: 1,
      stoppedAt: { operationId: "1", reason: "in-flight" },
    });
  });

  it("an execution waiting on a callback replays up to the callback, with operations appended after it", async () => {
    const withCallback: Body = async (ctx) => {
      await ctx.step("load", body(1));
      const approval = await ctx.waitForCallback("approval", async () => undefined);
      return ctx.step("ship", body(approval));
    };
    const file = await recorded(withCallback);
    expect(file.status).toBe("RUNNING");
    const more: Body = async (ctx) => {
      await withCallback(ctx);
      await ctx.step("notify", body(undefined));
    };
    const result = await replayHistory({ handler: durable(more), history: file });
    expect(result.ok).toBe(true);
  });
});

describe("replayHistory input", () => {
  it("names the problem with something that is not a recording", async () => {
    await expect(replayHistory({ handler: durable(ORIGINAL), history: { foo: 1 } })).rejects.toThrow(/neither `operations` nor `Events`/);
    await expect(replayHistory({ handler: durable(ORIGINAL), history: [{ Id: "1" }] })).rejects.toThrow(/history\[0\] is not a history event/);
    await expect(replayHistory({ handler: durable(ORIGINAL), history: "{" })).rejects.toThrow(/not valid JSON/);
    await expect(replayHistory({ handler: durable(ORIGINAL), history: { operations: [] } })).rejects.toThrow(/status is missing/);
  });
});

describe("a folder of recorded executions", () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("replays each file and reports the ones that diverge by name", async () => {
    directory = await mkdtemp(join(tmpdir(), "cairn-histories-"));
    const file = await recorded();
    await writeFile(join(directory, "a-completed.json"), JSON.stringify(file));
    await writeFile(join(directory, "b-waiting.json"), JSON.stringify({ Events: prefix(file.history, 4) }));
    await writeFile(join(directory, "notes.txt"), "not a history");

    const results = await replayHistoryDirectory({ handler: durable(ORIGINAL), directory });
    expect(results.map((r) => [r.file.slice(directory!.length + 1), r.result.ok])).toEqual([
      ["a-completed.json", true],
      ["b-waiting.json", true],
    ]);
    await expect(expectHistoriesReplay({ handler: durable(ORIGINAL), directory })).resolves.toHaveLength(2);

    const renamed: Body = async (ctx) => ctx.step("load-order", body(1));
    await expect(expectHistoriesReplay({ handler: durable(renamed), directory })).rejects.toThrow(
      /2 of 2 recorded executions diverge:\n.*a-completed\.json: operation 1 was recorded as STEP\/Step "load"/,
    );
  });

  it("refuses an empty folder, so a wrong path cannot pass", async () => {
    directory = await mkdtemp(join(tmpdir(), "cairn-histories-"));
    await expect(expectHistoriesReplay({ handler: durable(ORIGINAL), directory })).rejects.toThrow(/holds no \.json history/);
  });
});
