import { afterEach, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { JitterStrategy } from "../types/step.js";
import { WaitStrategyExhaustedError, createWaitStrategy } from "./wait-strategy.js";

const notDone = (s: { done: boolean }) => !s.done;

describe("createWaitStrategy", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stops as soon as the condition is met, whatever the attempt", () => {
    const strategy = createWaitStrategy({ shouldContinuePolling: notDone, maxAttempts: 2 });
    expect(strategy({ done: true }, 1)).toEqual({ shouldContinue: false });
    // Even past maxAttempts: a met condition is a success, not an exhaustion.
    expect(strategy({ done: true }, 5)).toEqual({ shouldContinue: false });
  });

  it("backs off exponentially from initialDelay, capped at maxDelay, in whole seconds", () => {
    const strategy = createWaitStrategy({
      shouldContinuePolling: notDone,
      initialDelay: { seconds: 3 },
      backoffRate: 1.5,
      maxDelay: { seconds: 10 },
      jitter: JitterStrategy.NONE,
    });
    const delays = [1, 2, 3, 4, 5].map((attempt) => strategy({ done: false }, attempt));
    // 3, 4.5 -> 5 (rounded), 6.75 -> 7, 10.1 -> 10 (cap), cap
    expect(delays.map((d) => (d.shouldContinue ? d.delay : undefined))).toEqual([
      { seconds: 3 },
      { seconds: 5 },
      { seconds: 7 },
      { seconds: 10 },
      { seconds: 10 },
    ]);
  });

  it("defaults: 5 s initial delay, x1.5, full jitter within [1, delay]", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const strategy = createWaitStrategy({ shouldContinuePolling: notDone });
    expect(strategy({ done: false }, 1)).toEqual({ shouldContinue: true, delay: { seconds: 3 } }); // 2.5 -> 3
    vi.spyOn(Math, "random").mockReturnValue(0);
    expect(strategy({ done: false }, 1)).toEqual({ shouldContinue: true, delay: { seconds: 1 } }); // never below 1 s
  });

  it("half jitter stays within [delay/2, delay]", () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const strategy = createWaitStrategy({ shouldContinuePolling: notDone, initialDelay: { seconds: 10 }, jitter: JitterStrategy.HALF });
    expect(strategy({ done: false }, 1)).toEqual({ shouldContinue: true, delay: { seconds: 5 } });
  });

  it("throws WaitStrategyExhaustedError when the attempts run out with the condition unmet", () => {
    const strategy = createWaitStrategy({ shouldContinuePolling: notDone, maxAttempts: 3 });
    expect(strategy({ done: false }, 2).shouldContinue).toBe(true);
    expect(() => strategy({ done: false }, 3)).toThrow(WaitStrategyExhaustedError);
    expect(() => strategy({ done: false }, 3)).toThrow(/gave up after 3 checks/);
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts must be an integer >= 1/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ initialDelay: { seconds: -1 } }, /initialDelay/],
    [{ initialDelay: { seconds: 20 }, maxDelay: { seconds: 10 } }, /maxDelay \(10 s\) must not be below initialDelay \(20 s\)/],
    [{ backoffRate: 0.5 }, /backoffRate must be a number >= 1/],
    [{ jitter: "SOME" as JitterStrategy }, /jitter must be one of/],
  ])("rejects %o", (config, message) => {
    expect(() => createWaitStrategy({ shouldContinuePolling: notDone, ...config })).toThrow(message);
    expect(() => createWaitStrategy({ shouldContinuePolling: notDone, ...config })).toThrow(ValidationError);
  });

  it("requires shouldContinuePolling", () => {
    expect(() => createWaitStrategy({} as never)).toThrow(/shouldContinuePolling must be a function/);
  });
});
