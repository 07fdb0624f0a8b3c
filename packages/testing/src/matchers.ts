import type { TestResult } from "./test-result.js";

/**
 * Assertions on a run's TestResult; `@cairn/testing/vitest` installs them on vitest's `expect`.
 * On failure the message says how the execution actually ended (status, error type and message,
 * or result), which is usually what a failed test needs first.
 *
 * @typeParam R - what the test framework's matchers return.
 *
 * @example
 * ```ts
 * import "@cairn/testing/vitest";
 *
 * const result = await runner.run({ payload: { orderId: "o-1" } });
 * expect(result).toHaveSucceeded();
 * expect(result).toHaveResult({ status: "CONFIRMED" });
 * expect(result).toHaveInvocationCount(2);
 * expect(await runner.run({ payload: {} })).toHaveFailed(/orderId/);
 * ```
 */
export interface CairnMatchers<R = unknown> {
  /** The execution SUCCEEDED. */
  toHaveSucceeded(): R;
  /** The execution FAILED, optionally with an error message containing / matching `message`. */
  toHaveFailed(message?: string | RegExp): R;
  /** The execution SUCCEEDED with this (JSON) result, compared deeply. */
  toHaveResult(expected: unknown): R;
  /** The handler was invoked exactly `count` times (crashed invocations included). */
  toHaveInvocationCount(count: number): R;
}

/** The part of a test framework's matcher context these matchers use (vitest and jest both fit). */
export interface MatcherContext {
  /** Whether the assertion is negated (`expect(x).not.…`), as the framework sets it. */
  isNot: boolean;
  /** The framework's deep equality, so `toHaveResult` compares as `toEqual` does. */
  equals(a: unknown, b: unknown): boolean;
}

/** What a matcher returns to the test framework (the shape vitest and jest both expect). */
export interface MatcherResult {
  /** Whether the assertion holds (before the framework applies `.not`). */
  pass: boolean;
  /** The failure message, built only when the framework reports a failure. */
  message: () => string;
}

function asTestResult(received: unknown): TestResult {
  const candidate = received as Partial<TestResult> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.getStatus !== "function" ||
    typeof candidate.getInvocations !== "function"
  ) {
    throw new TypeError("Expected the TestResult returned by LocalDurableTestRunner.run()");
  }
  return candidate as TestResult;
}

function describeOutcome(result: TestResult): string {
  const status = result.getStatus();
  if (status === "SUCCEEDED") return `SUCCEEDED with ${show(result.getResult())}`;
  const error = result.getError();
  return `${status}${error.errorType ? ` with ${error.errorType}` : ""}${error.errorMessage ? `: ${error.errorMessage}` : ""}`;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The matchers of {@link CairnMatchers}, ready for `expect.extend`. `@cairn/testing/vitest`
 * installs them on vitest's `expect`; use this object to install them elsewhere (e.g. jest).
 * Each matcher throws a TypeError when what it is given is not a TestResult.
 *
 * @example
 * ```ts
 * // jest setup file
 * import { cairnMatchers } from "@cairn/testing";
 * expect.extend(cairnMatchers);
 * ```
 */
export const cairnMatchers = {
  /** Passes when the execution SUCCEEDED. */
  toHaveSucceeded(this: MatcherContext, received: unknown): MatcherResult {
    const result = asTestResult(received);
    const pass = result.getStatus() === "SUCCEEDED";
    return {
      pass,
      message: () =>
        pass ? `expected the execution not to succeed, but it ${describeOutcome(result)}` : `expected the execution to succeed, but it ended ${describeOutcome(result)}`,
    };
  },

  /** Passes when the execution FAILED and, with `message`, its error message contains or matches it. */
  toHaveFailed(this: MatcherContext, received: unknown, message?: string | RegExp): MatcherResult {
    const result = asTestResult(received);
    const failed = result.getStatus() === "FAILED";
    const actual = failed ? (result.getError().errorMessage ?? "") : "";
    const matches =
      message === undefined || (typeof message === "string" ? actual.includes(message) : message.test(actual));
    const pass = failed && matches;
    const wanted = message === undefined ? "" : ` with a message matching ${String(message)}`;
    return {
      pass,
      message: () =>
        pass
          ? `expected the execution not to fail${wanted}, but it ended ${describeOutcome(result)}`
          : `expected the execution to fail${wanted}, but it ended ${describeOutcome(result)}`,
    };
  },

  /** Passes when the execution SUCCEEDED with a result deeply equal to `expected`. */
  toHaveResult(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = asTestResult(received);
    const succeeded = result.getStatus() === "SUCCEEDED";
    const pass = succeeded && this.equals(result.getResult(), expected);
    return {
      pass,
      message: () =>
        pass
          ? `expected the execution not to succeed with ${show(expected)}`
          : `expected the execution to succeed with ${show(expected)}, but it ended ${describeOutcome(result)}`,
    };
  },

  /** Passes when the run invoked the handler exactly `count` times (crashed invocations included). */
  toHaveInvocationCount(this: MatcherContext, received: unknown, count: number): MatcherResult {
    const result = asTestResult(received);
    const actual = result.getInvocations().length;
    const pass = actual === count;
    return {
      pass,
      message: () =>
        pass ? `expected the handler not to be invoked ${count} times` : `expected ${count} invocations, got ${actual}`,
    };
  },
};
