import { describe, expect, it } from "vitest";
import { PromiseCombinatorError, StepError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import type { HistoryEvent } from "../protocol/history.js";
import { createRetryStrategy } from "../retry/retry-strategy.js";
import { eventLines, runLocal } from "../test-support/run-local.js";

const START = new Date("2026-01-01T00:00:00Z").getTime();

/** Seconds after the run's start (the virtual clock's origin) at which an event happened. */
function at(history: HistoryEvent[], type: string, id?: string): number {
  const event = history.find((e) => e.EventType === type && (id === undefined || e.Id === id));
  if (!event) throw new Error(`no ${type} ${id ?? ""} in ${eventLines(history).join(", ")}`);
  return (new Date(event.EventTimestamp).getTime() - START) / 1000;
}

const NO_RETRY = createRetryStrategy({ maxAttempts: 1 });

describe("ctx.promise", () => {
  it("race of a 1 s and a 10 s wait resolves at 1 s and replays the same winner", async () => {
    const winners: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      const winner = await ctx.promise.race("first", [
        ctx.wait("short", { seconds: 1 }).then(() => "short"),
        ctx.wait("long", { seconds: 10 }).then(() => "long"),
      ]);
      winners.push(winner);
      // Keep the execution alive past the long wait, so a replay sees both waits finished.
      await ctx.wait("after", { seconds: 20 });
      return winner;
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(run.result).toBe("short");
    // Live at 1 s, replayed at 10 s (the long wait's timer) with both waits finished, and at 21 s.
    expect(winners).toEqual(["short", "short", "short"]);
    const race = run.history.find((e) => e.EventType === "ContextSucceeded" && e.Name === "first");
    expect(race?.SubType).toBe("RunInChildContext");
    expect(at(run.history, "ContextSucceeded", race?.Id)).toBe(1);
    expect(at(run.history, "WaitSucceeded", "1")).toBe(1);
  });

  it("suspends while every input is blocked and resumes as soon as one can progress", async () => {
    const run = await runLocal(async (_e, ctx) => {
      return ctx.promise.race([ctx.wait({ seconds: 3 }).then(() => "a"), ctx.wait({ seconds: 7 }).then(() => "b")]);
    });
    expect(run.result).toBe("a");
    // First invocation starts both waits and suspends; the second (at 3 s) completes the race.
    expect(run.invocations).toHaveLength(2);
    expect(run.invocations.map((i) => i.outcome.kind === "returned" && i.outcome.output.Status)).toEqual(["PENDING", "SUCCEEDED"]);
    expect((run.invocations[1]!.startTimestamp.getTime() - START) / 1000).toBe(3);
  });

  it("runs parallel waits side by side: two 5 s waits finish at 5 s, not 10 s", async () => {
    const run = await runLocal(async (_e, ctx) => {
      await ctx.promise.all([ctx.wait("a", { seconds: 5 }), ctx.wait("b", { seconds: 5 })]);
      return "done";
    });
    expect(run.result).toBe("done");
    expect(at(run.history, "WaitSucceeded", "1")).toBe(5);
    expect(at(run.history, "WaitSucceeded", "2")).toBe(5);
    expect(at(run.history, "ExecutionSucceeded")).toBe(5);
  });

  it("all returns values in input order, whatever order they finish in", async () => {
    const run = await runLocal(async (_e, ctx) =>
      ctx.promise.all("both", [
        ctx.runInChildContext(async (c) => {
          await c.wait({ seconds: 4 });
          return "slow";
        }),
        ctx.step(async () => "fast"),
      ]),
    );
    expect(run.result).toEqual(["slow", "fast"]);
  });

  it("all rejects with PromiseCombinatorError carrying the step's error, and the handler can catch it", async () => {
    const caught: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.promise.all([
          ctx.step("ok", async () => 1),
          ctx.step("boom", async () => {
            throw new Error("kaput");
          }, { retryStrategy: NO_RETRY }),
        ]);
      } catch (error) {
        caught.push(error);
      }
      await ctx.wait({ seconds: 1 }); // forces a replay of the failed combinator
      return "handled";
    });
    expect(run.result).toBe("handled");
    expect(caught).toHaveLength(2);
    for (const error of caught) {
      expect(error).toBeInstanceOf(PromiseCombinatorError);
      expect((error as Error).message).toBe("kaput");
      expect((error as Error).cause).toBeInstanceOf(StepError);
    }
    expect(eventLines(run.history)).toContain("ContextFailed 3");
  });

  it("allSettled hands rejections back as plain errors, as the AWS SDK does, on every run", async () => {
    const seen: PromiseSettledResult<number>[][] = [];
    await runLocal(async (_e, ctx) => {
      const results = await ctx.promise.allSettled([
        ctx.step(async () => 1),
        ctx.step(async (): Promise<number> => {
          throw new TypeError("bad input");
        }, { retryStrategy: NO_RETRY }),
      ]);
      seen.push(results);
      await ctx.wait({ seconds: 1 });
    });
    expect(seen).toHaveLength(2);
    for (const results of seen) {
      expect(results[0]).toEqual({ status: "fulfilled", value: 1 });
      expect(results[1]?.status).toBe("rejected");
      const reason = (results[1] as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(Error);
      expect(reason).not.toBeInstanceOf(StepError);
      expect(reason.name).toBe("StepError");
      expect(reason.message).toBe("bad input");
      // Its JSON is the name alone, as on AWS: a result holding it serializes the same on both.
      expect(JSON.parse(JSON.stringify(results[1]))).toStrictEqual({ status: "rejected", reason: { name: "StepError" } });
    }
  });

  it("any ignores rejections until one input succeeds, and fails when all reject", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const first = await ctx.promise.any([
        ctx.step(async (): Promise<string> => {
          throw new Error("no");
        }, { retryStrategy: NO_RETRY }),
        ctx.wait({ seconds: 2 }).then(() => "late"),
      ]);
      let none: unknown;
      try {
        await ctx.promise.any("none", [ctx.step(async () => Promise.reject(new Error("x")), { retryStrategy: NO_RETRY })]);
      } catch (error) {
        none = error;
      }
      return { first, none: (none as Error).name, cause: ((none as Error).cause as Error).name };
    });
    expect(run.result).toEqual({ first: "late", none: "PromiseCombinatorError", cause: "AggregateError" });
  });

  it("rejects bad input before anything is written, naming the combinator", async () => {
    const errors: unknown[] = [];
    const run = await runLocal(async (_e, ctx) => {
      for (const bad of [() => ctx.promise.all("named", "nope" as never), () => ctx.promise.race(42 as never, [])]) {
        try {
          await bad();
        } catch (error) {
          errors.push(error);
        }
      }
      return ctx.step("next", async () => "ok");
    });
    expect(errors.map((e) => (e as Error).message)).toEqual([
      expect.stringMatching(/^promise\.all "named": pass an array of durable promises/),
      expect.stringMatching(/^promise\.race "42": the name must be a string/),
    ]);
    expect(errors.every((e) => e instanceof ValidationError)).toBe(true);
    // The failed calls took no id: the step is operation 1.
    expect(run.operations.find((o) => o.Name === "next")?.Id).toBe("1");
  });

  it("raises no unhandled rejection when inputs reject, on the first run or on replay", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const run = await runLocal(async (_e, ctx) => {
        const failing = ctx.step(async () => Promise.reject(new Error("late failure")), { retryStrategy: NO_RETRY });
        const winner = await ctx.promise.race([ctx.step(async () => "quick"), failing]);
        await ctx.wait({ seconds: 1 });
        return winner;
      });
      expect(run.result).toBe("quick");
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
