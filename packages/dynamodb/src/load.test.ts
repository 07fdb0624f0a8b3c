// Load on loopback: N executions x M steps through 4 worker processes on one table. Prints the
// throughput and the DynamoDB requests per checkpointed step (counted by client middleware in
// every worker and in the starting client). Bounded to run in CI on two cores.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { createCairnClient } from "./client.js";
import { buildWorkerChild, spawnWorker } from "./test-support/child-worker.js";
import { createTestTable } from "./test-support/tables.js";

it("runs 40 executions x 10 steps through 4 worker processes", async () => {
  const EXECUTIONS = 40;
  const STEPS = 10;
  const script = await buildWorkerChild();
  const table = await createTestTable();
  const ledger = join(mkdtempSync(join(tmpdir(), "cairn-load-")), "ledger.txt");
  writeFileSync(ledger, "");
  const client = createCairnClient({ table });
  const workers = Array.from({ length: 4 }, (_, i) => spawnWorker(script, [inject("dynamoDbEndpoint"), table.tableName, ledger, `load-${i}`, "30000"]));
  const finalCounts = workers.map(
    (child) =>
      new Promise<number>((resolve) => {
        let last = 0;
        createInterface({ input: child.stdout! }).on("line", (line) => {
          const match = /requests=(\d+)/.exec(line);
          if (match) last = Number(match[1]);
        });
        child.on("exit", () => resolve(last));
      }),
  );
  const began = Date.now();
  const started = await Promise.all(
    Array.from({ length: EXECUTIONS }, (_, i) => client.start({ handlerName: "ledger", input: { name: `load-${i}`, steps: STEPS } })),
  );
  let statuses = await Promise.all(started.map(async (s) => (await client.getExecution(s.executionArn)).status));
  while (statuses.some((s) => s === "RUNNING") && Date.now() - began < 120_000) {
    await sleep(250);
    statuses = await Promise.all(started.map(async (s) => (await client.getExecution(s.executionArn)).status));
  }
  const elapsedMs = Date.now() - began;
  for (const child of workers) child.kill("SIGTERM");
  const workerRequests = (await Promise.all(finalCounts)).reduce((a, b) => a + b, 0);
  const steps = EXECUTIONS * STEPS;
  console.log(
    `load test: ${EXECUTIONS} executions x ${STEPS} steps on 4 worker processes in ${elapsedMs} ms ` +
      `(${Math.round((steps / elapsedMs) * 1000)} steps/s); worker DynamoDB requests: ${workerRequests} ` +
      `(${(workerRequests / steps).toFixed(2)} per checkpointed step, polling included)`,
  );
  expect(statuses.every((s) => s === "SUCCEEDED")).toBe(true);
  expect(workerRequests).toBeGreaterThan(0);
  await table.drop();
}, 180_000);
