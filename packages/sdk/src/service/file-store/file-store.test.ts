import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStoreBehaviour } from "../test-support/store-suite.js";
import { FileExecutionStore } from "./file-store.js";

describeStoreBehaviour("FileExecutionStore", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cairn-file-store-"));
  return {
    store: new FileExecutionStore(dir),
    reopen: () => new FileExecutionStore(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

// Every behaviour again with settled operations let go of at every commit: whatever needs them
// must load the record whole and answer the same.
describeStoreBehaviour("FileExecutionStore (residentOperations: 0)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cairn-file-store-evicting-"));
  return {
    store: new FileExecutionStore(dir, { residentOperations: 0 }),
    reopen: () => new FileExecutionStore(dir, { residentOperations: 0 }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
