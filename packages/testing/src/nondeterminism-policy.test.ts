import { withDurableExecution } from "@cairn/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { ExecutionStatus, LocalDurableTestRunner } from "./index.js";

/** A handler whose first step is named after the invocation it runs in: the second one diverges. */
function driftingHandler() {
  let invocations = 0;
  return withDurableExecution(async (_event: unknown, ctx) => {
    invocations++;
    await ctx.step(`reserve-v${invocations}`, async () => "reserved");
    await ctx.wait("cool-down", { seconds: 60 });
    return "done";
  });
}

afterEach(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("LocalDurableTestRunner onNondeterminism", () => {
  it("fails the execution on a replay mismatch by default, as AWS's testing library does", async () => {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    const result = await new LocalDurableTestRunner({ handlerFunction: driftingHandler(), printLogs: false }).run();

    expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
    expect(result.getError().errorType).toBe("NonDeterministicExecutionError");
    expect(result.getOrchestrationState()).toBe("completed");
  });

  it("keeps a diverging execution RUNNING and blocked under 'block', naming the operation", async () => {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    const runner = new LocalDurableTestRunner({
      handlerFunction: driftingHandler(),
      onNondeterminism: "block",
      printLogs: false,
    });
    const result = await runner.run();

    expect(result.getStatus()).toBe(ExecutionStatus.RUNNING);
    expect(result.getOrchestrationState()).toBe("blocked");
    const error = result.getError();
    expect(error.errorType).toBe("NonDeterministicExecutionError");
    expect(error.errorMessage).toContain('"reserve-v1"');
    expect(error.errorMessage).toContain('"reserve-v2"');
    // Nothing was undone: the first invocation's step is still on record.
    expect(runner.getOperation("reserve-v1").getStepDetails()?.result).toBe("reserved");
    // The mismatch ended the invocation with its error, and no ExecutionFailed was written.
    const types = result.getHistoryEvents().map((event) => event.EventType);
    expect(types).not.toContain("ExecutionFailed");
    expect(types.filter((type) => type === "InvocationCompleted")).toHaveLength(2);
  });
});
