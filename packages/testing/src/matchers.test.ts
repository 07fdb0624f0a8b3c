import { withDurableExecution } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";
import "./vitest.js";

describe("vitest matchers", () => {
  const ok = new LocalDurableTestRunner({
    handlerFunction: withDurableExecution(async (_e, ctx) => ({ v: await ctx.step("s", async () => 1) })),
    skipTime: true,
  });
  const bad = new LocalDurableTestRunner({
    handlerFunction: withDurableExecution(async () => {
      throw new Error("nope, not today");
    }),
    skipTime: true,
  });

  it("pass and fail with readable messages", async () => {
    const good = await ok.run();
    const failed = await bad.run();
    expect(good).toHaveSucceeded();
    expect(good).toHaveResult({ v: 1 });
    expect(good).toHaveInvocationCount(1);
    expect(good).not.toHaveFailed();
    expect(failed).toHaveFailed();
    expect(failed).toHaveFailed("not today");
    expect(failed).toHaveFailed(/^nope/);
    expect(failed).not.toHaveSucceeded();
    expect(() => expect(failed).toHaveSucceeded()).toThrow(/to succeed, but it ended FAILED.*nope, not today/);
    expect(() => expect(good).toHaveResult({ v: 2 })).toThrow(/succeed with \{"v":2\}, but it ended SUCCEEDED with \{"v":1\}/);
    expect(() => expect({}).toHaveSucceeded()).toThrow(/TestResult/);
  });
});
