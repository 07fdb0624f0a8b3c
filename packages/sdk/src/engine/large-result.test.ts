import { describe, expect, it } from "vitest";
import { MAX_EXECUTION_RESULT_BYTES } from "../protocol/limits.js";
import { runLocal } from "../test-support/run-local.js";

describe("a handler result over the invocation response limit", () => {
  it("is checkpointed as the execution's result and the invocation returns without it", async () => {
    const big = "r".repeat(MAX_EXECUTION_RESULT_BYTES + 10);
    const run = await runLocal(async (_event, ctx) => {
      await ctx.step("small", async () => 1);
      return big;
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.result).toBe(big);
    const last = run.invocations.at(-1)?.outcome;
    expect(last?.kind === "returned" && last.output).toEqual({ Status: "SUCCEEDED" });
    const executionUpdates = run.checkpointCalls.flatMap((c) => c.Updates ?? []).filter((u) => u.Type === "EXECUTION");
    expect(executionUpdates.map((u) => [u.Action, u.Payload?.length])).toEqual([["SUCCEED", big.length + 2]]);
  });
});
