import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { JitterStrategy } from "../types/step.js";
import { createRetryStrategy } from "./retry-strategy.js";

describe("createRetryStrategy", () => {
  it("doubles the delay from 5 s up to the 60 s cap and stops after 6 attempts by default", () => {
    const strategy = createRetryStrategy({ jitter: JitterStrategy.NONE });
    const delays = [1, 2, 3, 4, 5].map((attempt) => strategy(new Error("x"), attempt));
    expect(delays.map((d) => (d.shouldRetry ? d.delay?.seconds : undefined))).toEqual([5, 10, 20, 40, 60]);
    expect(strategy(new Error("x"), 6)).toEqual({ shouldRetry: false });
  });

  it("keeps a jittered delay within its bounds, in whole seconds of at least 1", () => {
    const half = createRetryStrategy({ jitter: JitterStrategy.HALF, initialDelay: { seconds: 10 }, maxAttempts: 100 });
    const full = createRetryStrategy({ jitter: JitterStrategy.FULL, initialDelay: { seconds: 10 }, maxAttempts: 100 });
    for (let i = 0; i < 50; i++) {
      const h = half(new Error("x"), 1);
      const f = full(new Error("x"), 1);
      const hs = h.shouldRetry ? (h.delay?.seconds ?? -1) : -1;
      const fs = f.shouldRetry ? (f.delay?.seconds ?? -1) : -1;
      expect(Number.isInteger(hs) && hs >= 5 && hs <= 10).toBe(true);
      expect(Number.isInteger(fs) && fs >= 1 && fs <= 10).toBe(true);
    }
  });

  it("retries only the errors retryableErrors / retryableErrorTypes name", () => {
    class Transient extends Error {}
    const strategy = createRetryStrategy({ retryableErrors: ["throttled", /^5\d\d/], retryableErrorTypes: [Transient] });
    expect(strategy(new Error("request throttled"), 1).shouldRetry).toBe(true);
    expect(strategy(new Error("503 unavailable"), 1).shouldRetry).toBe(true);
    expect(strategy(new Transient("x"), 1).shouldRetry).toBe(true);
    expect(strategy(new Error("bad input"), 1)).toEqual({ shouldRetry: false });
  });

  it.each([
    [{ maxAttempts: 0 }, "createRetryStrategy: maxAttempts must be an integer >= 1, got 0."],
    [{ initialDelay: { seconds: 30 }, maxDelay: { seconds: 10 } }, "createRetryStrategy: maxDelay (10 s) must not be below initialDelay (30 s)."],
    [{ backoffRate: 0.5 }, "createRetryStrategy: backoffRate must be a number >= 1, got 0.5."],
    [{ jitter: "SOME" as JitterStrategy }, "createRetryStrategy: jitter must be one of NONE, FULL, HALF, got SOME."],
  ])("rejects %o before building a strategy", (config, message) => {
    expect(() => createRetryStrategy(config)).toThrow(ValidationError);
    expect(() => createRetryStrategy(config)).toThrow(message);
  });
});
