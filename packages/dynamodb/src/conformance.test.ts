// The shared conformance vectors of the step, wait, child, parallel and map categories, run on the
// local runner with every execution stored in DynamoDB Local: in skipped time (virtual clock) and
// in real time. One table per time mode; each requirement gets its own store (its own cache), and
// its execution a fresh id, so requirements running side by side never share a record.
// CONFORMANCE_MODES and CONFORMANCE_ONLY narrow the run as they do for testing/conformance.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { loadConformanceSuite } from "./test-support/conformance-suite.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

const CATEGORIES = ["step", "wait", "child", "parallel", "map"];

const suite = await loadConformanceSuite();
const MODES = suite.timeModesFromEnv();
const files = suite.selectedRequirementFiles(CATEGORIES);
const run = new suite.ConformanceRun();

test("finds the vectors of every category", () => {
  if (process.env.CONFORMANCE_ONLY) return;
  for (const category of CATEGORIES) expect(files.some((f) => f.category === category)).toBe(true);
});

for (const mode of MODES) {
  // Real-time requirements mostly sleep, so they run side by side.
  const group = mode === "real-time" ? describe.concurrent : describe;
  group(`conformance on DynamoDB [${mode}]`, () => {
    let table: TestTable;
    beforeAll(async () => {
      table = await createTestTable();
    });
    afterAll(async () => {
      // The executions really went through the table: one per requirement (plus chained targets).
      const stored = await new DynamoDbCheckpointStore(table).listIds();
      await table.drop();
      expect(stored.length).toBeGreaterThanOrEqual(files.length);
    });
    for (const file of files) {
      test(
        file.key,
        async () => {
          const store = new DynamoDbCheckpointStore(table);
          const outcome = await suite.runRequirement(run.requirementOf(file), await suite.loadHandler(file), mode, { store });
          run.check(file, mode, outcome);
        },
        suite.TIMEOUT_MS[mode],
      );
    }
  });
}
