// The lease rides on an invocation's own writes: a worker that has the execution cached (or that
// reads a new one, see worker-fresh-start.test.ts) takes the lease with the invocation's first
// commit (its timers fired in the same write), and the commit ending the invocation gives it up.
// These tests count what an invocation sends, and check that the folded writes keep what separate
// claims and releases guaranteed: a write that races a callback loses nothing, and a worker that
// does not hold the lease cannot take or drop it.
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { withDurableExecution } from "@cairn/sdk";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient } from "./client.js";
import { headKey } from "./item-layout.js";
import { A } from "./table.js";
import { createWorker } from "./worker.js";
import { createTestTable, localClient, type TestTable } from "./test-support/tables.js";
import { recordRequests, runToEnd } from "./test-support/request-log.js";
import { until } from "./test-support/until.js";

let table: TestTable | undefined;
afterEach(async () => {
  await table?.drop();
  table = undefined;
});

const idOf = (executionArn: string) => executionArn.split("/").at(-1)!;

/** Sets the head's lease as another worker's claim would (seq untouched). */
async function leaseTo(client: DynamoDBClient, tableName: string, executionArn: string, owner: string, untilMs: number) {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: headKey(idOf(executionArn)),
      UpdateExpression: "SET #owner = :owner, #lease = :until",
      ExpressionAttributeNames: { "#owner": A.leaseOwner, "#lease": A.leaseUntil },
      ExpressionAttributeValues: { ":owner": { S: owner }, ":until": { N: String(untilMs) } },
    }),
  );
}

async function leaseOwnerOf(client: DynamoDBClient, tableName: string, executionArn: string): Promise<string | undefined> {
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: headKey(idOf(executionArn)), ConsistentRead: true }));
  return out.Item?.[A.leaseOwner]?.S;
}

const stepWaitStep = withDurableExecution(async (_e: unknown, ctx) => {
  const a = await ctx.step("a", async () => "a");
  await ctx.wait("pause", { seconds: 1 });
  return `${a}${await ctx.step("b", async () => "b")}`;
});

