import { withDurableExecution } from "@cairn/sdk";
import { LocalDurableTestRunner } from "@cairn/testing";
import { describe, expect, it } from "vitest";
import { inMemoryTable, type Row, type Table } from "./table.js";
import { createImportWorkflow, type ImportOutcome } from "./workflow.js";

const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ pk: `row-${i}`, value: i }));
const runnerFor = (table: Table) =>
  new LocalDurableTestRunner<ImportOutcome>({ handlerFunction: withDurableExecution(createImportWorkflow(table)), skipTime: true });

describe("chunked table writer (mapBatches, 25 per BatchWriteItem)", () => {
  it("writes 60 rows in three calls and retries a throttled chunk as a unit", async () => {
    const { table, rows: stored, calls } = inMemoryTable(["row-30"]);
    const result = await runnerFor(table).run({ payload: { rows: rows(60) } });
    expect(result.getResult()).toEqual({ written: 60, failed: [], chunks: 3 });
    expect(stored.size).toBe(60);
    expect(calls.map((c) => c.length).sort()).toEqual([10, 25, 25, 25]); // the second chunk twice
    expect(calls.every((c) => c.length <= 25)).toBe(true);
  });

  it("reports the rows of a chunk that keeps failing, and writes the rest", async () => {
    const { table, rows: stored } = inMemoryTable();
    const broken: Table = {
      batchWrite: async (batch) => {
        if (batch.some((r) => r.pk === "row-3")) throw new Error("ValidationException: bad attribute");
        return table.batchWrite(batch);
      },
    };
    const result = await runnerFor(broken).run({ payload: { rows: rows(30) } });
    expect(result.getResult()).toEqual({ written: 5, failed: rows(25).map((r) => r.pk), chunks: 2 });
    expect([...stored.keys()]).toEqual(rows(30).slice(25).map((r) => r.pk));
  });

  it("resumes after a crash mid-import without rewriting a finished chunk", async () => {
    const { table, rows: stored, calls } = inMemoryTable();
    const result = await runnerFor(table).run({
      payload: { rows: rows(100) },
      faults: {
        // The process dies once the second chunk's context is stored as finished.
        crashWhen: ({ phase, updates }) =>
          phase === "after" && updates.some((u) => u.Type === "CONTEXT" && u.Action === "SUCCEED" && u.Id === "1-2"),
      },
    });
    expect(result.getInjectedCrashCount()).toBe(1);
    expect(result.getResult()).toEqual({ written: 100, failed: [], chunks: 4 });
    expect(stored.size).toBe(100);
    // Chunks 1 and 2 were finished before the crash: written once. Only a chunk in flight at the
    // crash (at-least-once step) may have been written twice.
    const writesOf = (pk: string) => calls.filter((c) => c.includes(pk)).length;
    expect(writesOf("row-0")).toBe(1);
    expect(writesOf("row-49")).toBe(1);
    expect(calls.length).toBeLessThanOrEqual(5);
  });
});
