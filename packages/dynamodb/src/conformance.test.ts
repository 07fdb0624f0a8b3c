// The shared conformance vectors of the step, wait, child, parallel and map categories, run on the
// local runner with every execution stored in DynamoDB Local: in skipped time (virtual clock) and
// in real time. One table per time mode; each requirement gets its own store (its own cache), and
// its execution a fresh id, so requirements running side by side never share a record.
// CONFORMANCE_MODES and CONFORMANCE_ONLY narrow the run as they do for testing/conformance.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DynamoDbCheckpointStore } from "./dynamodb-store.js";
import { loadConformanceSuite, type TimeMode } from "./test-support/conformance-suite.js";
import { createTestTable, type TestTable } from "./test-support/tables.js";

const CATEGORIES = ["step", "wait", "child", "parallel", "map"];
// Vectors whose branches run concurrently: their event order legitimately varies between runs.
const CONCURRENT_ORDER = new Set(["parallel/8-11", "map/9-11"]);

const MODES = (process.env.CONFORMANCE_MODES ?? "skipped-time,real-time")
  .split(",")
  .map((m) => m.trim())
  .filter((m): m is TimeMode => m === "skipped-time" || m === "real-time");
const only = (process.env.CONFORMANCE_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const suite = await loadConformanceSuite();
const files = suite
  .listRequirementFiles(undefined, CATEGORIES)
  .filter((f) => only.length === 0 || only.some((o) => f.key === o || f.key.startsWith(o)));
// Variables are generated once, so both time modes see the same values.
const requirements = new Map(files.map((f) => [f.key, suite.loadRequirement(f.file, f.category)]));
const skippedSequences = new Map<string, string[]>();

test("finds the vectors of every category", () => {
  if (only.length > 0) return;
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
          const req = requirements.get(file.key)!;
          const mod = await suite.loadHandler(file);
          const store = new DynamoDbCheckpointStore(table);
          const { failures, history, sequence, stoppedEarly } = await suite.runRequirement(req, mod, mode, { store });
          if (mode === "skipped-time") skippedSequences.set(file.key, sequence);
          const skipped = skippedSequences.get(file.key);
          if (mode === "real-time" && skipped) {
            failures.push(
              ...suite.compareSequences(skipped, sequence, { realStoppedEarly: stoppedEarly, unordered: CONCURRENT_ORDER.has(file.key) }),
            );
          }
          if (failures.length > 0) {
            throw new Error([`${failures.length} difference(s)`, ...failures, "actual history:", ...history.map((h) => `  ${h}`)].join("\n"));
          }
        },
        mode === "real-time" ? 90_000 : 30_000,
      );
    }
  });
}
