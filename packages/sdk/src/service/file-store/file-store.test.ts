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
