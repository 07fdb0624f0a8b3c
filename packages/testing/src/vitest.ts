/**
 * `@cairn/testing/vitest`: import it once (e.g. in a vitest setup file) to install the Cairn
 * matchers on vitest's `expect` — `toHaveSucceeded()`, `toHaveFailed(message?)`,
 * `toHaveResult(value)`, `toHaveInvocationCount(n)` — and to type them on vitest's `Assertion`.
 * Importing it has that side effect; vitest must be installed (an optional peer dependency).
 *
 * @example
 * ```ts
 * // test/setup.ts, listed in vitest.config.ts as test.setupFiles: ["./test/setup.ts"]
 * import "@cairn/testing/vitest";
 *
 * // any test file
 * expect(await runner.run({ payload })).toHaveSucceeded();
 * ```
 *
 * @packageDocumentation
 */
import { expect } from "vitest";
import { cairnMatchers, type CairnMatchers } from "./matchers.js";

expect.extend(cairnMatchers);

declare module "vitest" {
  // The type parameter must be declared exactly as vitest declares it to merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends CairnMatchers<T> {}
}

export { cairnMatchers, type CairnMatchers };
export type { MatcherContext, MatcherResult } from "./matchers.js";
