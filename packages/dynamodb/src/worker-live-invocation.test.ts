// A wait in one branch ends while another branch's step runs: the worker's invocation carries on
// with it (its checkpoint responses report the wait's end), as AWS does, instead of spending one
// invocation on each wait.
import { withDurableExecution } from "@cairn/sdk";
import { afterEach, expect, it } from "vitest";
import { createCairnClient } from "./client.js";
import { createWorker, type Worker } from "./worker.js";
import { until } from "./test-support/until.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await table?.drop();
  table = undefined;
});

it("finishes two waits during a long step in one invocation", async () => {
  table = await createTestTable();
  let waitsDone!: () => void;
  const waited = new Promise<void>((resolve) => (waitsDone = resolve));
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    let count = 0; // in-memory state across the waits
    const result = await ctx.parallel([
      async (c) =>
        c.step("long", async () => {
          // Runs until the other branch is through its waits; fails rather than hangs.
          const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the waits never ended during the step")), 8000));
          await Promise.race([waited, timeout]);
          return "done";
        }),
      async (c) => {
        for (let i = 0; i < 2; i++) {
          await c.wait({ seconds: 1 });
          count++;
        }
        waitsDone();
        return count;
      },
    ]);
    return result.getResults();
  });
  const client = createCairnClient({ table });
  workers.push(createWorker({ table, handlers: { live: handler }, pollIntervalMs: 50 }));
  workers.forEach((w) => w.start());
  const { executionArn } = await client.start({ handlerName: "live", input: {} });
  const summary = await until("success", async () => {
    const s = await client.getExecution(executionArn);
    return s.status === "RUNNING" ? undefined : s;
  });
  expect(summary.status).toBe("SUCCEEDED");
  expect(JSON.parse(summary.result!)).toEqual(["done", 2]);
  const events = (await client.getHistory(executionArn)).map((e) => e.EventType);
  expect(events.filter((e) => e === "InvocationCompleted")).toHaveLength(1);
  expect(events.filter((e) => e === "WaitSucceeded")).toHaveLength(2);
}, 30_000);
