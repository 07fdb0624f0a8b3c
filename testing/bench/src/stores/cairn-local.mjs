// Cairn on its own stores, driven as the CLI drives an execution (packages/cli/src/drive.ts): a
// CheckpointService over the store on the real clock, and runExecution invoking the handler until
// the execution completes. Everything runs in this process.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runExecution, systemClock } from "@cairn/sdk/orchestrator";
import { CheckpointService, FileExecutionStore, MemoryExecutionStore } from "@cairn/sdk/service";
import { now } from "../clock.mjs";
import { cairnHandlers } from "./cairn-handlers.mjs";

/**
 * @param {"memory"|"file"} kind
 * @param {{ directory: string, commitLatency?: boolean }} options  where the file store's temporary
 *   directory goes; `commitLatency`: time every store update (see takeCommitLatencies)
 * @returns {import("./store-driver.mjs").StoreDriver}
 */
export function cairnLocalDriver(kind, options) {
  let directory;
  let service;
  let latencies = [];
  return {
    name: kind,
    // The store runs in this process: its main-thread and CPU time are measured (store-child.mjs).
    inProcess: true,
    describe: () =>
      kind === "memory"
        ? "Cairn, MemoryExecutionStore, runExecution on the real clock (in process)"
        : `Cairn, FileExecutionStore in ${directory}, runExecution on the real clock (in process)`,
    processes: () => [],
    async setup() {
      let store;
      if (kind === "file") {
        directory = mkdtempSync(join(options.directory, "cairn-bench-store-"));
        store = new FileExecutionStore(directory);
      } else {
        store = new MemoryExecutionStore();
      }
      if (options.commitLatency) timeUpdates(store, (ms) => latencies.push(ms));
      service = new CheckpointService({ store, clock: systemClock });
    },
    takeCommitLatencies: options.commitLatency
      ? () => {
          const taken = latencies;
          latencies = [];
          return taken;
        }
      : undefined,
    async runMany(handler, size, count) {
      const runs = Array.from({ length: count }, () =>
        runExecution({
          service,
          clock: systemClock,
          handler: cairnHandlers[handler],
          target: { start: { input: JSON.stringify({ size }) } },
        }),
      );
      return (await Promise.all(runs)).map(({ state, execution }) => {
        if (state !== "completed" || execution.status !== "SUCCEEDED") {
          throw new Error(`execution ${execution.executionArn} ended ${state}/${execution.status}${execution.error ? `: ${execution.error.ErrorMessage}` : ""}`);
        }
        return JSON.parse(execution.result ?? "null");
      });
    },
    async teardown() {
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Wraps `store.update` (every checkpoint, invocation start and end goes through it) to hand
 * `record` the milliseconds from the call until it resolved: the write acknowledged. It adds a
 * promise to every commit of the store it wraps, which is why it is asked for, not always on.
 */
function timeUpdates(store, record) {
  const update = store.update.bind(store);
  store.update = (executionId, decide) => {
    const start = now();
    return update(executionId, decide).then((result) => {
      record(now() - start);
      return result;
    });
  };
}
