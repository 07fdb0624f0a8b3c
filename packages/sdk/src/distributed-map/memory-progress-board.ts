import type {
  DistributedMapBoardView,
  DistributedMapStopReason,
  DistributedMapCounts,
  DistributedMapProgressBoard,
} from "../types/distributed-map.js";
import { boardView } from "./board-view.js";

interface RunBoard {
  partitions: Map<number, DistributedMapCounts>;
  stopped?: DistributedMapStopReason;
}

/**
 * A progress board held in this process's memory: for a distributed map whose children all run
 * in one process — the local test runner, `cairn run` on the file store. Children on other
 * workers or Lambda invocations need a shared one (`FileProgressBoard`, `DynamoDbProgressBoard`).
 *
 * @example
 * ```ts
 * const board = new MemoryProgressBoard();
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, progressBoard: board });
 * ```
 */
export class MemoryProgressBoard implements DistributedMapProgressBoard {
  readonly #runs = new Map<string, RunBoard>();

  /** Records partition's latest counts and returns the run's view. */
  async report(runId: string, partition: number, counts: DistributedMapCounts): Promise<DistributedMapBoardView> {
    this.#run(runId).partitions.set(partition, { ...counts });
    return this.read(runId);
  }

  /** The run's view: every partition's latest counts summed, and the stop posted, if any. */
  async read(runId: string): Promise<DistributedMapBoardView> {
    const run = this.#runs.get(runId);
    return boardView(run?.partitions.values() ?? [], run?.stopped);
  }

  /** Posts a stop; the first reason posted stays. */
  async stop(runId: string, reason: DistributedMapStopReason): Promise<void> {
    const run = this.#run(runId);
    run.stopped ??= reason;
  }

  /** Forgets a run (the parent does when all its children have ended). */
  async forget(runId: string): Promise<void> {
    this.#runs.delete(runId);
  }

  #run(runId: string): RunBoard {
    let run = this.#runs.get(runId);
    if (!run) this.#runs.set(runId, (run = { partitions: new Map() }));
    return run;
  }
}
