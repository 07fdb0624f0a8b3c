import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { executionIdOfArn, randomIds } from "../ids.js";
import { planStopExecution } from "../stop-execution.js";
import { FileExecutionStore } from "./file-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-store-delete-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("FileExecutionStore.delete", () => {
  it("removes the execution's files and name only when allowed, under its lock", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const execution = await service.startExecution({ executionName: "to-delete" });
    const id = executionIdOfArn(execution.executionArn) as string;
    const ended = (record: { summary: { status: string } }) => record.summary.status !== "RUNNING";

    expect(await store.delete(id, ended)).toBe(false);
    expect(await store.listIds()).toEqual([id]);

    await store.update(id, (record) => ({ mutation: planStopExecution(record, undefined, { now: new Date(), ids: randomIds }), result: true }));
    expect(await store.delete(id, ended)).toBe(true);
    expect(await store.listIds()).toEqual([]);
    expect(await store.findByName("to-delete")).toBeUndefined();
    expect(existsSync(join(dir, "executions", id))).toBe(false);
    expect(await store.read(id, (record) => record)).toBeUndefined();
    // Another instance (another process) sees it gone, and the name is free again.
    const other = new CheckpointService({ store: new FileExecutionStore(dir) });
    await expect(other.getExecution(execution.executionArn)).rejects.toThrow(/not found|No execution/i);
    const again = await other.startExecution({ executionName: "to-delete" });
    expect(again.executionArn).not.toBe(execution.executionArn);

    expect(await store.delete(id, ended)).toBeUndefined();
  });
});