describe("lease writes folded into an invocation's commits", () => {
  it("sends no claim or release of its own for a cached execution: one write fires the timer, begins and claims", async () => {
    table = await createTestTable(localClient());
    const sent = recordRequests(table.client);
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    const worker = createWorker({ table, handlers: { stepWaitStep } });
    const { executionArn } = await client.start({ handlerName: "stepWaitStep" });
    expect(await runToEnd(worker, client, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"ab"', invocationCount: 2 });

    expect(sent.map((s) => s.kind)).toEqual([
      // First invocation: the worker has not seen the execution (the client started it); the due
      // index says it is new, so one Query reads it and the begin takes the lease; step, wait; the
      // end releases.
      "load",
      "commit+claim",
      "commit",
      "commit",
      "commit+release",
      // Second: its cached record says the wait is due. One write fires it, begins and claims.
      "commit+claim",
      "commit",
      "commit+release",
    ]);
    // The begin only changes the head: one conditional write.
    expect(sent[1]).toMatchObject({ command: "UpdateItem", others: 0 });
    const firstWrite = sent[5]!;
    // The fired wait's log entry travels with the begin.
    expect(firstWrite).toMatchObject({ command: "TransactWriteItems", others: 1 });
    const history = await client.getHistory(executionArn);
    expect(history.map((e) => e.EventType)).toContain("WaitSucceeded");
  });

  it("runs the execution again when a callback lands just before the commit that ends the invocation and releases", async () => {
    table = await createTestTable(localClient());
    const writer = createCairnClient({ table: { ...table, client: localClient() } });
    let callbackId: string | undefined;
    let raced = false;
    const sent = recordRequests(table.client, async (request) => {
      if (request.kind !== "commit+release" || raced || callbackId === undefined) return;
      raced = true;
      // Completed between the invocation's last checkpoint and its end: the end's write loses
      // the race on seq, is decided again, and must leave the execution due (not idle).
      await writer.sendCallbackSuccess(callbackId, "approved");
    });
    const approval = withDurableExecution(async (_e: unknown, ctx) => {
      const [answer, id] = await ctx.createCallback<string>("manager");
      await ctx.step("note", async () => (callbackId = id));
      return `got ${await answer}`;
    });
    const worker = createWorker({ table, handlers: { approval } });
    const { executionArn } = await writer.start({ handlerName: "approval" });
    expect(await runToEnd(worker, writer, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"got approved"', invocationCount: 2 });
    expect(raced).toBe(true);
    expect(sent.filter((s) => s.kind === "release")).toEqual([]);
  });

  it("falls back to a claim when a callback lands just before the write that was to claim: nothing is lost", async () => {
    table = await createTestTable(localClient());
    const writer = createCairnClient({ table: { ...table, client: localClient() } });
    let callbackId: string | undefined;
    let raced = false;
    let racedAt = -1;
    const sent = recordRequests(table.client, async (request) => {
      if (request.kind !== "commit+claim" || raced || callbackId === undefined) return;
      raced = true;
      racedAt = sent.length; // the index this request is recorded at
      await writer.sendCallbackSuccess(callbackId, "approved");
    });
    const approval = withDurableExecution(async (_e: unknown, ctx) => {
      const [answer, id] = await ctx.createCallback<string>("manager");
      await ctx.step("note", async () => (callbackId = id));
      await ctx.wait("cool-off", { seconds: 1 });
      return `got ${await answer}`;
    });
    const worker = createWorker({ table, handlers: { approval } });
    const { executionArn } = await writer.start({ handlerName: "approval" });
    // The second invocation sees both the wait and the callback: had the claiming write not been
    // fenced by seq, it would have overwritten the callback's completion and the execution would
    // wait for it forever.
    expect(await runToEnd(worker, writer, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"got approved"', invocationCount: 2 });
    expect(raced).toBe(true);
    const second = sent.slice(racedAt);
    // Refused, then a claim of its own reads the execution again and the invocation carries on.
    expect(second.slice(0, 3).map((s) => s.kind)).toEqual(["commit+claim", "claim", "load"]);
    const history = await writer.getHistory(executionArn);
    expect(history.filter((e) => e.EventType === "WaitSucceeded")).toHaveLength(1);
    expect(history.filter((e) => e.EventType === "CallbackSucceeded")).toHaveLength(1);
  });

  it("cannot take a lease another worker holds with the claiming write, nor begin an invocation under it", async () => {
    table = await createTestTable(localClient());
    const other = localClient();
    const tableName = table.tableName;
    let executionArn = "";
    let leasedAway = false;
    let armed = false;
    const sent = recordRequests(table.client, async (request) => {
      // The second invocation's claiming write (the first one's begin takes the lease too).
      if (request.kind !== "commit+claim" || leasedAway || !armed) return;
      leasedAway = true;
      // Another worker claims the execution after this one chose it from the due index.
      await leaseTo(other, tableName, executionArn, "worker-b", Date.now() + 60_000);
    });
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    const errors: unknown[] = [];
    const worker = createWorker({ table, handlers: { stepWaitStep }, workerId: "worker-a", onError: (e) => errors.push(e) });
    ({ executionArn } = await client.start({ handlerName: "stepWaitStep" }));
    await worker.runOnce();
    armed = true;
    await until("the wait to be due and tried", async () => {
      await worker.runOnce();
      return leasedAway ? true : undefined;
    });
    // Refused, and the fallback claim is refused too: B's lease stands, nothing of A's was written.
    expect(sent.slice(-2).map((s) => s.kind)).toEqual(["commit+claim", "claim"]);
    expect(await leaseOwnerOf(other, tableName, executionArn)).toBe("worker-b");
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "RUNNING", invocationCount: 1 });
    expect((await client.getHistory(executionArn)).map((e) => e.EventType)).not.toContain("WaitSucceeded");
    expect(errors).toEqual([]);

    // B's lease runs out (B died): A takes the execution over and finishes it.
    await leaseTo(other, tableName, executionArn, "worker-b", Date.now() - 1);
    expect(await runToEnd(worker, client, executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"ab"', invocationCount: 2 });
    other.destroy();
  });

  it("does not give up another worker's lease when an invocation that lost it ends", async () => {
    table = await createTestTable(localClient());
    const other = localClient();
    const tableName = table.tableName;
    let executionArn = "";
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inStep = false;
    const slow = withDurableExecution(async (_e: unknown, ctx) =>
      ctx.step("pay", async () => {
        inStep = true;
        await gate;
        return "paid";
      }),
    );
    const sent = recordRequests(table.client);
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    // A's lease is never renewed in time, so by the end of its step another worker may claim it.
    const worker = createWorker({ table, handlers: { slow }, workerId: "worker-a", leaseMs: 600, renewEveryMs: 60_000, onError: () => undefined });
    ({ executionArn } = await client.start({ handlerName: "slow" }));
    const run = worker.runOnce();
    await until("A to run the step", async () => (inStep ? true : undefined));
    await sleep(700);
    // B claims the expired lease but has not begun its invocation yet.
    await leaseTo(other, tableName, executionArn, "worker-b", Date.now() + 60_000);
    release();
    await run;
    // A's token was still the newest, so its result and its end stand; but its end's write, which
    // was to release the lease, was refused on the lease owner: A read the execution again, saw
    // B's lease and wrote its end without touching it.
    const kinds = sent.map((s) => s.kind);
    expect(kinds.slice(kinds.indexOf("commit+release"), kinds.lastIndexOf("commit") + 1)).toEqual(["commit+release", "read head", "load", "commit"]);
    expect(await leaseOwnerOf(other, tableName, executionArn)).toBe("worker-b");
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "SUCCEEDED", result: '"paid"' });
    other.destroy();
  });
});
