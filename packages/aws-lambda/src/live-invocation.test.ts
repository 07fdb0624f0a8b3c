// Over the real @aws-sdk/client-lambda, with no in-process environment (as on Lambda): the engine
// polls with empty checkpoints at a wait's end while a step runs, and the service's responses
// report the wait's end, so the handler carries on in the same invocation.
import { CheckpointService, MemoryExecutionStore, systemClock } from "@cairn/sdk/service";
import { runExecution } from "@cairn/sdk/orchestrator";
import { type DurableContext } from "@cairn/sdk";
import { afterEach, expect, it } from "vitest";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { withDurableExecution } from "./with-durable-execution.js";

let endpoint: LocalLambdaEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

it("finishes a wait during a longer step in one invocation", async () => {
  const service = new CheckpointService({ store: new MemoryExecutionStore(), clock: systemClock });
  endpoint = await startLocalLambdaEndpoint({ service });
  const client = loopbackClient(endpoint);
  let waitDone!: () => void;
  const waited = new Promise<void>((resolve) => (waitDone = resolve));
  const handler = withDurableExecution(
    async (_event: unknown, ctx: DurableContext) => {
      const result = await ctx.parallel([
        async (c) =>
          c.step("long", async () => {
            const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the wait never ended during the step")), 8000));
            await Promise.race([waited, timeout]);
            return "done";
          }),
        async (c) => {
          await c.wait({ seconds: 1 });
          waitDone();
          return "waited";
        },
      ]);
      return result.getResults();
    },
    { client },
  );
  const run = await runExecution({
    service,
    clock: systemClock,
    // A copy without the orchestrator's environment: what Lambda sends.
    handler: (input, context) => handler({ ...input }, context),
    target: { start: { input: "{}" } },
  });
  client.destroy();
  expect(run.execution.result).toBe(JSON.stringify(["done", "waited"]));
  expect(run.invocations).toHaveLength(1);
  const events = (await service.getHistory(run.execution.executionArn)).map((e) => e.EventType);
  expect(events.indexOf("WaitSucceeded")).toBeLessThan(events.indexOf("StepSucceeded"));
}, 20_000);
