import { describe, expect, it } from "vitest";
import { StepError } from "../errors/durable-errors.js";
import { createRetryStrategy, retryPresets } from "../retry/retry-strategy.js";
import { eventLines, runLocal } from "../test-support/run-local.js";
import { JitterStrategy, StepSemantics } from "../types/step.js";

const run_ = { calls: [] as { Updates?: { Name?: string; Action: string }[] }[] };

describe("step", () => {
  it("returns Date, Map, Set, BigInt and undefined identically on the first run and on replay", async () => {
    const seen: unknown[] = [];
    const run = await runLocal(async (_event, ctx) => {
      const value = await ctx.step("rich", async () => ({
        at: new Date("2024-02-29T12:00:00Z"),
        map: new Map([["k", 1]]),
        set: new Set(["a"]),
        big: 2n ** 70n,
        nothing: undefined,
      }));
      seen.push(value);
      await ctx.wait({ seconds: 1 });
      return "done";
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(seen).toHaveLength(2); // first run, then replay after the wait
    for (const value of seen as Record<string, unknown>[]) {
      expect(value.at).toBeInstanceOf(Date);
      expect((value.at as Date).toISOString()).toBe("2024-02-29T12:00:00.000Z");
      expect(value.map).toEqual(new Map([["k", 1]]));
      expect(value.set).toEqual(new Set(["a"]));
      expect(value.big).toBe(2n ** 70n);
      expect("nothing" in value).toBe(true);
    }
  });

  it("does not re-run a succeeded step body on replay", async () => {
    let bodies = 0;
    const run = await runLocal(async (_e, ctx) => {
      await ctx.step(async () => ++bodies);
      await ctx.wait({ seconds: 10 });
      return ctx.step(async () => "second");
    });
    expect(run.result).toBe("second");
    expect(bodies).toBe(1);
    expect(run.invocations).toHaveLength(2);
  });

  it("retries with the configured backoff and records each attempt", async () => {
    let attempts = 0;
    const run = await runLocal(async (_e, ctx) =>
      ctx.step(
        "flaky",
        async ({ attempt }) => {
          attempts++;
          if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
          return attempt;
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 5, initialDelay: { seconds: 2 }, backoffRate: 3, jitter: JitterStrategy.NONE }) },
      ),
    );
    expect(run.result).toBe(3);
    expect(attempts).toBe(3);
    const failed = run.history.filter((e) => e.EventType === "StepFailed");
    expect(failed.map((e) => e.StepFailedDetails?.RetryDetails)).toEqual([
      { CurrentAttempt: 1, NextAttemptDelaySeconds: 2 },
      { CurrentAttempt: 2, NextAttemptDelaySeconds: 6 },
    ]);
    const succeeded = run.history.find((e) => e.EventType === "StepSucceeded");
    expect(succeeded?.StepSucceededDetails?.RetryDetails?.CurrentAttempt).toBe(3);
    expect(run.invocations).toHaveLength(3);
  });

  it("throws a StepError that keeps the original type, message, data and cause, on the first run and on replay", async () => {
    class TransientError extends Error {
      errorData = JSON.stringify({ code: 503 });
      constructor() {
        super("upstream unavailable");
        this.name = "TransientError";
      }
    }
    const caught: { type: string; message: string; data?: string; causeName?: string; isStepError: boolean }[] = [];
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.step("call", async () => {
          throw new TransientError();
        }, { retryStrategy: retryPresets.noRetry });
      } catch (error) {
        const e = error as StepError;
        caught.push({ type: e.errorType, message: e.message, data: e.errorData, causeName: e.cause?.name, isStepError: e instanceof StepError });
      }
      await ctx.wait({ seconds: 1 });
      return "recovered";
    });
    expect(run.result).toBe("recovered");
    expect(caught).toHaveLength(2);
    expect(caught[0]).toEqual({ type: "StepError", message: "upstream unavailable", data: '{"code":503}', causeName: "TransientError", isStepError: true });
    expect(caught[1]).toEqual(caught[0]);
    const failed = run.history.find((e) => e.EventType === "StepFailed");
    expect(failed?.StepFailedDetails?.Error?.Payload?.ErrorType).toBe("TransientError");
  });

  it("fails the step, saying why, when the retry strategy asks for an impossible delay", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.step("flaky", async () => {
          throw new Error("boom");
        }, { retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 0.5 } }) });
        return "unexpected";
      } catch (error) {
        return { type: (error as StepError).errorType, cause: ((error as Error).cause as Error).name, message: (error as Error).message };
      }
    });
    expect(run.result).toEqual({
      type: "StepError",
      cause: "ValidationError",
      message: expect.stringMatching(/retry delay chosen by the retry strategy of step "flaky".*whole number of seconds/),
    });
    expect(run.history.filter((e) => e.EventType === "StepFailed")).toHaveLength(1);
  });

  it("stops retrying errors the strategy does not list", async () => {
    let attempts = 0;
    const run = await runLocal(async (_e, ctx) =>
      ctx.step(async () => {
        attempts++;
        throw new TypeError("bad input");
      }, { retryStrategy: createRetryStrategy({ retryableErrors: [/timeout/] }) }),
    );
    expect(run.execution.status).toBe("FAILED");
    expect(attempts).toBe(1);
    expect(run.execution.error?.ErrorType).toBe("StepError");
  });

  it("fails only the step whose result cannot be serialized, naming it", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const ok = await ctx.step("fine", async () => "ok");
      try {
        await ctx.step("bad", async () => ({ when: "now" }), {
          serdes: {
            serialize: async () => {
              throw new Error("cannot encode");
            },
            deserialize: async () => undefined,
          },
        });
        return "unexpected";
      } catch (error) {
        return { ok, message: (error as Error).message };
      }
    });
    expect(run.result).toEqual({ ok: "ok", message: expect.stringMatching(/step "bad" \(id 2\).*cannot encode/) });
    expect(eventLines(run.history).filter((l) => l.startsWith("Step"))).toEqual([
      "StepStarted 1 fine",
      "StepSucceeded 1 fine",
      "StepStarted 2 bad",
      "StepFailed 2 bad",
    ]);
  });

  it("refuses an unknown semantics or a retryStrategy that is not a function before the body runs or anything is stored", async () => {
    let bodies = 0;
    const body = async () => ++bodies;
    const run = await runLocal(async (_e, ctx) => {
      const messages: string[] = [];
      for (const config of [
        // The enum's key instead of its value: this used to run the body at least once, silently.
        { semantics: "AtMostOncePerRetry" as unknown as StepSemantics },
        { retryStrategy: 3 as never },
      ]) {
        await ctx.step("charge", body, config).catch((error: unknown) => messages.push(`${(error as Error).name}: ${(error as Error).message}`));
      }
      // The valid forms still run.
      await ctx.step("ok", body, { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: undefined });
      return messages;
    });
    expect(run.result).toEqual([
      'ValidationError: step "charge": semantics must be StepSemantics.AtLeastOncePerRetry or StepSemantics.AtMostOncePerRetry, got "AtMostOncePerRetry".',
      expect.stringMatching(/^ValidationError: step "charge": retryStrategy must be a function .* got number\.$/),
    ]);
    expect(bodies).toBe(1);
    expect(eventLines(run.history).filter((l) => l.startsWith("Step"))).toEqual(["StepStarted 1 ok", "StepSucceeded 1 ok"]);
  });

  it("fails a step whose result holds a function, naming the step and where the function is", async () => {
    const run = await runLocal(async (_e, ctx) => {
      try {
        await ctx.step("build-client", async () => ({ url: "https://example.test", send: () => "sent" }));
        return "unexpected";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(run.result).toMatch(/step "build-client" \(id 1\).*value\.send \(a function\) cannot be checkpointed/);
  });

  it("fails a step whose result holds a promise or a class instance with methods instead of storing {}", async () => {
    class Quote {
      constructor(readonly amount: number) {}
      withTax(): number {
        return this.amount * 1.2;
      }
    }
    const run = await runLocal(async (_e, ctx) => {
      const messages: string[] = [];
      const bodies: [string, () => Promise<unknown>][] = [
        ["fetch-all", async () => ({ pages: [Promise.resolve(1), Promise.resolve(2)] })],
        ["quote", async () => new Quote(10)],
      ];
      for (const [name, body] of bodies) {
        try {
          await ctx.step(name, body);
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      return messages;
    });
    expect(run.result).toEqual([
      expect.stringMatching(/step "fetch-all" \(id 1\).*value\.pages\[0\] is a promise, which would be stored as \{\}; await it/),
      expect.stringMatching(/step "quote" \(id 2\).*value \(an instance of Quote\) would be stored as a plain object.*rebuilds it\. Return a value/),
    ]);
  });

  it("never re-runs an at-most-once step interrupted mid-body, and re-runs an at-least-once one", async () => {
    for (const [semantics, expectedBodies] of [
      [StepSemantics.AtMostOncePerRetry, 1],
      [StepSemantics.AtLeastOncePerRetry, 2],
    ] as const) {
      let bodies = 0;
      let crashInvocation: (() => void) | undefined;
      const run = await runLocal(
        async (_e, ctx) => {
          try {
            return await ctx.step("charge", async () => {
              bodies++;
              if (crashInvocation) {
                // The process dies inside the body: nothing after this point happens.
                const crash = crashInvocation;
                crashInvocation = undefined;
                crash();
                await new Promise(() => undefined);
              }
              return "charged";
            }, { semantics, retryStrategy: retryPresets.noRetry });
          } catch (error) {
            return `failed: ${((error as Error).cause as Error | undefined)?.name}`;
          }
        },
        undefined,
        {
          wrapBackend: (backend, control) => {
            if (control.invocationNumber === 1) crashInvocation = () => control.crash();
            return backend;
          },
        },
      );
      expect(run.crashes).toBe(1);
      expect(bodies).toBe(expectedBodies);
      expect(run.result).toBe(semantics === StepSemantics.AtMostOncePerRetry ? "failed: StepInterruptedError" : "charged");
    }
  });

  it("sends an at-most-once step's START before its body runs", async () => {
    let startStoredBeforeBody = false;
    const run = await runLocal(async (_e, ctx) => {
      await ctx.step("once", async () => {
        startStoredBeforeBody = run_.calls.some((c) => c.Updates?.some((u) => u.Name === "once" && u.Action === "START"));
        return 1;
      }, { semantics: StepSemantics.AtMostOncePerRetry });
      return "ok";
    }, undefined, {
      wrapBackend: (backend) => ({
        getExecutionState: (r) => backend.getExecutionState(r),
        checkpoint: async (r) => {
          const response = await backend.checkpoint(r);
          run_.calls.push(r);
          return response;
        },
      }),
    });
    expect(run.result).toBe("ok");
    expect(startStoredBeforeBody).toBe(true);
  });

  it("batches a step's START and SUCCEED into one checkpoint call", async () => {
    const run = await runLocal(async (_e, ctx) => {
      for (let i = 0; i < 20; i++) await ctx.step(async () => i);
      return "ok";
    });
    expect(run.checkpointCalls).toHaveLength(20);
    expect(run.checkpointCalls.every((c) => c.Updates?.map((u) => u.Action).join() === "START,SUCCEED")).toBe(true);
  });
});
