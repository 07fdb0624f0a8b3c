// A replay mismatch on a worker (e.g. a deploy renamed a step of a running execution): blocked and
// retried with backoff under the default policy, carried on once the original code is back, ended
// on purpose by the client; failed under "fail". Real workers on DynamoDB Local.
import { withDurableExecution } from "@cairn/sdk";
import type { ExecutionSummary } from "@cairn/sdk/service";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createCairnClient, type CairnClient } from "./client.js";
import { createWorker, type WorkerOptions } from "./worker.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

let table: TestTable | undefined;
afterEach(async () => {
  await table?.drop();
  table = undefined;
});

/** A handler whose first step's name depends on the code "deployed" now; it then waits for a callback. */
function deployable() {
  const deployed = { version: "v1" as "v1" | "v2" };
  let callbackId: string | undefined;
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    const a = await ctx.step(deployed.version === "v1" ? "reserve" : "reserve-stock", async () => 1);
    const [answer, id] = await ctx.createCallback<string>("approval");
    callbackId = id;
    return `${a}:${await answer}`;
  });
  return { deployed, handler, callbackId: () => callbackId as string };
}

/** Starts an execution, runs it to its callback under v1, then answers it with v2 deployed. */
async function waitingThenRedeployed(client: CairnClient, run: () => Promise<unknown>, app: ReturnType<typeof deployable>) {
  const { executionArn } = await client.start({ handlerName: "orders", input: {} });
  await run();
  expect((await client.getExecution(executionArn)).status).toBe("RUNNING");
  app.deployed.version = "v2";
  await client.sendCallbackSuccess(app.callbackId(), "yes");
  return executionArn;
}

async function sleepUntilRetry(summary: ExecutionSummary): Promise<void> {
  await sleep(Math.max(0, (summary.blocked?.retryAt.getTime() ?? 0) - Date.now() + 50));
}

describe("worker on a replay mismatch", () => {
  it("blocks by default, retries with a doubling delay, and completes once the original code is back", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const app = deployable();
    const blockedReports: ExecutionSummary[] = [];
    const options: WorkerOptions = { table, handlers: { orders: app.handler }, onBlocked: (e) => blockedReports.push(e) };
    const worker = createWorker(options);
    const executionArn = await waitingThenRedeployed(client, () => worker.runOnce(), app);

    expect(await worker.runOnce()).toEqual({ handled: 1 });
    const first = await client.getExecution(executionArn);
    expect(first.status).toBe("RUNNING");
    expect(first.blocked).toMatchObject({ reason: "NonDeterministicExecution", operationId: "1", attempts: 1 });
    expect(first.blocked?.message).toMatch(/"reserve".*"reserve-stock"/);
    expect(first.blocked!.retryAt.getTime() - first.blocked!.since.getTime()).toBe(1000);
    expect(blockedReports.map((e) => e.blocked?.attempts)).toEqual([1]);
    const history = await client.getHistory(executionArn);
    expect(history.at(-1)?.InvocationCompletedDetails?.Error?.Payload?.ErrorType).toBe("NonDeterministicExecutionError");
    expect((await client.listExecutions())[0]?.blocked?.operationId).toBe("1");

    // Not due before its retry time, even though the callback's wake-up is pending.
    if (Date.now() < first.blocked!.retryAt.getTime() - 200) expect(await worker.runOnce()).toEqual({ handled: 0 });
    await sleepUntilRetry(first);
    expect(await worker.runOnce()).toEqual({ handled: 1 });
    const second = await client.getExecution(executionArn);
    expect(second.blocked).toMatchObject({ attempts: 2, since: first.blocked!.since });
    expect(second.blocked!.retryAt.getTime()).toBeGreaterThanOrEqual(first.blocked!.retryAt.getTime() + 2000);

    app.deployed.version = "v1";
    await sleepUntilRetry(second);
    expect(await worker.runOnce()).toEqual({ handled: 1 });
    const done = await client.getExecution(executionArn);
    expect(done).toMatchObject({ status: "SUCCEEDED", result: '"1:yes"' });
    expect(done.blocked).toBeUndefined();
    expect(blockedReports).toHaveLength(2);
  }, 30_000);

  it("a blocked execution ends on purpose with the client's fail", async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const app = deployable();
    const worker = createWorker({ table, handlers: { orders: app.handler }, onBlocked: () => undefined });
    const executionArn = await waitingThenRedeployed(client, () => worker.runOnce(), app);
    await worker.runOnce();
    expect((await client.getExecution(executionArn)).blocked?.attempts).toBe(1);

    const failed = await client.fail(executionArn);
    expect(failed.status).toBe("FAILED");
    expect(failed.error?.ErrorType).toBe("Execution.FailedByOperator");
    expect(failed.blocked).toBeUndefined();
    await sleep(1100);
    expect(await worker.runOnce()).toEqual({ handled: 0 });
  }, 30_000);

  it('fails the execution under onNondeterminism: "fail", as on AWS Lambda', async () => {
    table = await createTestTable();
    const client = createCairnClient({ table });
    const app = deployable();
    const worker = createWorker({ table, handlers: { orders: app.handler }, onNondeterminism: "fail" });
    const executionArn = await waitingThenRedeployed(client, () => worker.runOnce(), app);
    await worker.runOnce();
    const failed = await client.getExecution(executionArn);
    expect(failed.status).toBe("FAILED");
    expect(failed.error?.ErrorType).toBe("NonDeterministicExecutionError");
    expect(failed.blocked).toBeUndefined();
  });

  it("refuses an unknown policy at start-up, naming the option", () => {
    expect(() =>
      createWorker({ table: { client: {} as never, tableName: "t" }, handlers: { orders: deployable().handler }, onNondeterminism: "retry" as never }),
    ).toThrow(/onNondeterminism must be "block" or "fail"/);
  });
});
