// A new execution (only its create has written it) is started with one Query and a begin that
// takes the lease, not a claim, a Query and a begin. These tests count what its first invocation
// sends, and check the shortcut keeps what the claim guaranteed: two workers offered the same new
// execution run it once, an execution changed between the look at the due index and the read is
// not invoked on what the read saw, and a table whose due index lacks the mark still works.
import { CreateTableCommand, DeleteTableCommand, GetItemCommand, waitUntilTableExists, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { withDurableExecution } from "@cairn/sdk";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient } from "./client.js";
import { headKey } from "./item-layout.js";
import { A, DUE_INDEX, definitionOf } from "./table.js";
import { createWorker } from "./worker.js";
import { recordRequests, runToEnd } from "./test-support/request-log.js";
import { createTestTable, localClient, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
afterEach(async () => {
  await table?.drop();
  table = undefined;
});

const idOf = (executionArn: string) => executionArn.split("/").at(-1)!;

async function headOf(client: DynamoDBClient, tableName: string, executionArn: string) {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: headKey(idOf(executionArn)), ConsistentRead: true }));
  return out.Item;
}

/** Two steps whose bodies count their runs in `runs`. */
function twoSteps(runs: string[]) {
  return withDurableExecution(async (_e: unknown, ctx) => {
    const a = await ctx.step("a", async () => (runs.push("a"), "a"));
    const b = await ctx.step("b", async () => (runs.push("b"), "b"));
    return a + b;
  });
}

describe("a new execution's first invocation", () => {
  it("reads it with one Query and takes the lease with the begin; the begin clears the mark", async () => {
    table = await createTestTable(localClient());
    const sent = recordRequests(table.client);
    const reader = localClient();
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    const runs: string[] = [];
    const worker = createWorker({ table, handlers: { twoSteps: twoSteps(runs) } });
    const { executionArn } = await client.start({ handlerName: "twoSteps" });
    expect((await headOf(reader, table.tableName, executionArn))?.[A.fresh]).toEqual({ BOOL: true });

    expect(await runToEnd(worker, client, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"ab"', invocationCount: 1 });
    // No claim of its own and no GetItem of the head: the load, then the begin (a head-only write)
    // taking the lease, the two steps, and the end giving the lease back.
    expect(sent.map((s) => s.kind)).toEqual(["load", "commit+claim", "commit", "commit", "commit+release"]);
    expect(sent[1]).toMatchObject({ command: "UpdateItem", others: 0 });
    expect(runs).toEqual(["a", "b"]);
    const head = await headOf(reader, table.tableName, executionArn);
    expect(head?.[A.fresh]).toBeUndefined();
    expect(head?.[A.leaseOwner]).toBeUndefined();
    reader.destroy();
  });

  it("runs it once when two workers are offered it: the slower begin is refused and writes nothing", async () => {
    table = await createTestTable(localClient());
    const runs: string[] = [];
    const handlers = { twoSteps: twoSteps(runs) };
    const errors: unknown[] = [];
    const clientB = localClient();
    const workerB = createWorker({ table: { ...table, client: clientB }, handlers, workerId: "worker-b", onError: (e) => errors.push(e) });
    let overtaken = false;
    const sentA = recordRequests(table.client, async (request) => {
      if (request.kind !== "commit+claim" || overtaken) return;
      overtaken = true;
      // A read the new execution and is about to begin it; B, polling at the same moment, runs
      // the whole execution first.
      expect((await workerB.runOnce()).handled).toBe(1);
    });
    const workerA = createWorker({ table, handlers, workerId: "worker-a", onError: (e) => errors.push(e) });
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    const { executionArn } = await client.start({ handlerName: "twoSteps" });

    await workerA.runOnce();
    expect(overtaken).toBe(true);
    // A's begin was refused on seq; its fallback claim was refused too (nothing is due any more).
    expect(sentA.map((s) => s.kind)).toEqual(["load", "commit+claim", "claim"]);
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"ab"', invocationCount: 1 });
    expect(runs).toEqual(["a", "b"]);
    const history = await client.getHistory(executionArn);
    expect(history.filter((e) => e.EventType === "InvocationCompleted")).toHaveLength(1);
    expect(errors).toEqual([]);
    clientB.destroy();
  });

  it("does not invoke an execution that changed between the look at the due index and the read", async () => {
    table = await createTestTable(localClient());
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    let executionArn = "";
    let stopped = false;
    const sent = recordRequests(table.client, async (request) => {
      if (request.kind !== "load" || stopped) return;
      stopped = true;
      // Stopped after the worker saw it in the due index (marked new), before it reads it.
      await client.stop(executionArn);
    });
    const runs: string[] = [];
    const errors: unknown[] = [];
    const worker = createWorker({ table, handlers: { twoSteps: twoSteps(runs) }, onError: (e) => errors.push(e) });
    ({ executionArn } = await client.start({ handlerName: "twoSteps" }));

    expect((await worker.runOnce()).handled).toBe(0);
    expect(stopped).toBe(true);
    // The read found a later commit, so the worker fell back to a claim, which found nothing due.
    expect(sent.map((s) => s.kind)).toEqual(["load", "claim"]);
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "STOPPED", invocationCount: 0 });
    expect(runs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("claims as before on a table whose due index does not carry the mark (made by an earlier version)", async () => {
    const ddb = localClient();
    const tableName = `cairn-test-${randomUUID().slice(0, 8)}`;
    const definition = definitionOf(tableName);
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (index.IndexName === DUE_INDEX) index.Projection!.NonKeyAttributes = [A.leaseUntil, A.executionArn, A.functionName];
    }
    await ddb.send(new CreateTableCommand(definition));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName: tableName });
    table = {
      client: ddb,
      tableName,
      drop: async () => {
        await ddb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
        ddb.destroy();
      },
    };
    const sent = recordRequests(ddb);
    const client = createCairnClient({ table: { client: localClient(), tableName } });
    const runs: string[] = [];
    const worker = createWorker({ table: { client: ddb, tableName }, handlers: { twoSteps: twoSteps(runs) } });
    const { executionArn } = await client.start({ handlerName: "twoSteps" });

    expect(await runToEnd(worker, client, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"ab"', invocationCount: 1 });
    expect(sent.map((s) => s.kind)).toEqual(["claim", "load", "commit", "commit", "commit", "commit+release"]);
    expect(runs).toEqual(["a", "b"]);
  });
});

