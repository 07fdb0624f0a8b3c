// A map long enough for the file store to let go of settled operations while it runs, killed with
// SIGKILL mid-map and resumed by another `cairn` process: the resumed run must see every operation
// the first one stored (read back from the log), finish with the right result, and re-run only
// what was in flight.
import { expect, it } from "vitest";
import { EXECUTION_ID, eventually, fixture, runCli, sideEffects, startCli } from "./test-support/spawn-cli.js";
import { storeEachTest } from "./test-support/store-each-test.js";

const ITEMS = 3000; // 6 002 operations: past the 4 096 the store holds before letting go of settled ones
const IN_FLIGHT = 20; // the map's maxConcurrency

const dir = storeEachTest();

it("resumes a long map killed mid-way: every stored item kept, only in-flight items run again", async () => {
  const env = { CAIRN_FIXTURE_LOG: dir.effects, CAIRN_FIXTURE_HANG: String(ITEMS) };
  const running = startCli(["run", fixture("long-map.mjs"), "--store", dir.store, "--input", JSON.stringify({ items: ITEMS })], { env });
  const [, id] = await running.waitForOutput(EXECUTION_ID);
  // Every item has run its step once; the last one hangs until the process is killed.
  await eventually(() => sideEffects(dir.effects).length >= ITEMS, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  running.child.kill("SIGKILL");
  expect((await running.done).signal).toBe("SIGKILL");

  const resumed = await runCli(["resume", id as string, fixture("long-map.mjs"), "--store", dir.store], { env });
  expect(resumed.code, resumed.stderr).toBe(0);

  const inspected = await runCli(["inspect", id as string, "--store", dir.store, "--json"]);
  expect(inspected.code, inspected.stderr).toBe(0);
  const execution = JSON.parse(inspected.stdout) as { status: string; result: unknown; operations: { Id: string; Status: string }[] };
  expect(execution.status).toBe("SUCCEEDED");
  expect(execution.result).toEqual({ succeeded: ITEMS, sum: ITEMS * (ITEMS - 1) });
  const ids = execution.operations.map((op) => op.Id);
  expect(ids).toHaveLength(2 + 2 * ITEMS);
  expect(new Set(ids).size).toBe(ids.length);
  expect(execution.operations.every((op) => op.Status === "SUCCEEDED")).toBe(true);

  // Each item ran once, except those in flight at the kill (the hanging last one among them).
  const runs = new Map<string, number>();
  for (const line of sideEffects(dir.effects)) runs.set(line, (runs.get(line) ?? 0) + 1);
  expect(runs.size).toBe(ITEMS);
  const again = [...runs].filter(([, n]) => n > 1);
  expect(again.every(([, n]) => n === 2)).toBe(true);
  expect(again.map(([item]) => item)).toContain(`item ${ITEMS - 1}`);
  expect(again.length).toBeLessThanOrEqual(IN_FLIGHT);
}, 180_000);
