// What moves an execution on besides its own timers, driven end to end by workers: the target of a
// chained invoke finishing (including when the worker that finished it dies before telling the
// parent), and a callback completed through the client — also while an invocation still runs.
import { withDurableExecution } from "@cairn/sdk";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient, type CairnClient } from "./client.js";
import { createWorker, type Worker } from "./worker.js";
import { until } from "./test-support/until.js";
import { createTestTable, localClient, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await table?.drop();
  table = undefined;
});

const finished = (client: CairnClient, arn: string) =>
  until(`${arn} to end`, async () => {
    const summary = await client.getExecution(arn);
    return summary.status === "RUNNING" ? undefined : summary;
  });

// The target: a durable workflow of its own, with a wait, so the parent really suspends on it.
const chargeCard = withDurableExecution(async (event: { cents: number }, ctx) => {
  await ctx.wait("settle", { seconds: 1 });
  return ctx.step("charge", async () => ({ paymentId: `pay-${event.cents}` }));
});
const checkout = withDurableExecution(async (event: { cents: number }, ctx) => {
  const payment = await ctx.invoke<{ cents: number }, { paymentId: string }>("pay", "charge-card", event);
  return ctx.step("receipt", async () => `paid ${event.cents} as ${payment.paymentId}`);
});

describe("chained invokes on workers", () => {
  it("runs the target as its own execution on the pool and wakes the parent with its result", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    for (const id of ["a", "b"]) {
      const worker = createWorker({ table, handlers: { checkout, "charge-card": chargeCard }, pollIntervalMs: 50, workerId: id });
      workers.push(worker);
      worker.start();
    }
    const { executionArn } = await client.start({ handlerName: "checkout", input: { cents: 1250 } });
    const parent = await finished(client, executionArn);
    expect(parent).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("paid 1250 as pay-1250") });

    // The target is an execution of its own in the table, named after the invoke, run by "charge-card".
    const history = await client.getHistory(executionArn);
    const started = history.find((e) => e.EventType === "ChainedInvokeStarted")!;
    const targetArn = started.ChainedInvokeStartedDetails!.DurableExecutionArn!;
    const target = await client.getExecution(targetArn);
    expect(target).toMatchObject({ status: "SUCCEEDED", functionName: "charge-card", result: JSON.stringify({ paymentId: "pay-1250" }) });
    expect(target.executionName).toBe(`${executionArn.split("/").at(-1)}.invoke-${started.Id}`);
    expect(history.filter((e) => e.EventType === "ChainedInvokeSucceeded")).toHaveLength(1);
    // The parent slept while the target ran: one invocation to start it, one to finish.
    expect(parent.invocationCount).toBe(2);
  });

  it("completes the invoke when the worker that finished the target died before telling the parent", async () => {
    table = await createTestTable(localClient());
    const parentWritesCut = { on: false, parentPk: "" };
    // Simulates the worker dying right after the target's last write: every later write to the
    // parent's partition fails as if the process were gone.
    table.client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: { Update?: { Key?: Record<string, { S?: string }> } }[] };
        const pk = input.TransactItems?.[0]?.Update?.Key?.pk?.S;
        if (parentWritesCut.on && pk === parentWritesCut.parentPk) throw Object.assign(new Error("worker died"), { name: "WorkerDied" });
        return next(args);
      },
      { step: "initialize", name: "cutParentWrites" },
    );
    const client = createCairnClient({ table: { ...table, client: localClient() } });
    const errors: unknown[] = [];
    const worker = createWorker({
      table,
      handlers: { checkout, "charge-card": chargeCard },
      leaseMs: 1_500,
      onError: (error) => errors.push(error),
      onInvocation: (_record, execution) => {
        if (execution.functionName === "charge-card" && execution.status === "SUCCEEDED") parentWritesCut.on = true;
      },
    });
    const { executionArn } = await client.start({ handlerName: "checkout", input: { cents: 300 } });
    parentWritesCut.parentPk = `X#${executionArn.split("/").at(-1)}`;
    // Runs the parent's first invocation, then the target (after its 1 s wait), then fails to report.
    for (const deadline = Date.now() + 20_000; !parentWritesCut.on && Date.now() < deadline; await sleep(100)) await worker.runOnce();
    expect(parentWritesCut.on).toBe(true);
    expect(errors.map((e) => (e as Error).message).join("\n")).toMatch(/worker died/);
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "RUNNING", invocationCount: 1 });

    // A worker comes back. The parent is due again one lease after its last write, and that look
    // completes the invoke from the target's stored result.
    parentWritesCut.on = false;
    const replacement = createWorker({ table, handlers: { checkout, "charge-card": chargeCard }, leaseMs: 1_500, pollIntervalMs: 50 });
    workers.push(replacement);
    replacement.start();
    const parent = await finished(client, executionArn);
    expect(parent).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("paid 300 as pay-300") });
    expect((await client.getHistory(executionArn)).filter((e) => e.EventType === "ChainedInvokeSucceeded")).toHaveLength(1);
  });

  it("fails an invoke whose function id no worker handler has, naming what to add", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const caller = withDurableExecution(async (_e: unknown, ctx) => {
      try {
        return await ctx.invoke("lookup", "no-such-function", {});
      } catch (error) {
        return `failed: ${(error as Error).message}`;
      }
    });
    const worker = createWorker({ table, handlers: { caller } });
    const { executionArn } = await client.start({ handlerName: "caller" });
    while ((await worker.runOnce()).handled > 0);
    const summary = await client.getExecution(executionArn);
    expect(summary.status).toBe("SUCCEEDED");
    expect(JSON.parse(summary.result!)).toMatch(/No handler named "no-such-function".*createWorker\(\{ handlers: \{ "no-such-function"/);
  });
});

