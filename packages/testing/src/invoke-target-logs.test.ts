// getLogs() of a run includes the lines of its chained invokes' durable targets, each marked
// with the invoke that started it.
import { withDurableExecution } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";

describe("logs of chained-invoke targets", () => {
  it("reach the caller's run, marked with the function and invoke; nested targets keep their own mark", async () => {
    const inner = withDurableExecution(async (_event: unknown, ctx) => {
      ctx.logger.info("inner working");
      return "inner-done";
    });
    const outer = withDurableExecution(async (_event: unknown, ctx) => {
      ctx.logger.info("outer started");
      await ctx.wait({ seconds: 10 }); // replays: the line above is not logged twice
      return ctx.invoke("call-inner", "inner-fn", {});
    });
    const caller = withDurableExecution(async (_event: unknown, ctx) => {
      ctx.logger.info("caller started");
      return ctx.invoke("call-outer", "outer-fn", {});
    });
    const runner = new LocalDurableTestRunner({ handlerFunction: caller, skipTime: true })
      .registerDurableFunction("outer-fn", outer)
      .registerDurableFunction("inner-fn", inner);

    const result = await runner.run();

    expect(result.getResult()).toBe("inner-done");
    const callerArn = result.getExecutionArn();
    const lines = result.getLogs().map((l) => ({ message: l.message, invokedAs: l.invokedAs, arn: l.executionArn }));
    expect(lines.map((l) => l.message)).toEqual(["caller started", "outer started", "inner working"]);
    expect(lines[0]?.invokedAs).toBeUndefined();
    expect(lines[1]?.invokedAs).toEqual({ functionName: "outer-fn", callerExecutionArn: callerArn, operationId: "1" });
    expect(lines[1]?.arn).not.toBe(callerArn); // the target's own execution
    expect(lines[2]?.invokedAs).toEqual({ functionName: "inner-fn", callerExecutionArn: lines[1]?.arn, operationId: "2" });
  });
});
