import {
  ExecutionStatus,
  LocalDurableTestRunner,
  OperationStatus,
  OperationType,
} from "@aws/durable-execution-sdk-js-testing";
import { broken, caller, combinators, doubler, echo, failingCall, payloadProbe, pollJob } from "./misc";

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("waitForCondition", () => {
  it("polls until the condition holds, one invocation per check", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: pollJob });
    const result = await runner.run({ payload: { readyAfter: 3 } });

    expect(result.getResult()).toEqual({ checks: 3, ready: true });
    const poll = runner.getOperation("poll-job");
    expect(poll.getType()).toBe(OperationType.STEP);
    expect(poll.getSubType()).toBe("WaitForCondition");
    expect(poll.getStepDetails()?.result).toEqual({ checks: 3, ready: true });
    expect(result.getInvocations()).toHaveLength(3);
    expect(result.getHistoryEvents().filter((event) => event.EventType === "StepStarted")).toHaveLength(3);
  });
});

describe("invoke", () => {
  it("calls registered durable and plain functions, handing {} when there is no input", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: caller });
    runner.registerDurableFunction("doubler", doubler).registerFunction("echo", echo);
    const result = await runner.run({ payload: { n: 21 } });

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual({
      durable: { doubled: 42, keys: ["n"] },
      plain: { echoed: { hello: "world" } },
      noInput: { doubled: 0, keys: [] },
    });
    const call = runner.getOperation("call-doubler");
    expect(call.getType()).toBe(OperationType.CHAINED_INVOKE);
    expect(call.getChainedInvokeDetails()).toEqual({ result: { doubled: 42, keys: ["n"] } });
    expect(result.getOperations().map((op) => op.getName())).toEqual(["call-doubler", "call-echo", "call-doubler-without-input"]);
  });

  it("hands the caller an InvokeError when the target fails", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: failingCall });
    runner.registerDurableFunction("broken", broken);
    const result = await runner.run();

    expect(result.getResult()).toEqual({ name: "InvokeError", message: "target is broken" });
    const call = runner.getOperation("call-broken");
    expect(call.getStatus()).toBe(OperationStatus.FAILED);
    expect(call.getChainedInvokeDetails()?.error).toEqual({
      errorType: "TypeError",
      errorMessage: "target is broken",
      errorData: undefined,
      stackTrace: undefined,
    });
  });

  it("hands the handler {} when run() has no payload", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: payloadProbe });
    const result = await runner.run();

    expect(result.getResult()).toEqual({ event: {}, type: "object" });
  });
});

describe("promise combinators", () => {
  it("combines durable promises like Promise.all/allSettled/any/race", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: combinators });
    const result = await runner.run();

    expect(result.getResult()).toEqual({
      all: ["A", "B"],
      settled: [
        { status: "fulfilled", value: 1 },
        { status: "rejected", reason: "nope" },
      ],
      any: "second",
      race: "hare",
    });
    expect(runner.getOperation("bad").getStatus()).toBe(OperationStatus.FAILED);
    expect(runner.getOperation("second-wins").getStepDetails()?.result).toBe("second");
    expect(runner.getOperation("hare").getStatus()).toBe(OperationStatus.SUCCEEDED);
  });

  it("records each combinator as a context of its own", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: combinators });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    const combined = ["all", "settled", "any", "race"].map((name) => runner.getOperation(name));
    expect(combined.map((op) => [op.getType(), op.getSubType(), op.getStatus()])).toEqual([
      [OperationType.CONTEXT, "RunInChildContext", OperationStatus.SUCCEEDED],
      [OperationType.CONTEXT, "RunInChildContext", OperationStatus.SUCCEEDED],
      [OperationType.CONTEXT, "RunInChildContext", OperationStatus.SUCCEEDED],
      [OperationType.CONTEXT, "RunInChildContext", OperationStatus.SUCCEEDED],
    ]);
  });
});
