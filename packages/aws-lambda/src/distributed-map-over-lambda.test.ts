// A distributed map "deployed" on the local Lambda endpoint: the parent and its children are the
// same registered function, children are chained invokes the endpoint runs, and every checkpoint
// goes through the real @aws-sdk/client-lambda — the path a distributed map takes on AWS Lambda.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { defineDistributedMap, type DistributedMapResult } from "@cairn/sdk";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { CloudDurableTestRunner, ExecutionStatus, InvocationType } from "@cairn/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { withDurableExecution } from "./with-durable-execution.js";

const ITEMS = 1000;
const processed = new Map<number, number>();

const squares = defineDistributedMap("squares", {
  source: (params: { items: number }) => Array.from({ length: params.items }, (_, i) => i),
  itemHandler: async (item: number, ctx) =>
    ctx.step("square", async () => {
      processed.set(item, (processed.get(item) ?? 0) + 1);
      if (item % 250 === 7) throw new Error(`item ${item} is unlucky`);
      return item * item;
    }),
  maxConcurrency: 25,
  retryStrategy: () => ({ shouldRetry: false }),
});

let endpoint: LocalLambdaEndpoint;
let client: LambdaClient;

beforeAll(async () => {
  endpoint = await startLocalLambdaEndpoint({ service: new CheckpointService({ store: new MemoryExecutionStore() }) });
  client = loopbackClient(endpoint);
  endpoint.registerFunction(
    "squares-fn",
    withDurableExecution(async (event: { items: number }, ctx) => ctx.distributedMap(squares, { params: event, itemsPerChild: 100, maxChildExecutions: 4, completionConfig: { toleratedFailureCount: 10 } }), {
      client,
    }),
  );
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
});

it("runs its children as chained invokes of the same function through the Lambda API", async () => {
  const runner = new CloudDurableTestRunner<DistributedMapResult>({
    functionName: "squares-fn",
    client,
    config: { invocationType: InvocationType.Event, pollInterval: 25 },
  });
  const result = await runner.run({ payload: { items: ITEMS } });
  expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
  const summary = result.getResult()!;
  expect(summary.counts).toMatchObject({ succeeded: ITEMS - 4, failed: 4, total: ITEMS });
  expect(summary.children).toHaveLength(ITEMS / 100);
  // Every item ran exactly once (no retries, no crash): the children did the work, once each.
  expect(processed.size).toBe(ITEMS);
  expect([...processed.values()].every((n) => n === 1)).toBe(true);
  // The parent's history stays small whatever the item count: a few operations per child.
  expect(result.getOperations().length).toBeLessThan(100);
}, 120_000);
