// Entry point `@cairn/testing/vitest`: import it once (e.g. in a vitest setup file) to get
// `expect(result).toHaveSucceeded()` and the other Cairn matchers, typed.
import { expect } from "vitest";
import { cairnMatchers, type CairnMatchers } from "./matchers.js";

expect.extend(cairnMatchers);

declare module "vitest" {
  // The type parameter must be declared exactly as vitest declares it to merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends CairnMatchers<T> {}
}

export { cairnMatchers, type CairnMatchers };
