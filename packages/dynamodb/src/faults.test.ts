// Fault tests: workers killed with SIGKILL at random points, and a throttling DynamoDB. Every
// execution must finish with every step's stored result, and a step whose result was stored must
// never run again (checked against a ledger the step bodies write outside the workers).
import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { withDurableExecution } from "@cairn/sdk";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCairnClient } from "./client.js";
import { createWorker } from "./worker.js";
import { buildWorkerChild, spawnWorker } from "./test-support/child-worker.js";
import { readLedger } from "./test-support/ledger-workflow.js";
import { createTestTable, localClient, type TestTable } from "./test-support/tables.js";

let script: string;
beforeAll(async () => {
  script = await buildWorkerChild();
});

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

const ready = new WeakMap<ChildProcess, Promise<void>>();

function startChild(table: TestTable, ledger: string, id: string, leaseMs: number): ChildProcess {
  const child = spawnWorker(script, [inject("dynamoDbEndpoint"), table.tableName, ledger, id, String(leaseMs)]);
  children.add(child);
  child.on("exit", () => children.delete(child));
  ready.set(
    child,
    new Promise((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve())),
  );
  return child;
}

describe("faults", () => {
  it("finishes every execution with no stored step re-run while workers are killed with SIGKILL", async () => {
    const table = await createTestTable();
    const ledger = join(mkdtempSync(join(tmpdir(), "cairn-ledger-")), "ledger.txt");
    writeFileSync(ledger, "");
    const client = createCairnClient({ table });
    const EXECUTIONS = 6;
    const STEPS = 8;
    const started = await Promise.all(
      Array.from({ length: EXECUTIONS }, (_, i) =>
        client.start({ handlerName: "ledger", executionName: `job-${i}`, input: { name: `job-${i}`, steps: STEPS, stepMs: 30 } }),
      ),
    );
    const leaseMs = 1_000;
    let kills = 0;
    let generation = 0;
    // Two workers at a time; one of them is killed at a random moment, again and again.
    const pair = [startChild(table, ledger, `w${generation++}`, leaseMs), startChild(table, ledger, `w${generation++}`, leaseMs)];
    for (let round = 0; round < 8; round++) {
      const victim = pair[round % 2]!;
      // Kill only a worker that is up and polling, at a random moment of its work.
      await ready.get(victim);
      await sleep(100 + Math.floor(Math.random() * 400));
      victim.kill("SIGKILL");
      kills++;
      pair[round % 2] = startChild(table, ledger, `w${generation++}`, leaseMs);
    }
    const deadline = Date.now() + 90_000;
    let summaries = await Promise.all(started.map((s) => client.getExecution(s.executionArn)));
    while (summaries.some((s) => s.status === "RUNNING") && Date.now() < deadline) {
      await sleep(200);
      summaries = await Promise.all(started.map((s) => client.getExecution(s.executionArn)));
    }
    for (const child of pair) child.kill("SIGKILL");

    const histories = await Promise.all(started.map((s) => client.getHistory(s.executionArn)));
    const takeovers = histories
      .flat()
      .filter((e) => e.InvocationCompletedDetails?.Error?.Payload?.ErrorType === "Invocation.Abandoned").length;
    const runs = readLedger(readFileSync(ledger, "utf8"));
    let reruns = 0;
    let lost = 0;
    for (const summary of summaries) {
      expect(summary.status).toBe("SUCCEEDED");
      const stored = JSON.parse(summary.result!) as string[];
      expect(stored).toHaveLength(STEPS);
      const steps = runs.get(summary.executionName)!;
      stored.forEach((nonce, step) => {
        const bodies = steps.get(step) ?? [];
        // The stored result is the last body that ran: nothing ran after its result was stored.
        if (bodies.at(-1) !== nonce) lost++;
        reruns += bodies.length - 1;
      });
    }
    // A body can only repeat when a kill landed between it and its checkpoint: at most one per kill.
    console.log(`kill -9 test: ${EXECUTIONS} executions x ${STEPS} steps, ${kills} workers killed, ${takeovers} invocations taken over after a kill, ${reruns} step bodies repeated (unstored), data lost = ${lost}`);
    expect(lost).toBe(0);
    expect(reruns).toBeLessThanOrEqual(kills);
    await table.drop();
  }, 150_000);

  it("rides out injected throttling: same results, every fault retried", async () => {
    const client = localClient();
    let calls = 0;
    let injected = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        calls++;
        // Every fourth request fails as if the table were throttled, before it is sent.
        if (calls % 4 === 0) {
          injected++;
          throw new ProvisionedThroughputExceededException({ message: "injected throttling", $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: "initialize", name: "injectThrottling" },
    );
    const table = await createTestTable(client);
    const cairn = createCairnClient({ table, store: { retry: { baseDelayMs: 1 } } });
    const worker = createWorker({
      table,
      store: { retry: { baseDelayMs: 1 } },
      handlers: {
        sum: withDurableExecution(async (e: { n: number }, ctx) => {
          let total = 0;
          for (let i = 1; i <= e.n; i++) total += await ctx.step(`add-${i}`, async () => i);
          return total;
        }),
      },
    });
    const arns = await Promise.all([5, 10, 25].map(async (n) => (await cairn.start({ handlerName: "sum", input: { n } })).executionArn));
    while ((await worker.runOnce()).handled > 0);
    const results = await Promise.all(arns.map(async (arn) => (await cairn.getExecution(arn)).result));
    console.log(`throttling test: 3 executions, ${calls} requests, ${injected} throttling errors injected, data lost = 0`);
    expect(results).toEqual(["15", "55", "325"]);
    expect(injected).toBeGreaterThan(20);
    await table.drop();
  }, 60_000);
});
