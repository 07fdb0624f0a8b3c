// What a map item that waits costs while the invocation that replays it runs: a map of 100 000
// items each waiting holds all of it until the invocation suspends, so the collector copies it and
// replay slows down (testing/bench: `map-open`). Counted in promises the replay creates per item,
// which is what each async frame, `then` and rejection handler on the way adds.
import { createHook } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { withDurableExecution } from "../../handler/with-durable-execution.js";
import { invokeOnce } from "../../orchestrator/invocation.js";
import { CheckpointService } from "../../service/checkpoint-service.js";
import { VirtualClock } from "../../service/clock.js";
import { MemoryExecutionStore } from "../../service/memory-store.js";

/** Promises created by the third invocation of a map over `n` items, each a step then a wait still open. */
async function promisesOfReplay(n: number): Promise<number> {
  const items = Array.from({ length: n }, (_, i) => i);
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.map("items", items, async (item, value) => {
      await item.step(async () => value);
      await item.wait({ hours: 1 });
    });
  });
  const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock });
  const { executionArn } = await service.startExecution({ input: "{}" });
  let invocationNumber = 0;
  const invoke = async () => {
    const { record } = await invokeOnce({ service, clock, handler, executionArn, invocationNumber: ++invocationNumber, invocationTimeoutMs: 3_600_000 });
    expect(record.outcome.kind === "returned" && record.outcome.output.Status).toBe("PENDING");
  };
  await invoke();
  await invoke();
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") promises++;
    },
  }).enable();
  try {
    await invoke();
  } finally {
    hook.disable();
  }
  return promises;
}

describe("a map item waiting on a replayed wait", () => {
  it("costs the replay about 10 promises: its function's and its wait's, no frame of the map's own", async () => {
    // The difference cancels what the invocation costs whatever the map's size.
    const perItem = ((await promisesOfReplay(300)) - (await promisesOfReplay(100))) / 200;
    // 10.05 on an idle machine and 11 on a busy one (one more somewhere on the item's path when
    // the replay runs slowly), most of them the item function's own: its promise, its `await` of
    // a step and of a wait (the wait being a thenable). 17.05 when each item also ran in two async
    // frames, the batch's and the child context's, and its wait's end carried a `then` and a
    // rejection handler. One frame back (two promises more) fails this, busy machine or not.
    expect(perItem).toBeLessThan(12);
  });
});
