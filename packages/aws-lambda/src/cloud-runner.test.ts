// One test body, two runners: @cairn/testing's LocalDurableTestRunner runs the handler in-process;
// its CloudDurableTestRunner invokes the same handler "deployed" on the local Lambda endpoint
// through the real @aws-sdk/client-lambda (Invoke, GetDurableExecutionHistory, GetDurableExecution,
// SendDurableExecutionCallback*), and the handler checkpoints through the endpoint as on Lambda.
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand, InvokeCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { CheckpointService, MemoryExecutionStore } from "@cairn/sdk/service";
import { type DurableContext } from "@cairn/sdk";
import {
  CloudDurableTestRunner,
  ExecutionStatus,
  InvocationType,
  LocalDurableTestRunner,
  WaitingOperationStatus,
  type DurableOperation,
  type DurableTestRunner,
} from "@cairn/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalLambdaEndpoint, type LocalLambdaEndpoint } from "./local-endpoint.js";
import { loopbackClient } from "./test-support/lambda-harness.js";
import { withDurableExecution } from "./with-durable-execution.js";

interface Greeting {
  greeting: string;
  /** The callback's result as sent: with the default serdes, the text itself. */
  approval: string;
}

let endpoint: LocalLambdaEndpoint;
let client: LambdaClient;

beforeAll(async () => {
  // Real time: the cloud runner follows the execution by polling, as it would on AWS.
  endpoint = await startLocalLambdaEndpoint({ service: new CheckpointService({ store: new MemoryExecutionStore() }) });
  client = loopbackClient(endpoint);
  const greeter = withDurableExecution(
    async (event: { name: string; fail?: boolean }, ctx: DurableContext): Promise<Greeting> => {
      const greeting = await ctx.step("greet", async () => `hello ${event.name}`);
      if (event.fail) throw new Error(`no greeting for ${event.name}`);
      await ctx.wait("pause", { seconds: 1 });
      const approval = await ctx.waitForCallback<string>("approval", async () => undefined, { timeout: { minutes: 5 } });
      return { greeting, approval };
    },
    { client },
  );
  endpoint.registerFunction("greeter", greeter);
  // Over 1000 history events: the cloud runner has to read the history in pages.
  endpoint.registerFunction(
    "fan-out",
    withDurableExecution(
      async (_event: unknown, ctx: DurableContext) => {
        const doubled = await ctx.map("double", Array.from({ length: 300 }, (_, i) => i), (c, x) => c.step(async () => x * 2));
        return doubled.getResults().reduce((sum, x) => sum + x, 0);
      },
      { client },
    ),
  );
  runners.local = () => new LocalDurableTestRunner<Greeting>({ handlerFunction: greeter });
  runners.cloud = (invocationType = InvocationType.Event) =>
    new CloudDurableTestRunner<Greeting>({ functionName: "greeter", client, config: { invocationType, pollInterval: 25 } });
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
});

type Runner = DurableTestRunner<DurableOperation, Greeting>;
const runners: { local?: () => Runner; cloud?: (invocationType?: InvocationType) => Runner } = {};

/** The test body: written once against DurableTestRunner, as a test written for AWS would be. */
async function stepsWaitAndCallback(runner: Runner): Promise<void> {
  const approval = runner.getOperation("approval");
  const running = runner.run({ payload: { name: "ada" } });
  await approval.waitForData(WaitingOperationStatus.SUBMITTED);
  const callbackId = approval.getCallbackDetails()?.callbackId;
  expect(callbackId).toEqual(expect.any(String));
  await approval.sendCallbackSuccess(JSON.stringify({ approved: true }));
  const result = await running;

  expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
  expect(result.getResult()).toEqual({ greeting: "hello ada", approval: '{"approved":true}' });
  expect(runner.getOperation("greet").getStepDetails()).toMatchObject({ result: "hello ada", error: undefined });
  expect(runner.getOperation("pause").getWaitDetails()?.waitSeconds).toBe(1);
  // The operation's details read the payload as JSON, whatever the handler's serdes made of it.
  expect(approval.getCallbackDetails()).toEqual({ callbackId, result: { approved: true } });
  expect(result.getOperations().map(describeOperation)).toEqual([
    "1 STEP/Step greet SUCCEEDED",
    "2 WAIT/Wait pause SUCCEEDED",
    "3 CONTEXT/WaitForCallback approval SUCCEEDED",
    "3-1 (in 3) CALLBACK/Callback - SUCCEEDED",
    "3-2 (in 3) STEP/Step - SUCCEEDED",
  ]);
  // Suspended on the wait and on the callback: three invocations, each recorded.
  expect(result.getInvocations()).toHaveLength(3);
  expect(result.getInvocations().every((i) => i.requestId && i.startTimestamp instanceof Date && i.error === undefined)).toBe(true);
  const types = result.getHistoryEvents().map((event) => event.EventType);
  expect(types[0]).toBe("ExecutionStarted");
  expect(types.at(-1)).toBe("ExecutionSucceeded");
  expect(types.indexOf("WaitSucceeded")).toBeGreaterThan(types.indexOf("WaitStarted"));
  expect(types.indexOf("CallbackSucceeded")).toBeGreaterThan(types.indexOf("CallbackStarted"));
}

function describeOperation(op: DurableOperation): string {
  const parent = op.getParentId() ? ` (in ${op.getParentId()})` : "";
  return `${op.getId()}${parent} ${op.getType()}/${op.getSubType()} ${op.getName() ?? "-"} ${op.getStatus()}`;
}

