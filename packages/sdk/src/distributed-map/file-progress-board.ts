import { link, mkdir, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type {
  DistributedMapBoardView,
  DistributedMapStopReason,
  DistributedMapCounts,
  DistributedMapProgressBoard,
} from "../types/distributed-map.js";
import { changedDirectories, syncDirectoryEntries, writeFileWhole } from "../serdes/whole-file.js";
import { boardView } from "./board-view.js";

const STOP_FILE = "stop.json";

/**
 * A progress board in a directory, for children running as processes of one machine (or on a
 * shared filesystem): `<directory>/<run>/partition-<n>.json` holds each partition's latest counts,
 * written whole and renamed into place so a reader never sees half of one, and `stop.json` the
 * stop, created only if absent so the first reason stays. A run's directory name is its id in
 * base64url (ids hold `/`, `:` and `#`).
 *
 * @example
 * ```ts
 * const board = new FileProgressBoard(".cairn/progress");
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, progressBoard: board });
 * ```
 */
export class FileProgressBoard implements DistributedMapProgressBoard {
  #writes = 0;

  /** @param directory Where each run's directory is created. */
  constructor(readonly directory: string) {
    if (typeof directory !== "string" || directory.length === 0) {
      throw new TypeError('FileProgressBoard: pass the directory to keep boards in, e.g. new FileProgressBoard(".cairn/progress").');
    }
  }

  /** Records partition's latest counts (replacing its earlier ones) and returns the run's view. */
  async report(runId: string, partition: number, counts: DistributedMapCounts): Promise<DistributedMapBoardView> {
    // Durable: the counts decide other partitions' stops, and must not go back after a power loss.
    await writeFileWhole(join(this.#dir(runId), `partition-${partition}.json`), JSON.stringify(counts));
    return this.read(runId);
  }

  /** The run's view: every partition's latest counts summed, and the stop posted, if any. */
  async read(runId: string): Promise<DistributedMapBoardView> {
    const dir = this.#dir(runId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return boardView([], undefined);
      throw error;
    }
    const latest: DistributedMapCounts[] = [];
    let stopped: DistributedMapStopReason | undefined;
    for (const name of names) {
      if (name === STOP_FILE) stopped = (JSON.parse(await readFile(join(dir, name), "utf8")) as { reason: DistributedMapStopReason }).reason;
      else if (/^partition-\d+\.json$/.test(name)) latest.push(JSON.parse(await readFile(join(dir, name), "utf8")) as DistributedMapCounts);
    }
    return boardView(latest, stopped);
  }

  /** Posts a stop, durably once this resolves; the first reason posted stays. */
  async stop(runId: string, reason: DistributedMapStopReason): Promise<void> {
    const dir = this.#dir(runId);
    const created = await mkdir(dir, { recursive: true });
    const temporary = join(dir, `${STOP_FILE}.${process.pid}.${++this.#writes}.tmp`);
    await writeFile(temporary, JSON.stringify({ reason }), { flush: true });
    try {
      // link fails if stop.json exists: whoever posted first keeps their reason, and a reader
      // sees the file whole or not at all.
      await link(temporary, join(dir, STOP_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(temporary);
    }
    for (const changed of changedDirectories(dir, created)) await syncDirectoryEntries(changed);
  }

  /** Removes the run's directory (the parent does when all its children have ended). */
  async forget(runId: string): Promise<void> {
    await rm(this.#dir(runId), { recursive: true, force: true });
  }

  #dir(runId: string): string {
    return join(this.directory, Buffer.from(runId, "utf8").toString("base64url"));
  }
}
