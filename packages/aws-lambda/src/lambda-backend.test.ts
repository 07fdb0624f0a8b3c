import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableExecutionClientError, type DurableContext } from "@cairn/sdk";
import { DurableExecutionApiClient } from "./durable-execution-api-client.js";
import { LambdaCheckpointBackend } from "./lambda-checkpoint-backend.js";
import { startLambdaWorld, runOnLambda, type LambdaWorld } from "./test-support/lambda-harness.js";
import { withDurableExecution } from "./with-durable-execution.js";

let world: LambdaWorld;
beforeEach(async () => {
  world = await startLambdaWorld();
});
afterEach(async () => {
  await world.close();
});

const fastRetry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };

describe("LambdaCheckpointBackend over the real client", () => {
  it("runs steps, a wait, a map and a child context to the same result, replaying across invocations", async () => {
    const bodies: string[] = [];
    const handler = withDurableExecution(
      async (event: { n: number }, ctx: DurableContext) => {
        const base = await ctx.step("base", async () => {
          bodies.push("base");
          return event.n * 10;
        });
        await ctx.wait("pause", { seconds: 30 });
        const doubled = await ctx.map("double", [1, 2, 3], (c, x) => c.step("x2", async () => {
          bodies.push(`x2-${x}`);
          return x * 2;
        }), { maxConcurrency: 2 });
        const child = await ctx.runInChildContext("child", async (c) => c.step("inner", async () => {
          bodies.push("inner");
          return "ok";
        }));
        return { base, doubled: doubled.getResults(), child };
      },
      { client: world.client, retry: fastRetry },
    );
    const run = await runOnLambda(world, handler, { n: 4 });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.result as string)).toEqual({ base: 40, doubled: [2, 4, 6], child: "ok" });
    expect(run.invocations.length).toBe(2); // suspended on the wait, then replayed
    expect(bodies.sort()).toEqual(["base", "inner", "x2-1", "x2-2", "x2-3"]);
    expect(world.endpoint.requests.get("CheckpointDurableExecution")).toBeGreaterThan(0);
  });

  it("keeps deep ids within 64 characters of [A-Za-z0-9_-] and replays them", async () => {
    const nest = async (c: DurableContext, depth: number): Promise<string> =>
      depth === 0
        ? (await c.wait("deep-wait", { seconds: 1 }), c.step("leaf", async () => "leaf"))
        : c.runInChildContext(`level-${depth}`, (inner) => nest(inner, depth - 1));
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => nest(ctx, 40), { client: world.client });
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.result as string)).toBe("leaf");
    const ops = await world.service.getOperations(run.execution.executionArn);
    expect(ops.length).toBe(43); // the execution, 40 contexts, the wait and the step
    for (const op of ops) expect(op.Id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(ops.some((op) => op.Id.startsWith("h"))).toBe(true);
  });

  it("sends non-ASCII names escaped and gives replay the original names back", async () => {
    const handler = withDurableExecution(
      async (_e: unknown, ctx: DurableContext) => {
        const a = await ctx.step("café ☕ 100%", async () => "a");
        await ctx.wait("später", { seconds: 5 });
        return a;
      },
      { client: world.client },
    );
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("SUCCEEDED");
    const names = (await world.service.getOperations(run.execution.executionArn)).map((op) => op.Name).filter(Boolean);
    expect(names).toEqual(["caf%C3%A9 %E2%98%95 100%25", "sp%C3%A4ter"]);
    for (const name of names) expect(name).toMatch(/^[\x20-\x7e]+$/);
  });

  it("fails the execution, naming the operation, when an escaped name is too long for the service", async () => {
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.step("é".repeat(200), async () => 1), {
      client: world.client,
    });
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorMessage).toMatch(/cannot be sent to AWS Lambda.*shorter name/);
  });

  it("retries throttling and server errors with backoff, then carries on", async () => {
    let failures = 0;
    world.inject = ({ operation }) => {
      if (operation !== "CheckpointDurableExecution" || failures >= 2) return undefined;
      failures++;
      return failures === 1
        ? { status: 429, errorType: "TooManyRequestsException", message: "Rate exceeded" }
        : { status: 500, errorType: "ServiceException", message: "internal" };
    };
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.step("one", async () => 1), {
      client: world.client,
      retry: fastRetry,
    });
    const run = await runOnLambda(world, handler, {});
    expect(failures).toBe(2);
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.invocations).toHaveLength(1);
  });

  it("ends only the invocation when retries run out, so the next invocation finishes the work", async () => {
    let failures = 0;
    world.inject = ({ operation }) => {
      if (operation !== "CheckpointDurableExecution" || failures >= 3) return undefined;
      failures++;
      return { status: 503, errorType: "ServiceException", message: "unavailable" };
    };
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.step("one", async () => 1), {
      client: world.client,
      retry: fastRetry,
    });
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.invocations.map((i) => i.outcome.kind)).toEqual(["crashed", "returned"]);
  });

  it("fails the execution on a 4xx other than a stale token", async () => {
    world.inject = ({ operation }) =>
      operation === "CheckpointDurableExecution" ? { status: 403, errorType: "AccessDeniedException", message: "not allowed" } : undefined;
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => ctx.step("one", async () => 1), {
      client: world.client,
      retry: fastRetry,
    });
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("FAILED");
    expect(run.execution.error?.ErrorMessage).toMatch(/AccessDeniedException.*cannot continue/);
    expect(run.invocations).toHaveLength(1);
  });

  it("classifies a stale token as the end of this invocation only, without retrying", async () => {
    const backend = new LambdaCheckpointBackend({ client: world.client, retry: fastRetry });
    const execution = await world.service.startExecution({ input: "{}" });
    const first = await world.service.beginInvocation(execution.executionArn);
    await world.service.beginInvocation(execution.executionArn); // a newer invocation takes over
    const attempt = backend.checkpoint({
      DurableExecutionArn: execution.executionArn,
      CheckpointToken: first.input.CheckpointToken,
      Updates: [{ Id: "1", Type: "STEP", SubType: "Step", Action: "START" }],
    });
    await expect(attempt).rejects.toBeInstanceOf(DurableExecutionClientError);
    await expect(attempt).rejects.toMatchObject({ scope: "INVOCATION", message: expect.stringMatching(/no longer valid/) });
    expect(world.endpoint.requests.get("CheckpointDurableExecution")).toBe(1);
  });

  it("pages the initial state through GetDurableExecutionState", async () => {
    const paged = new (await import("@cairn/sdk/service")).CheckpointService({
      store: new (await import("@cairn/sdk/service")).MemoryExecutionStore(),
      clock: world.clock,
      initialPageSize: 3,
    });
    world.service = paged;
    await world.close();
    const { startLocalLambdaEndpoint } = await import("./local-endpoint.js");
    const { loopbackClient } = await import("./test-support/lambda-harness.js");
    world.endpoint = await startLocalLambdaEndpoint({ service: paged });
    world.client = loopbackClient(world.endpoint);
    let bodies = 0;
    const handler = withDurableExecution(
      async (_e: unknown, ctx: DurableContext) => {
        let sum = 0;
        for (let i = 0; i < 8; i++) {
          sum += await ctx.step(`s${i}`, async () => {
            bodies++;
            return i;
          });
        }
        await ctx.wait("w", { seconds: 1 });
        return sum;
      },
      { client: world.client },
    );
    const run = await runOnLambda(world, handler, {});
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.result as string)).toBe(28);
    // The second invocation got 3 operations inline and read the rest through the API.
    expect(world.endpoint.requests.get("GetDurableExecutionState")).toBeGreaterThanOrEqual(1);
    expect(bodies).toBe(8);
  });

  it("runs through a DurableExecutionApiClient made as the AWS SDK makes one, given as durableExecutionClient", async () => {
    const { withDurableExecution: sdkWithDurableExecution } = await import("@cairn/sdk");
    const client = new DurableExecutionApiClient(world.client);
    expect(client).toBeInstanceOf(LambdaCheckpointBackend);
    expect(client.client).toBe(world.client);
    const handler = sdkWithDurableExecution(
      async (event: { n: number }, ctx: DurableContext) => {
        const n = await ctx.step("n", async () => event.n);
        await ctx.wait("w", { seconds: 1 });
        return ctx.step("double", async () => n * 2);
      },
      { durableExecutionClient: client },
    );
    const run = await runOnLambda(world, handler, { n: 21 });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.result as string)).toBe(42);
    expect(world.endpoint.requests.get("CheckpointDurableExecution")).toBeGreaterThanOrEqual(2);
  });

  it("yields before the timeout with a marker wait that makes the service invoke again", async () => {
    const ran = new Map<number, number>();
    const handler = withDurableExecution(
      async (_e: unknown, ctx: DurableContext) => {
        const results = await ctx.map("items", Array.from({ length: 12 }, (_, i) => i), (c, i) =>
          c.step("work", async () => {
            ran.set(i, (ran.get(i) ?? 0) + 1);
            world.clock.advance(250);
            return i;
          }), { maxConcurrency: 1 });
        return results.getResults().length;
      },
      { client: world.client, yieldMarginMs: 300 },
    );
    const run = await runOnLambda(world, handler, {}, { invocationTimeoutMs: 1200 });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(run.execution.result as string)).toBe(12);
    expect(run.invocations.length).toBeGreaterThan(2);
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
    const markers = (await world.service.getOperations(run.execution.executionArn)).filter((op) => op.Id.startsWith("_cairn-yield-"));
    expect(markers.length).toBe(run.invocations.length - 1);
  });
});
