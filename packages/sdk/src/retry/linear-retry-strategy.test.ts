import { describe, expect, it } from "vitest";
import { JitterStrategy } from "../types/step.js";
import { createLinearRetryStrategy } from "./retry-strategy.js";

const delays = (strategy: ReturnType<typeof createLinearRetryStrategy>, attempts: number[]) =>
  attempts.map((n) => strategy(new Error("x"), n));

describe("createLinearRetryStrategy", () => {
  it("waits initialDelay, then adds increment per further retry (the AWS SDK's fields)", () => {
    const strategy = createLinearRetryStrategy({ maxAttempts: 4, initialDelay: { seconds: 2 }, increment: { seconds: 3 } });
    expect(delays(strategy, [1, 2, 3, 4])).toEqual([
      { shouldRetry: true, delay: { seconds: 2 } },
      { shouldRetry: true, delay: { seconds: 5 } },
      { shouldRetry: true, delay: { seconds: 8 } },
      { shouldRetry: false },
    ]);
  });

  it("keeps its defaults and the earlier delayIncrement name: n times the increment", () => {
    expect(delays(createLinearRetryStrategy(), [1, 2, 5])).toEqual([
      { shouldRetry: true, delay: { seconds: 5 } },
      { shouldRetry: true, delay: { seconds: 10 } },
      { shouldRetry: false },
    ]);
    expect(delays(createLinearRetryStrategy({ delayIncrement: { seconds: 2 } }), [3])).toEqual([{ shouldRetry: true, delay: { seconds: 6 } }]);
  });

  it("caps at maxDelay and jitters within the delay", () => {
    const capped = createLinearRetryStrategy({ maxAttempts: 10, increment: { seconds: 10 }, maxDelay: { seconds: 25 } });
    expect(delays(capped, [3])).toEqual([{ shouldRetry: true, delay: { seconds: 25 } }]);
    const jittered = createLinearRetryStrategy({ maxAttempts: 10, increment: { seconds: 10 }, jitter: JitterStrategy.HALF });
    for (let i = 0; i < 20; i++) {
      const seconds = (jittered(new Error("x"), 2) as { delay: { seconds: number } }).delay.seconds;
      expect(seconds).toBeGreaterThanOrEqual(10);
      expect(seconds).toBeLessThanOrEqual(20);
    }
  });

  it("retries only matching errors when retryableErrors or retryableErrorTypes is given", () => {
    const strategy = createLinearRetryStrategy({ retryableErrors: [/throttled/], retryableErrorTypes: [RangeError] });
    expect(strategy(new Error("request throttled"), 1).shouldRetry).toBe(true);
    expect(strategy(new RangeError("out of range"), 1).shouldRetry).toBe(true);
    expect(strategy(new Error("bad input"), 1).shouldRetry).toBe(false);
  });

  it("rejects increment together with delayIncrement, and bad durations, naming the field", () => {
    expect(() => createLinearRetryStrategy({ increment: { seconds: 1 }, delayIncrement: { seconds: 1 } })).toThrow(/increment or its earlier name delayIncrement/);
    expect(() => createLinearRetryStrategy({ initialDelay: { seconds: -1 } })).toThrow(/createLinearRetryStrategy: initialDelay/);
    expect(() => createLinearRetryStrategy({ jitter: "SOME" as JitterStrategy })).toThrow(/jitter must be one of/);
  });
});
