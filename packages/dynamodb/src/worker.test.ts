import { ExecutionClosedError } from "@cairn/sdk/service";
import { withDurableExecution } from "@cairn/sdk";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient } from "./client.js";
import { createWorker, type Worker } from "./worker.js";
import { ledgerHandler, readLedger } from "./test-support/ledger-workflow.js";
import { until } from "./test-support/until.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await table?.drop();
  table = undefined;
});

function ledgerFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "cairn-ledger-")), "ledger.txt");
  writeFileSync(file, "");
  return file;
}

describe("worker pool", () => {
  it("runs executions through a wait on two workers, each step once, and start is idempotent", async () => {
    table = await createTestTable();
    const ledger = ledgerFile();
    const client = createCairnClient({ table });
    for (const id of ["a", "b"]) {
      workers.push(createWorker({ table, handlers: { ledger: ledgerHandler(ledger) }, concurrency: 2, pollIntervalMs: 50, workerId: id }));
    }
    workers.forEach((w) => w.start());
    const started = await Promise.all(
      ["e1", "e2", "e3"].map((name) => client.start({ handlerName: "ledger", executionName: name, input: { name, steps: 4, waitSeconds: 1 } })),
    );
    const again = await client.start({ handlerName: "ledger", executionName: "e1", input: { name: "e1", steps: 4, waitSeconds: 1 } });
    expect(again.executionArn).toBe(started[0]!.executionArn);

    const done = await Promise.all(
      started.map((s) =>
        until("success", async () => {
          const summary = await client.getExecution(s.executionArn);
          if (process.env.DEBUG_H4) console.log(summary.executionName, summary.status, (await client.getHistory(s.executionArn)).map((e) => e.EventType).join(","));
          return summary.status === "RUNNING" ? undefined : summary;
        }),
      ),
    );
    const runs = readLedger(readFileSync(ledger, "utf8"));
    for (const summary of done) {
      expect(summary.status).toBe("SUCCEEDED");
      const nonces = JSON.parse(summary.result!) as string[];
      const steps = runs.get(summary.executionName)!;
      // No crash: every step body ran exactly once, and its result is the one stored.
      expect([...steps.values()]).toEqual(nonces.map((n) => [n]));
      const history = await client.getHistory(summary.executionArn);
      expect(history.filter((e) => e.EventType === "WaitSucceeded")).toHaveLength(1);
    }
    expect((await client.listExecutions()).map((s) => s.executionName)).toEqual(["e1", "e2", "e3"]);
  });

  it("clears the due time of finished executions (nothing left for runOnce)", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const worker = createWorker({ table, handlers: { hello: withDurableExecution(async (e: { who: string }) => `hi ${e.who}`) } });
    const { executionArn } = await client.start({ handlerName: "hello", input: { who: "ann" } });
    expect(await worker.runOnce()).toEqual({ handled: 1 });
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"hi ann"' });
    expect(await worker.runOnce()).toEqual({ handled: 0 });
  });

  it("fences an invocation that lost its lease: its late checkpoint is refused and the new owner's result stands", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const ran: string[] = [];
    const slowHandler = withDurableExecution(async (_e: unknown, ctx) => {
      return ctx.step("pay", async () => {
        ran.push("slow");
        await gate;
        return "slow-result";
      });
    });
    const fastHandler = withDurableExecution(async (_e: unknown, ctx) => ctx.step("pay", async () => (ran.push("fast"), "fast-result")));
    const errors: unknown[] = [];
    // A stalls: its lease is never renewed in time (renewal slower than the lease).
    const a = createWorker({ table, handlers: { pay: slowHandler }, leaseMs: 600, renewEveryMs: 60_000, workerId: "A", onError: (e) => errors.push(e) });
    const b = createWorker({ table, handlers: { pay: fastHandler }, leaseMs: 600, workerId: "B" });
    const { executionArn } = await client.start({ handlerName: "pay", input: {} });
    const aRun = a.runOnce();
    await until("A to run the step", async () => (ran.includes("slow") ? true : undefined));
    await sleep(800); // A's lease has expired
    expect(await b.runOnce()).toEqual({ handled: 1 });
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"fast-result"' });
    release();
    await aRun;
    const summary = await client.getExecution(executionArn);
    expect(summary).toMatchObject({ status: "SUCCEEDED", result: '"fast-result"' });
    const ops = await client.getOperations(executionArn);
    expect(ops.find((op) => op.Name === "pay")?.StepDetails?.Result).toBe('"fast-result"');
    const history = await client.getHistory(executionArn);
    const completed = history.filter((e) => e.EventType === "InvocationCompleted");
    expect(completed).toHaveLength(2);
    expect(completed[0]?.InvocationCompletedDetails?.Error?.Payload?.ErrorType).toBe("Invocation.Abandoned");
  });

  it("stops an execution: STOPPED, history records it, and workers leave it alone", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const worker = createWorker({ table, handlers: { hello: withDurableExecution(async () => "x") } });
    const { executionArn } = await client.start({ handlerName: "hello" });
    const stopped = await client.stop(executionArn, { ErrorType: "Operator", ErrorMessage: "cancelled by support" });
    expect(stopped).toMatchObject({ status: "STOPPED", error: { ErrorMessage: "cancelled by support" } });
    expect((await client.getHistory(executionArn)).at(-1)?.EventType).toBe("ExecutionStopped");
    expect(await worker.runOnce()).toEqual({ handled: 0 });
    await expect(client.stop(executionArn)).rejects.toThrow(ExecutionClosedError);
  });

  it("rejects bad input before writing anything", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    await expect(client.start({ handlerName: "" })).rejects.toThrow(/handlerName/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(client.start({ handlerName: "x", input: cyclic })).rejects.toThrow(/start: input cannot be serialized/);
    expect(await client.listExecutions()).toEqual([]);
    expect(() => createWorker({ table: table!, handlers: {} })).toThrow(/handlers/);
    expect(() => createWorker({ table: table!, handlers: { a: withDurableExecution(async () => 1) }, concurrency: 0 })).toThrow(/concurrency/);
    // Settings read from unset environment variables: NaN, an empty id.
    const handlers = { a: withDurableExecution(async () => 1) };
    expect(() => createWorker({ table: table!, handlers, invocationTimeoutMs: Number.NaN })).toThrow(
      /createWorker: invocationTimeoutMs must be a positive integer, got NaN/,
    );
    expect(() => createWorker({ table: table!, handlers, invocationTimeoutMs: -5 })).toThrow(/invocationTimeoutMs/);
    expect(() => createWorker({ table: table!, handlers, workerId: "" })).toThrow(/createWorker: workerId must be a non-empty string, got ""/);
  });
});
