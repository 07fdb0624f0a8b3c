import { StepSemantics, withDurableExecution, type OperationUpdate } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, createFaultInjector, type CheckpointFaultInfo, type FaultPlan } from "./index.js";

/** Two steps whose bodies count how often they really ran. */
function countingHandler(semantics: StepSemantics) {
  const runs = { first: 0, second: 0 };
  const handler = withDurableExecution(async (_event, ctx) => {
    const a = await ctx.step("first", async () => ++runs.first, {
      semantics,
      retryStrategy: () => ({ shouldRetry: false }),
    });
    const b = await ctx.step("second", async () => ++runs.second, {
      semantics,
      retryStrategy: () => ({ shouldRetry: false }),
    });
    return a + b;
  });
  return { runs, handler };
}

const succeedOf = (name: string) => (info: CheckpointFaultInfo) =>
  info.phase === "before" && info.updates.some((u: OperationUpdate) => u.Action === "SUCCEED" && u.Name === name);

describe("fault injection", () => {
  it("crashAfterCheckpoint crashes once, re-invokes, and nothing stored is redone", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const clean = await new LocalDurableTestRunner({ handlerFunction: countingHandler(StepSemantics.AtLeastOncePerRetry).handler, skipTime: true }).run();

    const result = await runner.run({ faults: { crashAfterCheckpoint: 1 } });

    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(1);
    const invocations = result.getInvocations();
    expect(invocations).toHaveLength(clean.getInvocations().length + 1);
    expect(invocations[0]?.error?.errorType).toBe("Runtime.ExitError");
    expect(invocations[0]?.error?.errorMessage).toMatch(/after checkpoint 1 was stored/);
    expect(invocations.slice(1).every((i) => i.error === undefined)).toBe(true);
    // Every step result is stored before the next step starts, so no body ran twice.
    expect(result.getResult()).toBe(2);
    expect(runs).toEqual({ first: 1, second: 1 });
  });

  it("an at-least-once body whose result was not stored runs again after a crash", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({
      faults: { crashWhen: succeedOf("second") },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(runs).toEqual({ first: 1, second: 2 });
    expect(result.getResult()).toBe(3);
  });

  it("an at-most-once body interrupted mid-run is not run again", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtMostOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const result = await runner.run({ faults: { crashWhen: succeedOf("second") } });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(runs).toEqual({ first: 1, second: 1 });
    // The interruption goes to the retry strategy, which here gives up: the step fails.
    expect(result.getStatus()).toBe("FAILED");
    expect(runner.getOperation("second").getStatus()).toBe("FAILED");
    expect(runner.getOperation("second").getStepDetails()?.error?.errorType).toMatch(/StepInterruptedError/);
  });

  it("crashAfterStart stops an at-most-once step after its START is stored, before the body runs", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtMostOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const result = await runner.run({ faults: { crashAfterStart: "first" } });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getInvocations()[0]?.error?.errorMessage).toMatch(/START of "first"/);
    expect(runs.first).toBe(0);
    expect(result.getStatus()).toBe("FAILED");
    expect(runner.getOperation("first").getStepDetails()?.error?.errorType).toMatch(/StepInterruptedError/);
  });

  it("crashBeforeCompletion loses a finished body's outcome: at-least-once re-runs it, at-most-once does not", async () => {
    for (const [semantics, bodies, status] of [
      [StepSemantics.AtLeastOncePerRetry, 2, "SUCCEEDED"],
      [StepSemantics.AtMostOncePerRetry, 1, "FAILED"],
    ] as const) {
      const { runs, handler } = countingHandler(semantics);
      const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
      const result = await runner.run({ faults: { crashBeforeCompletion: "first" } });
      expect(result.getInjectedCrashCount()).toBe(1);
      expect(result.getInvocations()[0]?.error?.errorMessage).toMatch(/before the completion of "first"/);
      expect(runs.first).toBe(bodies);
      expect(result.getStatus()).toBe(status);
    }
  });

  it("crashBeforeCheckpoint loses the unstored checkpoint and the run still completes", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const seen: number[] = [];
    const result = await runner.run({
      faults: {
        crashBeforeCheckpoint: 1,
        crashWhen: (info) => {
          if (info.phase === "before") seen.push(info.checkpointNumber);
          return false;
        },
      },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getInvocations()[0]?.error?.errorMessage).toMatch(/before checkpoint 1 was stored/);
    // Numbers are global across invocations and never reused.
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(seen.length);
    expect(runs.second).toBe(1);
  });

  it("fires each fault once even if its condition holds again", async () => {
    const { handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const result = await new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run({
      faults: { crashWhen: () => true, crashAfterCheckpoint: [2, 3] },
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getInjectedCrashCount()).toBe(3);
  });

  it("rejects a malformed fault plan before anything runs", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    await expect(runner.run({ faults: { crashAfterCheckpoint: 0 } })).rejects.toThrow(/positive integer/);
    expect(runs.first).toBe(0);
  });

  it("rejects crash names that are not non-empty strings, which would never fire", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    // Plain JavaScript callers (or `as any`) can hand over what the types forbid.
    const plan = (faults: Record<string, unknown>) => ({ faults: faults as FaultPlan });
    const expected = (field: string, got: string) =>
      new TypeError(`faults.${field} must be a non-empty string (the operation's name), got ${got}`);

    await expect(runner.run(plan({ crashAfterStart: 42 }))).rejects.toThrow(expected("crashAfterStart", "42"));
    await expect(runner.run(plan({ crashAfterStart: "" }))).rejects.toThrow(expected("crashAfterStart", '""'));
    await expect(runner.run(plan({ crashBeforeCompletion: ["first", 7] }))).rejects.toThrow(
      expected("crashBeforeCompletion", "7"),
    );
    await expect(runner.run(plan({ crashBeforeCompletion: [""] }))).rejects.toThrow(expected("crashBeforeCompletion", '""'));
    expect(() => createFaultInjector({ crashAfterStart: 1 } as unknown as FaultPlan)).toThrow(TypeError);
    expect(runs.first).toBe(0);
  });

  it("rejects a crashWhen that is not a function before anything runs", async () => {
    const { runs, handler } = countingHandler(StepSemantics.AtLeastOncePerRetry);
    const runner = new LocalDurableTestRunner({ handlerFunction: handler, skipTime: true });
    const expected = (got: string) => new TypeError(`faults.crashWhen must be a function (info) => boolean, got ${got}`);

    await expect(runner.run({ faults: { crashWhen: "first" as unknown as FaultPlan["crashWhen"] } })).rejects.toThrow(
      expected('"first"'),
    );
    await expect(runner.run({ faults: { crashWhen: [() => false, {}] as unknown as FaultPlan["crashWhen"] } })).rejects.toThrow(
      expected("[object Object]"),
    );
    expect(() => createFaultInjector({ crashWhen: true as unknown as FaultPlan["crashWhen"] })).toThrow(expected("true"));
    expect(runs.first).toBe(0);
  });
});