async function failure(runner: Runner): Promise<void> {
  const result = await runner.run({ payload: { name: "bob", fail: true } });
  expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
  expect(result.getError()).toMatchObject({ errorMessage: "no greeting for bob", errorType: "Error" });
  expect(() => result.getResult()).toThrow("no greeting for bob");
  expect(runner.getOperation("greet").getStatus()).toBe("SUCCEEDED");
  expect(result.getHistoryEvents().at(-1)?.ExecutionFailedDetails?.Error?.Payload?.ErrorMessage).toBe("no greeting for bob");
}

describe.each([
  ["LocalDurableTestRunner", () => runners.local!()],
  ["CloudDurableTestRunner over the local Lambda endpoint", () => runners.cloud!()],
])("%s", (_name, makeRunner) => {
  it("runs steps, a wait and a callback answered from the test", async () => {
    await stepsWaitAndCallback(makeRunner());
  });

  it("reports a failed execution through getError", async () => {
    await failure(makeRunner());
  });
});

describe("CloudDurableTestRunner", () => {
  it("with RequestResponse, Invoke answers at the end and operations cannot be waited for", async () => {
    const runner = runners.cloud!(InvocationType.RequestResponse);
    await expect(runner.getOperation("greet").waitForData()).rejects.toThrow(/Use InvocationType.Event to wait for operation data/);
    const result = await runner.run({ payload: { name: "cy", fail: true } });
    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(runner.getOperation("greet").getStepDetails()?.result).toBe("hello cy");
  });

  it("sees the same history and operations as the local runner", async () => {
    const local = await runners.local!().run({ payload: { name: "fay", fail: true } });
    const cloud = await runners.cloud!().run({ payload: { name: "fay", fail: true } });
    const shape = (events: ReturnType<typeof local.getHistoryEvents>) => events.map((e) => `${e.EventId} ${e.EventType} ${e.Id ?? ""}`);
    expect(shape(cloud.getHistoryEvents())).toEqual(shape(local.getHistoryEvents()));
    expect(cloud.getOperations().map(describeOperation)).toEqual(local.getOperations().map(describeOperation));
    expect(cloud.getError()).toEqual(local.getError());
  });

  it("reads a history of more than one page", async () => {
    const runner = new CloudDurableTestRunner<number>({ functionName: "fan-out", client, config: { invocationType: InvocationType.Event, pollInterval: 25 } });
    const result = await runner.run();
    expect(result.getResult()).toBe(299 * 300);
    const events = result.getHistoryEvents();
    expect(events.length).toBeGreaterThan(1000);
    expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1));
    expect(runner.getOperation("double").getChildOperations()).toHaveLength(300);
    expect(endpoint.requests.get("GetDurableExecutionHistory")).toBeGreaterThan(1);
  });

  it("fails clearly when Invoke returns no execution ARN (DryRun)", async () => {
    const runner = runners.cloud!(InvocationType.DryRun);
    await expect(runner.run()).rejects.toThrow(/carries no DurableExecutionArn/);
  });

  it("checks its parameters", () => {
    expect(() => new CloudDurableTestRunner({ functionName: "" })).toThrow(/functionName/);
    expect(() => new CloudDurableTestRunner({ functionName: "f", config: { pollInterval: 0 } })).toThrow(/pollInterval/);
  });
});

describe("the endpoint's Invoke API", () => {
  it("answers a RequestResponse invoke with the result, or the error flagged Unhandled, and the ARN", async () => {
    const failed = await client.send(
      new InvokeCommand({ FunctionName: "greeter", Payload: JSON.stringify({ name: "dee", fail: true }) }),
    );
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe("Unhandled");
    expect(failed.DurableExecutionArn).toMatch(/^arn:/);
    expect(JSON.parse(new TextDecoder().decode(failed.Payload))).toMatchObject({ errorType: "Error", errorMessage: "no greeting for dee" });
  });

  it("answers an Event invoke at once with 202 and the ARN; the execution carries on", async () => {
    const started = await client.send(
      new InvokeCommand({ FunctionName: "greeter", InvocationType: "Event", Payload: JSON.stringify({ name: "eve", fail: true }) }),
    );
    expect(started.StatusCode).toBe(202);
    expect(started.DurableExecutionArn).toMatch(/^arn:/);
    const arn = started.DurableExecutionArn as string;
    let status: string | undefined;
    for (let i = 0; i < 200 && status !== "FAILED"; i++) {
      status = (await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).Status;
      if (status !== "FAILED") await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status, "the Event-invoked execution did not reach FAILED within 200 polls").toBe("FAILED");
  });

  it("pages the history by MaxItems and Marker", async () => {
    const { DurableExecutionArn } = await client.send(new InvokeCommand({ FunctionName: "greeter", Payload: JSON.stringify({ name: "gus", fail: true }) }));
    const all = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn }));
    const pages: number[][] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn, MaxItems: 2, Marker: marker }));
      pages.push((page.Events ?? []).map((e) => e.EventId as number));
      marker = page.NextMarker;
    } while (marker);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual((all.Events ?? []).map((e) => e.EventId));
    expect(all.NextMarker).toBeUndefined();
  });

  it("answers an unknown function with ResourceNotFoundException and a body that is not JSON with 400", async () => {
    await expect(client.send(new InvokeCommand({ FunctionName: "nobody" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new InvokeCommand({ FunctionName: "greeter", Payload: "{not json" }))).rejects.toMatchObject({
      name: "InvalidRequestContentException",
    });
  });
});
