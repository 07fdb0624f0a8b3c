// Tests written the way a user of the AWS testing library writes them (setupTestEnvironment,
// runner.run, getError / getOperation(...).getXDetails, plain toEqual), for behaviour a ported
// test relies on: plain JSON results, the BatchResult's JSON, and the shape of errors.
import { withDurableExecution, type BatchResult, type Serdes } from "@cairn/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionStatus, LocalDurableTestRunner, getErrorCause } from "./index.js";

const noRetry = { retryStrategy: () => ({ shouldRetry: false }) };

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("plain JSON results", () => {
  it("a step may return objects with keys named constructor and prototype", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const model = await ctx.step("describe-model", async () => ({
        constructor: "Point",
        prototype: { area: 0, constructor: { name: "Shape" } },
        fields: [{ constructor: "x" }],
      }));
      await ctx.wait({ seconds: 1 });
      return model;
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const result = await runner.run();
    const expected = { constructor: "Point", prototype: { area: 0, constructor: { name: "Shape" } }, fields: [{ constructor: "x" }] };
    expect(result.getStatus()).toBe(ExecutionStatus.SUCCEEDED);
    expect(result.getResult()).toEqual(expected);
    expect(runner.getOperation("describe-model").getStepDetails()?.result).toEqual(expected);
    expect(({} as Record<string, unknown>).area).toBeUndefined();
  });

  it("a step returning parsed data with an own __proto__ key fails with a message naming it", async () => {
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      try {
        return await ctx.step("read-profile", async () => JSON.parse('{"name": "eve", "__proto__": {"isAdmin": true}}') as object, noRetry);
      } catch (error) {
        return { refused: (error as Error).message };
      }
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const result = await runner.run();
    expect(result.getResult()).toEqual({ refused: expect.stringMatching(/value\.__proto__ is an own "__proto__" key/) });
    expect(runner.getOperation("read-profile").getStepDetails()?.error?.errorType).toBe("SerdesError");
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe("a handler returning a map or parallel result", () => {
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    const orders = await ctx.map("orders", [1, 2, 3], async (_c, n) => {
      if (n === 2) throw new TypeError(`order ${n} rejected`);
      return { n };
    }, { completionConfig: { toleratedFailureCount: 1 } });
    await ctx.wait({ seconds: 1 });
    return orders;
  });

  it("returns the JSON the AWS SDK returns: all + completionReason", async () => {
    const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
    expect(result.getResult()).toEqual({
      all: [
        { result: { n: 1 }, index: 0, status: "SUCCEEDED" },
        // The error as JSON.stringify writes a ChildContextError: its enumerable keys, no message.
        { error: expect.objectContaining({ name: "ChildContextError", errorType: "ChildContextError" }), index: 1, status: "FAILED" },
        { result: { n: 3 }, index: 2, status: "SUCCEEDED" },
      ],
      completionReason: "ALL_COMPLETED",
    });
    const failed = (result.getResult() as { all: Array<{ error?: Record<string, unknown> }> }).all[1]?.error;
    expect(Object.keys(failed ?? {}).sort()).toEqual(["cause", "errorType", "name"]);
  });

  it("with a custom serdes storing that JSON, replay still hands the handler a BatchResult", async () => {
    const asJson: Serdes<BatchResult<number>> = {
      serialize: async (value) => JSON.stringify(value),
      deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
    };
    const replayed = withDurableExecution(async (_event: unknown, ctx) => {
      const batch = await ctx.parallel("quotes", [async () => 10, async () => 20], { serdes: asJson });
      await ctx.wait({ seconds: 1 });
      return { total: batch.getResults().reduce((a, b) => a + b, 0), counts: [batch.successCount, batch.totalCount], status: batch.status };
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: replayed }).run();
    expect(result.getInvocations().length).toBeGreaterThan(1);
    expect(result.getResult()).toEqual({ total: 30, counts: [2, 2], status: "SUCCEEDED" });
  });
});

describe("errors in results", () => {
  const handler = withDurableExecution(async (_event: unknown, ctx) => {
    await ctx.step("charge", async () => {
      throw new TypeError("card declined");
    }, noRetry).catch(() => undefined);
    await ctx.runInChildContext("ship", async (child) => {
      await child.step("label", async () => {
        throw new RangeError("no carrier");
      }, noRetry);
    }).catch(() => undefined);
    const [approval] = await ctx.createCallback("approval");
    await approval.catch(() => undefined);
    throw new SyntaxError("order failed");
  });

  it("have the AWS shape, with stackTrace only where an external sender gave one", async () => {
    const runner = new LocalDurableTestRunner({ handlerFunction: handler });
    const running = runner.run();
    const approval = await runner.getOperation("approval").waitForData();
    await approval.sendCallbackFailure({ ErrorType: "Rejected", ErrorMessage: "not today", ErrorData: '{"by":"bob"}', StackTrace: ["at approve (ui.ts:1)"] });
    const result = await running;

    expect(result.getError()).toEqual({ errorMessage: "order failed", errorType: "SyntaxError", errorData: undefined, stackTrace: undefined });
    expect(result.getError()).toStrictEqual({ errorMessage: "order failed", errorType: "SyntaxError", errorData: undefined, stackTrace: undefined });
    expect(runner.getOperation("charge").getStepDetails()?.error).toEqual({ errorMessage: "card declined", errorType: "TypeError" });
    expect(runner.getOperation("ship").getContextDetails()?.error).toEqual({ errorMessage: "no carrier", errorType: "StepError" });
    expect(runner.getOperation("label").getStepDetails()?.error).toEqual({ errorMessage: "no carrier", errorType: "RangeError" });
    expect(runner.getOperation("approval").getCallbackDetails()?.error).toEqual({
      errorMessage: "not today",
      errorType: "Rejected",
      errorData: '{"by":"bob"}',
      stackTrace: ["at approve (ui.ts:1)"],
    });
    expect(JSON.parse(JSON.stringify(result.getError()))).toEqual({ errorMessage: "order failed", errorType: "SyntaxError" });
  });

  it("keep Cairn's cause chain behind getErrorCause", async () => {
    const nested = withDurableExecution(async (_event: unknown, ctx) => {
      await ctx.runInChildContext("ship", async (child) => {
        await child.step("label", async () => {
          throw new RangeError("no carrier");
        }, noRetry);
      });
    });
    const result = await new LocalDurableTestRunner({ handlerFunction: nested }).run();
    const error = result.getError();
    expect(error).toEqual({ errorMessage: "no carrier", errorType: "ChildContextError", errorData: undefined, stackTrace: undefined });
    expect(Object.keys(error)).toEqual(["errorMessage", "errorType", "errorData", "stackTrace"]);
    expect(getErrorCause(error)).toEqual({ errorMessage: "no carrier", errorType: "StepError" });
    expect(getErrorCause(getErrorCause(error))).toEqual({ errorMessage: "no carrier", errorType: "RangeError" });
    expect(getErrorCause(getErrorCause(getErrorCause(error)))).toBeUndefined();
  });
});