describe("callbacks completed through the client", () => {
  const approval = withDurableExecution(async (event: { amount: number }, ctx) => {
    const decision = await ctx.waitForCallback<string>("manager-approval", async () => undefined, { timeout: { hours: 1 } });
    return ctx.step("record", async () => `${event.amount}: ${decision}`);
  });

  it("wakes the execution: a polling worker picks it up and finishes it", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    let invocations = 0;
    const worker = createWorker({ table, handlers: { approval }, pollIntervalMs: 50, onInvocation: () => invocations++ });
    workers.push(worker);
    worker.start();
    const { executionArn } = await client.start({ handlerName: "approval", input: { amount: 90 } });
    const callbackId = await until("the callback id", async () => {
      const ops = await client.getOperations(executionArn);
      return ops.find((op) => op.Type === "CALLBACK")?.CallbackDetails?.CallbackId;
    });
    await until("the first invocation to end", async () => (invocations >= 1 ? true : undefined));
    // Suspended on the callback: nothing is due, the worker leaves it alone.
    await sleep(300);
    expect(invocations).toBe(1);
    expect(await client.getExecution(executionArn)).toMatchObject({ status: "RUNNING" });

    await client.sendCallbackSuccess(callbackId, "approved");
    const summary = await finished(client, executionArn);
    expect(summary).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("90: approved"), invocationCount: 2 });
  });

  it("wakes it when the callback completes while an invocation still runs", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let callbackId: string | undefined;
    const slow = withDurableExecution(async (_e: unknown, ctx) => {
      const [result, id] = await ctx.createCallback<string>("courier");
      // Still working (and holding the lease) when the answer arrives.
      await ctx.step("book-courier", async () => {
        callbackId = id;
        await gate;
        return "booked";
      });
      return `courier says ${await result}`;
    });
    const worker = createWorker({ table, handlers: { slow }, pollIntervalMs: 50 });
    workers.push(worker);
    worker.start();
    const { executionArn } = await client.start({ handlerName: "slow" });
    await until("the step to run", async () => callbackId);
    await client.sendCallbackSuccess(callbackId!, "picked up");
    release();
    const summary = await finished(client, executionArn);
    expect(summary).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify("courier says picked up") });
  });
});
