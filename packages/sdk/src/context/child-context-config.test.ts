import { describe, expect, it } from "vitest";
import { ChildContextError, DurableOperationError, StepError } from "../errors/durable-errors.js";
import { ValidationError } from "../errors/validation-error.js";
import { retryPresets } from "../retry/retry-strategy.js";
import { runLocal } from "../test-support/run-local.js";

/** An error of the handler's own, as an errorMapper might make one. */
class PaymentFailed extends DurableOperationError {
  readonly errorType = "PaymentFailed";
}

describe("runInChildContext config", () => {
  describe("summaryGenerator", () => {
    it("stores the summary in place of a result too large to checkpoint; replay still rebuilds the value", async () => {
      let bodies = 0;
      const run = await runLocal(async (_e, ctx) => {
        const big = await ctx.runInChildContext(
          "big",
          async (c) => {
            const seed = await c.step("seed", async () => (bodies++, "x"));
            return seed.repeat(300 * 1024);
          },
          { summaryGenerator: (value) => `${value.length} characters` },
        );
        const small = await ctx.runInChildContext("small", async () => "fits", { summaryGenerator: () => "never stored" });
        await ctx.wait({ seconds: 1 });
        return [big.length, small];
      });
      expect(run.result).toEqual([300 * 1024, "fits"]);
      expect(bodies).toBe(1);
      const big = run.operations.find((o) => o.Name === "big");
      expect(big?.ContextDetails).toMatchObject({ ReplayChildren: true, Result: `${300 * 1024} characters` });
      expect(run.operations.find((o) => o.Name === "small")?.ContextDetails?.Result).toBe('"fits"');
    });

    it("stores no summary when the generator throws or returns no string, and the context still succeeds", async () => {
      const run = await runLocal(async (_e, ctx) => {
        const throwing = await ctx.runInChildContext("throwing", async () => "y".repeat(300 * 1024), {
          summaryGenerator: () => {
            throw new Error("no summary");
          },
        });
        const wrong = await ctx.runInChildContext("wrong", async () => "z".repeat(300 * 1024), { summaryGenerator: () => 42 as never });
        return throwing.length + wrong.length;
      });
      expect(run.result).toBe(600 * 1024);
      for (const name of ["throwing", "wrong"]) {
        expect(run.operations.find((o) => o.Name === name)?.ContextDetails, name).toEqual({ ReplayChildren: true });
      }
    });
  });

  describe("errorMapper", () => {
    it("throws the mapped error, made from the stored error, on the first run and on replay", async () => {
      const seen: unknown[] = [];
      const run = await runLocal(async (_e, ctx) => {
        const attempt = async () => {
          try {
            await ctx.runInChildContext(
              "pay",
              async (c) => c.step("charge", async () => {
                throw new RangeError("card declined");
              }, { retryStrategy: retryPresets.noRetry }),
              { errorMapper: (original) => new PaymentFailed(`payment: ${original.message}`, original) },
            );
          } catch (error) {
            seen.push(error);
          }
        };
        await attempt();
        await ctx.wait({ seconds: 1 });
        return "done";
      });
      expect(run.result).toBe("done");
      expect(seen).toHaveLength(2); // the first run, then the replay after the wait
      for (const error of seen) {
        expect(error).toBeInstanceOf(PaymentFailed);
        expect((error as Error).message).toBe("payment: card declined");
        expect((error as Error).cause).toBeInstanceOf(StepError);
      }
      // The checkpoint keeps the function's own error; the mapping is the handler's view of it.
      expect(run.operations.find((o) => o.Name === "pay")?.ContextDetails?.Error?.ErrorMessage).toBe("card declined");
    });
  });

  describe("virtualContext", () => {
    it("checkpoints no operation of its own: its steps belong to the enclosing context and replay from their checkpoints", async () => {
      let bodies = 0;
      const run = await runLocal(async (_e, ctx) => {
        const total = await ctx.runInChildContext(
          "virtual",
          async (c) => {
            const a = await c.step("a", async () => (bodies++, 2));
            const b = await c.step("b", async () => (bodies++, 3));
            return a + b;
          },
          { virtualContext: true },
        );
        await ctx.wait({ seconds: 1 });
        return ctx.runInChildContext("after", async (c) => c.step("c", async () => total * 10));
      });
      expect(run.result).toBe(50);
      expect(bodies).toBe(2);
      expect(run.operations.some((o) => o.Name === "virtual")).toBe(false);
      const steps = run.operations.filter((o) => o.Name === "a" || o.Name === "b");
      expect(steps.map((o) => [o.Id, o.ParentId])).toEqual([["1-1", undefined], ["1-2", undefined]]);
    });

    it("fails with a ChildContextError, or the errorMapper's error, though nothing of it is stored", async () => {
      const run = await runLocal(async (_e, ctx) => {
        const failing = async (c: { step: typeof ctx.step }) =>
          c.step("boom", async () => {
            throw new Error("virtual failure");
          }, { retryStrategy: retryPresets.noRetry });
        const errors: unknown[] = [];
        for (const config of [{ virtualContext: true }, { virtualContext: true, errorMapper: (e: DurableOperationError) => new PaymentFailed(e.message, e) }]) {
          try {
            await ctx.runInChildContext(failing, config);
          } catch (error) {
            errors.push([(error as Error).constructor.name, (error as Error).message, (error as Error).cause instanceof StepError]);
          }
        }
        return errors;
      });
      expect(run.result).toEqual([
        [ChildContextError.name, "virtual failure", true],
        [PaymentFailed.name, "virtual failure", true],
      ]);
      expect(run.operations.filter((o) => o.Type === "CONTEXT")).toEqual([]);
    });
  });

  it("rejects a config field of the wrong kind before anything is checkpointed", async () => {
    const bad = [{ errorMapper: "no" }, { summaryGenerator: 1 }, { virtualContext: "yes" }];
    for (const config of bad) {
      const run = await runLocal(async (_e, ctx) => {
        try {
          await ctx.runInChildContext("bad", async () => 1, config as never);
          return "no error";
        } catch (error) {
          return [error instanceof ValidationError, (error as Error).message];
        }
      });
      expect(run.result, JSON.stringify(config)).toEqual([true, expect.stringContaining(`runInChildContext "bad": ${Object.keys(config)[0]}`)]);
      expect(run.operations.filter((o) => o.Type !== "EXECUTION")).toEqual([]);
    }
  });
});
