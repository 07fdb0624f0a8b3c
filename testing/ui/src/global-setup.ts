// Builds the fixture store once for every test file (the runs take ~10 s of real waits) and
// hands its path and execution ids to the tests through vitest's provide/inject.
import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { makeFixtureStore, type FixtureStore } from "./support/fixture-store.js";

declare module "vitest" {
  export interface ProvidedContext {
    fixtures: FixtureStore;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const fixtures = await makeFixtureStore();
  project.provide("fixtures", fixtures);
  return () => rmSync(fixtures.store, { recursive: true, force: true });
}
