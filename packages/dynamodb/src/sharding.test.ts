// Sharded indexes: shard counts are checked at the boundary and recorded in the table, and a table
// with many shards (32 due shards, 32 list shards) runs many executions on several workers at once
// with nothing lost, nothing run twice, and a listing that sees every execution in start order.
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { withDurableExecution } from "@cairn/sdk";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient } from "./client.js";
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { TableSettingsMismatchError } from "./errors.js";
import { LIST_INDEX, createCairnTable, listShardKey } from "./table.js";
import { createWorker, type Worker } from "./worker.js";
import { ledgerHandler, readLedger } from "./test-support/ledger-workflow.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";
import { until } from "./test-support/until.js";

let table: TestTable | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await table?.drop();
  table = undefined;
});

const hello = withDurableExecution(async () => "hi");

describe("shard counts", () => {
  it("refuses a count out of range, naming the field", async () => {
    table = await createTestTable();
    for (const dueShards of [0, 257, 2.5]) {
      expect(() => new DynamoDbCheckpointStore({ ...table!, dueShards })).toThrow(/dueShards must be an integer from 1 to 256/);
    }
    expect(() => createCairnClient({ table: { ...table!, listShards: -1 } })).toThrow(/listShards must be an integer from 1 to 256, got -1/);
    expect(() => createWorker({ table: { ...table!, dueShards: 300 }, handlers: { hello } })).toThrow(/dueShards/);
    await expect(createCairnTable(table.client, table.tableName, { listShards: 0 })).rejects.toThrow(/listShards/);
  });

  it("records the first process's counts and refuses a process with others; counts grow but never shrink", async () => {
    table = await createTestTable();
    const first = createCairnClient({ table: { ...table, dueShards: 8 } });
    await first.start({ handlerName: "hello" });
    const other = createCairnClient({ table: { ...table, dueShards: 16 } });
    const refusal = await other.start({ handlerName: "hello" }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TableSettingsMismatchError);
    expect((refusal as Error).message).toMatch(/set up with dueShards = 8, but this process uses 16/);
    expect((refusal as Error).message).toMatch(/createCairnTable\(client, ".*", \{ dueShards: 16 \}\)/);
    // A worker with other counts is refused before it claims anything.
    const worker = createWorker({ table: { ...table, dueShards: 4 }, handlers: { hello } });
    await expect(worker.runOnce()).rejects.toThrow(TableSettingsMismatchError);

    await expect(createCairnTable(table.client, table.tableName, { dueShards: 4 })).rejects.toThrow(/cannot go down to 4/);
    await createCairnTable(table.client, table.tableName, { dueShards: 16 });
    const grown = createCairnClient({ table: { ...table, dueShards: 16 } });
    await grown.start({ handlerName: "hello" });
    // The execution started under 8 shards is still listed and run by a worker using 16.
    const runner = createWorker({ table: { ...table, dueShards: 16 }, handlers: { hello } });
    expect(await runner.runOnce()).toEqual({ handled: 2 });
    expect((await grown.listExecutions()).map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });
});

describe("many shards", () => {
  it("runs 160 executions on 3 workers over 32 due and 32 list shards: none lost, none run twice, all listed in start order", async () => {
    const EXECUTIONS = 160;
    const shards = { dueShards: 32, listShards: 32 };
    const base = await createTestTable();
    table = base;
    await createCairnTable(base.client, base.tableName, shards);
    const sharded = { ...base, ...shards };
    const ledger = join(mkdtempSync(join(tmpdir(), "cairn-shards-")), "ledger.txt");
    writeFileSync(ledger, "");
    const client = createCairnClient({ table: sharded });
    // Completion is watched through the workers' own reports, not by polling the table.
    const finished = new Set<string>();
    for (const id of ["a", "b", "c"]) {
      workers.push(
        createWorker({
          table: sharded,
          handlers: { ledger: ledgerHandler(ledger) },
          concurrency: 8,
          pollIntervalMs: 50,
          workerId: id,
          onInvocation: (_record, execution) => {
            if (execution.status !== "RUNNING") finished.add(execution.executionArn);
          },
        }),
      );
    }
    workers.forEach((w) => w.start());
    // Every fourth execution waits a second halfway, so it is claimed twice (before and after).
    const started = await Promise.all(
      Array.from({ length: EXECUTIONS }, (_, i) =>
        client.start({ handlerName: "ledger", input: { name: `x-${i}`, steps: 3, ...(i % 4 === 0 ? { waitSeconds: 1 } : {}) } }),
      ),
    );
    await until("every execution to finish", async () => (finished.size === EXECUTIONS ? true : undefined), 120_000);
    const summaries = await Promise.all(started.map((s) => client.getExecution(s.executionArn)));
    const runs = readLedger(readFileSync(ledger, "utf8"));
    summaries.forEach((summary, i) => {
      expect(summary.status).toBe("SUCCEEDED");
      // Each step body ran once and its result is the one stored: never claimed by two at once.
      const nonces = JSON.parse(summary.result!) as string[];
      expect([...runs.get(`x-${i}`)!.values()]).toEqual(nonces.map((n) => [n]));
      expect(summary.invocationCount).toBe(i % 4 === 0 ? 2 : 1);
    });

    const byId = [...started].sort((a, b) => (a.executionArn.split("/").at(-1)! < b.executionArn.split("/").at(-1)! ? -1 : 1));
    const listed = await until("the list index to show every execution", async () => {
      const list = await client.listExecutions();
      return list.length === EXECUTIONS ? list : undefined;
    });
    expect(listed.map((s) => s.executionArn)).toEqual(byId.map((s) => s.executionArn));
    // The starts really were spread over the list shards.
    const used = await Promise.all(
      Array.from({ length: shards.listShards }, async (_, shard) => {
        const page = await base.client.send(
          new QueryCommand({
            TableName: base.tableName,
            IndexName: LIST_INDEX,
            KeyConditionExpression: "listPk = :p",
            ExpressionAttributeValues: { ":p": { S: listShardKey(shard) } },
            Select: "COUNT",
          }),
        );
        return (page.Count ?? 0) > 0;
      }),
    );
    expect(used.filter(Boolean).length).toBeGreaterThanOrEqual(28);
  }, 150_000);
});
