import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { tempDir } from "./spawn-cli.js";

/** The per-test directory of {@link storeEachTest}: read its fields inside a test or hook. */
export interface TestStore {
  /** The test's temporary directory. */
  readonly path: string;
  /** The file store in it (`<path>/store`). */
  readonly store: string;
  /** The fixtures' side-effect log in it (`<path>/effects.log`, `$CAIRN_FIXTURE_LOG`). */
  readonly effects: string;
}

/**
 * Gives each test of the file a fresh temporary directory holding its store and side-effect log,
 * removed after the test (registers the beforeEach / afterEach hooks).
 */
export function storeEachTest(): TestStore {
  let dir: { path: string; cleanup: () => void } | undefined;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir?.cleanup());
  const path = (): string => {
    if (!dir) throw new Error("storeEachTest: its paths exist only inside a test or hook");
    return dir.path;
  };
  return {
    get path() {
      return path();
    },
    get store() {
      return join(path(), "store");
    },
    get effects() {
      return join(path(), "effects.log");
    },
  };
}
