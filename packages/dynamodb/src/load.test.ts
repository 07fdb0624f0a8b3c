// Load on loopback: N executions x M steps through 4 worker processes on one table. Prints the
// throughput and the DynamoDB requests per checkpointed step (counted by client middleware in
// every worker, by command). Bounded to run in CI on two cores.
//
// The clock starts once every worker is polling, and completion is watched through the workers'
// own reports (one line per invocation) rather than by polling the table, so the measurement is
// not slowed down by its own observer; the outcome is checked in the table once at the end.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect, inject, it } from "vitest";
import { createCairnClient } from "./client.js";
import { buildWorkerChild, spawnWorker } from "./test-support/child-worker.js";
import { readLedger } from "./test-support/ledger-workflow.js";
import { createTestTable } from "./test-support/tables.js";

it("runs 40 executions x 10 steps through 4 worker processes", async () => {
  const EXECUTIONS = 40;
  const STEPS = 10;
  const WORKERS = 4;
  const script = await buildWorkerChild();
  const table = await createTestTable();
  const ledger = join(mkdtempSync(join(tmpdir(), "cairn-load-")), "ledger.txt");
  writeFileSync(ledger, "");
  const client = createCairnClient({ table });

  const succeeded = new Set<string>();
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const workers = Array.from({ length: WORKERS }, (_, i) =>
    spawnWorker(script, [inject("dynamoDbEndpoint"), table.tableName, ledger, `load-${i}`, "30000", "100"]),
  );
  const reports = workers.map((child) => {
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const final = new Promise<{ requests: number; byCommand: Record<string, number> }>((resolve) => {
      let last = { requests: 0, byCommand: {} as Record<string, number> };
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line === "ready") ready();
        const invocation = /^invocation (\S+) SUCCEEDED/.exec(line);
        if (invocation) {
          succeeded.add(invocation[1]!);
          if (succeeded.size === EXECUTIONS) allDone();
        }
        const totals = /^requests=(\d+) (\{.*\})$/.exec(line);
        if (totals) last = { requests: Number(totals[1]), byCommand: JSON.parse(totals[2]!) as Record<string, number> };
      });
      child.on("exit", () => resolve(last));
    });
    return { isReady, final };
  });
  await Promise.all(reports.map((r) => r.isReady));

  const began = Date.now();
  const started = await Promise.all(
    Array.from({ length: EXECUTIONS }, (_, i) => client.start({ handlerName: "ledger", input: { name: `load-${i}`, steps: STEPS } })),
  );
  const timeout = setTimeout(allDone, 120_000);
  await done;
  clearTimeout(timeout);
  const elapsedMs = Date.now() - began;
  for (const child of workers) child.kill("SIGTERM");
  const finals = await Promise.all(reports.map((r) => r.final));

  const statuses = await Promise.all(started.map(async (s) => (await client.getExecution(s.executionArn)).status));
  expect(statuses.every((s) => s === "SUCCEEDED")).toBe(true);
  // No crash: every step body ran exactly once.
  const runs = readLedger(readFileSync(ledger, "utf8"));
  expect([...runs.values()].every((steps) => steps.size === STEPS && [...steps.values()].every((b) => b.length === 1))).toBe(true);

  const steps = EXECUTIONS * STEPS;
  const workerRequests = finals.reduce((sum, f) => sum + f.requests, 0);
  const byCommand: Record<string, number> = {};
  for (const f of finals) for (const [name, n] of Object.entries(f.byCommand)) byCommand[name] = (byCommand[name] ?? 0) + n;
  const perStep = Object.entries(byCommand)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name.replace(/Command$/, "")} ${(n / steps).toFixed(2)}`)
    .join(", ");
  console.log(
    `load test: ${EXECUTIONS} executions x ${STEPS} steps on ${WORKERS} worker processes in ${elapsedMs} ms ` +
      `(${Math.round((steps / elapsedMs) * 1000)} steps/s); worker DynamoDB requests: ${workerRequests} ` +
      `(${(workerRequests / steps).toFixed(2)} per checkpointed step, polling included: ${perStep})`,
  );
  expect(workerRequests).toBeGreaterThan(0);
  await table.drop();
}, 180_000);
