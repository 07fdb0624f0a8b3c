// The order-fulfilment example (examples/src/order-fulfilment) on DynamoDB Local with two worker
// processes: examples/src/order-fulfilment-dynamodb/worker.ts, bundled and run as it would be
// deployed. Every order goes through a retry (1 s), a parallel and a wait (2 s), so the orders
// suspend and are picked up again, by either worker; one worker is killed with SIGKILL midway.
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, inject, it } from "vitest";
import { createCairnClient } from "./client.js";
import { buildWorkerChild, spawnWorker } from "./test-support/child-worker.js";
import { createTestTable } from "./test-support/tables.js";

const WORKER = new URL("../../../examples/src/order-fulfilment-dynamodb/worker.ts", import.meta.url);
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

interface Report {
  worker?: string;
  order?: string;
  status?: string;
  ready?: boolean;
}

it("confirms every order with two worker processes, one of them killed midway", async () => {
  const script = await buildWorkerChild(WORKER);
  const table = await createTestTable();
  const client = createCairnClient({ table });
  const reports: Report[] = [];
  const start = (id: string) => {
    const child = spawnWorker(script, [id], { CAIRN_DYNAMODB_ENDPOINT: inject("dynamoDbEndpoint"), CAIRN_TABLE: table.tableName, CAIRN_LEASE_MS: "2000" });
    children.add(child);
    const ready = new Promise<void>((resolve) =>
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const report = JSON.parse(line) as Report;
        reports.push(report);
        if (report.ready) resolve();
      }),
    );
    return { child, ready };
  };
  const a = start("worker-a");
  const b = start("worker-b");
  await Promise.all([a.ready, b.ready]);

  const orderIds = Array.from({ length: 8 }, (_, i) => `ord-${2001 + i}`);
  const started = await Promise.all(orderIds.map((orderId) => client.start({ handlerName: "orders", executionName: orderId, input: { orderId } })));
  // Once worker-a has handled some invocations, it dies without warning; worker-c replaces it later.
  while (!reports.some((r) => r.worker === "worker-a" && r.order)) await sleep(20);
  a.child.kill("SIGKILL");
  const c = start("worker-c");
  await c.ready;

  const deadline = Date.now() + 90_000;
  let summaries = await Promise.all(started.map((s) => client.getExecution(s.executionArn)));
  while (summaries.some((s) => s.status === "RUNNING") && Date.now() < deadline) {
    await sleep(250);
    summaries = await Promise.all(started.map((s) => client.getExecution(s.executionArn)));
  }
  for (const summary of summaries) {
    expect(summary.status).toBe("SUCCEEDED");
    const outcome = JSON.parse(summary.result!) as { status: string; orderId: string; totalCents: number; paymentId: string };
    expect(outcome).toMatchObject({ status: "CONFIRMED", orderId: summary.executionName, totalCents: 18_895 });
    expect(outcome.paymentId).toBe(`pay_${summary.executionName}_18895`);
    // The card was charged by exactly one attempt, whichever worker ran it.
    const charges = (await client.getHistory(summary.executionArn)).filter((e) => e.EventType === "StepStarted" && e.Name === "charge-card");
    expect(charges).toHaveLength(1);
  }
  // The killed worker took part, and so did the others.
  const ranBy = new Set(reports.filter((r) => r.order).map((r) => r.worker));
  expect(ranBy.has("worker-a")).toBe(true);
  expect(ranBy.has("worker-b") || ranBy.has("worker-c")).toBe(true);
  b.child.kill("SIGTERM");
  c.child.kill("SIGTERM");
  await table.drop();
}, 150_000);
