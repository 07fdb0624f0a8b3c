// The distributed map's progress board in DynamoDB Local: counts replaced per partition and never
// taken back, the first stop kept, and a run whose children stop on each other's failures.
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { defineDistributedMap, withDurableExecution, type DistributedMapResult, type DurableContext } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoDbProgressBoard } from "./progress-board.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
afterEach(async () => {
  await table?.drop();
  table = undefined;
});

const counts = (succeeded: number, failed = 0) => ({ succeeded, failed, timedOut: 0, skipped: 0, pending: 0, total: succeeded + failed });

describe("DynamoDbProgressBoard", () => {
  it("sums each partition's latest counts, never goes back to an older report, and keeps the first stop", async () => {
    table = await createTestTable();
    const board = new DynamoDbProgressBoard({ table });
    expect(await board.read("run-a")).toEqual({ counts: counts(0) });
    await board.report("run-a", 0, counts(10));
    await board.report("run-a", 0, counts(20, 1)); // replaces, never adds
    // A superseded invocation reporting late with fewer items cannot take the board back.
    await board.report("run-a", 0, counts(5));
    const view = await board.report("run-a", 7, counts(3, 2));
    expect(view).toEqual({ counts: counts(23, 3) });
    await board.report("run-b", 0, counts(100));

    await board.stop("run-a", "MIN_SUCCESSFUL_REACHED");
    await board.stop("run-a", "FAILURE_TOLERANCE_EXCEEDED");
    expect(await board.read("run-a")).toEqual({ counts: counts(23, 3), stopped: "MIN_SUCCESSFUL_REACHED" });
    expect(await board.read("run-b")).toEqual({ counts: counts(100) });
    // Many partitions reporting at once: none lost.
    await Promise.all(Array.from({ length: 50 }, (_, p) => board.report("run-c", p, counts(1))));
    expect((await board.read("run-c")).counts.succeeded).toBe(50);
    await board.forget("run-c");
    expect(await board.read("run-c")).toEqual({ counts: counts(0) });
    expect((await board.read("run-a")).counts.succeeded).toBe(23); // other runs untouched
  }, 60_000);

  it("stops healthy children that are running once another child's failures exceed the tolerance", async () => {
    table = await createTestTable();
    const board = new DynamoDbProgressBoard({ table });
    const seen: number[] = [];
    const definition = defineDistributedMap("ddb-board", {
      source: () => Array.from({ length: 400 }, (_, i) => i),
      itemHandler: async (n: number, ctx: DurableContext) => {
        await ctx.wait({ seconds: 1 });
        return ctx.step("work", async () => {
          seen.push(n);
          if (n >= 10 && n < 100) throw new Error(`item ${n} is bad`);
          return n;
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      },
      pageSize: 10,
      progressBoard: board,
    });
    const handler = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.distributedMap(definition, { itemsPerChild: 100, maxChildExecutions: 4, completionConfig: { toleratedFailureCount: 5 }, functionName: "ddb-board-fn" }),
    );
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).registerDurableFunction("ddb-board-fn", handler);
    const summary = (await runner.run({ payload: {} })).getResult() as DistributedMapResult;
    expect(summary.completionReason).toBe("FAILURE_TOLERANCE_EXCEEDED");
    expect(summary.children.map((c) => c.status)).toEqual(["STOPPED_EARLY", "STOPPED_EARLY", "STOPPED_EARLY", "STOPPED_EARLY"]);
    expect(seen.length).toBeLessThan(200);
    // Every child has ended: the parent deleted the run's board items.
    const left = await table.client.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: `B#${summary.runId}` } } }),
    );
    expect(left.Count).toBe(0);
  }, 60_000);

  it("refuses a missing table before any request", () => {
    expect(() => new DynamoDbProgressBoard({} as never)).toThrow(/pass table: \{ client, tableName \}/);
  });
});
