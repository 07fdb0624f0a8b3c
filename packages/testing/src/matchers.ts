import type { TestResult } from "./test-result.js";

/** Assertions on a run's TestResult; `@cairn/testing/vitest` installs them on vitest's `expect`. */
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
  isNot: boolean;
  equals(a: unknown, b: unknown): boolean;
}

export interface MatcherResult {
  pass: boolean;
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

export const cairnMatchers = {
  toHaveSucceeded(this: MatcherContext, received: unknown): MatcherResult {
    const result = asTestResult(received);
    const pass = result.getStatus() === "SUCCEEDED";
    return {
      pass,
      message: () =>
        pass ? `expected the execution not to succeed, but it ${describeOutcome(result)}` : `expected the execution to succeed, but it ended ${describeOutcome(result)}`,
    };
  },

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
