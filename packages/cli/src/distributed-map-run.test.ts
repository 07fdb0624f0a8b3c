// End-to-end: a distributed map run by the built `cairn` on the file store, its children running
// as executions of the same handler in the same store.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXECUTION_ID, fixture, runCli } from "./test-support/spawn-cli.js";
import { storeEachTest } from "./test-support/store-each-test.js";

const dir = storeEachTest();
const failedItems = (): string => join(dir.path, "failed-items");

describe("cairn run with ctx.distributedMap", () => {
  it("runs the children in the file store and prints the summary; inspect shows the counts", async () => {
    const env = { CAIRN_FIXTURE_FAILED_ITEMS: failedItems() };
    const run = await runCli(["run", fixture("distributed-map.mjs"), "--store", dir.store, "--input", '{"count":500}'], { env });
    expect(run.code, run.stderr).toBe(0);
    const id = EXECUTION_ID.exec(run.stdout)?.[1];
    expect(id, run.stdout).toBeDefined();

    const inspect = await runCli(["inspect", id as string, "--store", dir.store, "--json"]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const execution = JSON.parse(inspect.stdout) as {
      status: string;
      result: { counts: Record<string, number>; completionReason: string; children: { status: string }[] };
      operations: { Name?: string; StepDetails?: { Result?: string } }[];
    };
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.result.counts).toEqual({ succeeded: 495, failed: 5, timedOut: 0, skipped: 0, pending: 0, total: 500 });
    expect(execution.result.completionReason).toBe("ALL_COMPLETED");
    expect(execution.result.children.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    // The parent's progress steps hold the running totals, the last one all of them.
    const progress = execution.operations
      .filter((op) => op.Name === "progress")
      .map((op) => JSON.parse(op.StepDetails?.Result ?? "{}") as { finishedChildren: number; counts: { succeeded: number } });
    expect(progress).toHaveLength(5);
    expect(Math.max(...progress.map((p) => p.counts.succeeded))).toBe(495);

    // The children are executions of the store; one of them with partition 0's items (0, 5, 10, ...).
    const list = await runCli(["list", "--store", dir.store, "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(6);

    // Every failed item went through the writer, as JSON lines.
    const [runDir] = readdirSync(failedItems());
    const lines = readdirSync(join(failedItems(), runDir as string)).flatMap((file) =>
      readFileSync(join(failedItems(), runDir as string, file), "utf8").trim().split("\n"),
    );
    expect(lines.map((line) => (JSON.parse(line) as { item: number }).item).sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400]);
  }, 60_000);

  it("hands each partition on to fresh executions with pagesPerExecution, the counts carried across", async () => {
    // 10 pages of 50 per child (each reads the whole source, keeping its fifth), 3 pages per execution.
    const env = { CAIRN_FIXTURE_FAILED_ITEMS: failedItems(), CAIRN_FIXTURE_PAGES_PER_EXECUTION: "3" };
    const run = await runCli(["run", fixture("distributed-map.mjs"), "--store", dir.store, "--input", '{"count":500}'], { env });
    expect(run.code, run.stderr).toBe(0);
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const inspect = await runCli(["inspect", id, "--store", dir.store, "--json"]);
    const execution = JSON.parse(inspect.stdout) as { result: { counts: Record<string, number>; children: { status: string }[] } };
    expect(execution.result.counts).toEqual({ succeeded: 495, failed: 5, timedOut: 0, skipped: 0, pending: 0, total: 500 });
    expect(execution.result.children.every((c) => c.status === "SUCCEEDED")).toBe(true);
    // The parent, and four executions per partition (pages 0-2, 3-5, 6-8, 9).
    const list = await runCli(["list", "--store", dir.store, "--json"]);
    const executions = JSON.parse(list.stdout) as { status: string }[];
    expect(executions).toHaveLength(1 + 5 * 4);
    expect(executions.every((e) => e.status === "SUCCEEDED")).toBe(true);
  }, 60_000);
});
