import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../protocol/history.js";
import { eventLines, runLocal } from "../test-support/run-local.js";

/** Every Input / Result / Error wrapper of an event's details, with where it was found. */
function payloadWrappers(history: HistoryEvent[]): { where: string; wrapper: Record<string, unknown> }[] {
  const found: { where: string; wrapper: Record<string, unknown> }[] = [];
  for (const event of history) {
    const details = (event as unknown as Record<string, Record<string, unknown> | undefined>)[`${event.EventType}Details`];
    for (const key of ["Input", "Result", "Error"]) {
      const wrapper = details?.[key];
      if (wrapper !== undefined) found.push({ where: `${event.EventType} ${event.Id ?? ""} ${key}`, wrapper: wrapper as Record<string, unknown> });
    }
  }
  return found;
}

describe("history payloads in the GetDurableExecutionHistory shape", () => {
  it("writes Truncated: false on every input, result and error, beside the payload", async () => {
    const run = await runLocal(
      async (event: { n: number }, ctx) => {
        const doubled = await ctx.step("double", async () => event.n * 2);
        await ctx.step("nothing", async () => undefined);
        await ctx.wait({ seconds: 1 });
        const inner = await ctx.runInChildContext("child", async (child) => child.step("inner", async () => "in"));
        try {
          await ctx.step("boom", async () => {
            throw new Error("no");
          }, { retryStrategy: () => ({ shouldRetry: false }) });
        } catch {
          // the failure is in the history; the handler carries on
        }
        return { doubled, inner };
      },
      { n: 21 },
    );
    expect(run.execution.status).toBe("SUCCEEDED");

    const wrappers = payloadWrappers(run.history);
    // Execution input and result, three step results, the child context's result and the failed step's error at least.
    expect(wrappers.length).toBeGreaterThanOrEqual(7);
    for (const { where, wrapper } of wrappers) expect(wrapper, where).toHaveProperty("Truncated", false);

    const byName = (name: string, type: string) => run.history.find((e) => e.Name === name && e.EventType === type);
    expect(run.history[0]?.ExecutionStartedDetails?.Input).toEqual({ Payload: '{"n":21}', Truncated: false });
    expect(byName("double", "StepSucceeded")?.StepSucceededDetails?.Result).toEqual({ Payload: "42", Truncated: false });
    // No payload: the wrapper is still there, with Truncated and without a Payload key.
    expect(byName("nothing", "StepSucceeded")?.StepSucceededDetails?.Result).toEqual({ Truncated: false });
    expect(byName("child", "ContextSucceeded")?.ContextSucceededDetails?.Result).toEqual({ Payload: '"in"', Truncated: false });
    expect(byName("boom", "StepFailed")?.StepFailedDetails?.Error).toMatchObject({
      Payload: { ErrorType: "Error", ErrorMessage: "no" },
      Truncated: false,
    });
    expect(run.history.at(-1)?.ExecutionSucceededDetails?.Result).toEqual({ Payload: '{"doubled":42,"inner":"in"}', Truncated: false });
    expect(eventLines(run.history).filter((l) => l.startsWith("StepStarted"))).toHaveLength(4);
  });
});
