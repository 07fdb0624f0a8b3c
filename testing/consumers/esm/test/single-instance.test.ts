// One copy of each package in a vitest process that both imports and requires them: the same
// classes, errors from one entry are instances of the other's classes, and test-environment
// state set through one entry reaches runners from the other.
import { createRequire } from "node:module";
import * as sdk from "@cairn/sdk";
import * as testing from "@cairn/testing";
import { afterAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const requiredSdk = require("@cairn/sdk") as typeof sdk;
const requiredTesting = require("@cairn/testing") as typeof testing;

afterAll(() => testing.LocalDurableTestRunner.teardownTestEnvironment());

describe("one instance across import and require", () => {
  it("gives both entries the same classes", () => {
    expect(requiredSdk.StepError).toBe(sdk.StepError);
    expect(requiredSdk.withDurableExecution).toBe(sdk.withDurableExecution);
    expect(requiredTesting.LocalDurableTestRunner).toBe(testing.LocalDurableTestRunner);
    expect(requiredTesting.OperationStatus).toBe(sdk.OperationStatus);
  });

  it("throws errors from the required SDK that are instances of the imported classes", async () => {
    await testing.LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    let caught: unknown;
    const handler = requiredSdk.withDurableExecution(async (_event: unknown, ctx: sdk.DurableContext) => {
      await ctx.wait("a-year", { days: 365 });
      try {
        await ctx.step("always-fails", async () => {
          throw new Error("boom");
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      } catch (error) {
        caught = error;
      }
      return "handled";
    });
    const started = Date.now();
    const result = await new requiredTesting.LocalDurableTestRunner({ handlerFunction: handler }).run();
    expect(result.getResult()).toBe("handled");
    expect(caught).toBeInstanceOf(sdk.StepError);
    expect(caught).toBeInstanceOf(requiredSdk.StepError);
    // skipTime was set through the imported class; the required one honoured it.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
