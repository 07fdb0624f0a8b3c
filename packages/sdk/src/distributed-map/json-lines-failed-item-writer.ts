import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileWhole } from "../serdes/whole-file.js";
import type {
  DistributedMapFailedItem,
  DistributedMapFailedItemBatch,
  DistributedMapFailedItemWriter,
  DistributedMapPaginatedSource,
} from "../types/distributed-map.js";

/** Where a redrive source stands: the next page file to read, and the stride between a partition's files. */
export interface FailedItemsCursor {
  /** Index of the next file, in name order. */
  next: number;
  /** How many partitions share the files (each reads every `stride`-th file). */
  stride: number;
}

/** A run id as a directory name: anything but letters, digits, `-`, `_` and `.` becomes `_`. */
function directoryOf(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, "_");
}

function pageFile(partition: number, page: number): string {
  // Zero-padded so a plain sort of the names is partition, then page order.
  return `partition-${String(partition).padStart(6, "0")}-page-${String(page).padStart(9, "0")}.jsonl`;
}

/**
 * Writes a distributed map's failed items as JSON lines, one file per page of a partition under a
 * directory per run: `<directory>/<run id>/partition-<n>-page-<m>.jsonl`, one failed item per
 * line. Each page's file is written whole and renamed into place, so writing a page again after a
 * crash replaces it (the idempotence the writer interface asks for) and a reader never sees half
 * a file; a write that resolved survives a power loss (file and directory synced), since the
 * partition's checkpoint that follows it does. {@link JsonLinesFailedItemWriter.read} gives them all back, in partition and page order.
 *
 * @example
 * ```ts
 * const failures = new JsonLinesFailedItemWriter(".cairn/failed-items");
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, failedItemWriter: failures });
 * ```
 */
export class JsonLinesFailedItemWriter implements DistributedMapFailedItemWriter {
  /** @param directory Where each run's directory is created. */
  constructor(readonly directory: string) {
    if (typeof directory !== "string" || directory.length === 0) {
      throw new TypeError("JsonLinesFailedItemWriter: pass the directory to write into, e.g. new JsonLinesFailedItemWriter(\".cairn/failed-items\").");
    }
  }

  /** Writes one page's failed items durably, replacing an earlier write of the same page. */
  async write(batch: DistributedMapFailedItemBatch): Promise<void> {
    const file = join(this.directory, directoryOf(batch.runId), pageFile(batch.partition, batch.page));
    await writeFileWhole(file, batch.items.map((item) => JSON.stringify(item)).join("\n") + "\n");
  }

  /** Every failed item written for `runId` (the summary's `runId`-bearing batches), in partition and page order. */
  async read(runId: string): Promise<DistributedMapFailedItem[]> {
    const dir = join(this.directory, directoryOf(runId));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const items: DistributedMapFailedItem[] = [];
    for (const name of names.filter((n) => n.endsWith(".jsonl")).sort()) {
      const text = await readFile(join(dir, name), "utf8");
      for (const line of text.split("\n")) if (line.length > 0) items.push(JSON.parse(line) as DistributedMapFailedItem);
    }
    return items;
  }

  /**
   * A paginated source over the failed items of `runId` — each page one page file, the items the
   * recorded identities (`failedItems[].item`, so the items themselves unless the definition set
   * `itemId`) — for a **redrive**: a distributed map over it runs only the items that failed or
   * timed out, and the earlier successes stay done. `partitions(count)` deals the files out to up
   * to `count` children. The run must be finished: its files are listed once per page read.
   *
   * @typeParam TItem The items' type, as the definition recorded them (unchecked).
   * @example
   * ```ts
   * const redrive = defineDistributedMap("backfill-redrive", {
   *   source: (params: { runId: string }) => failures.source<Row>(params.runId),
   *   itemHandler: copyRow,
   * });
   * ```
   */
  source<TItem = unknown>(runId: string): DistributedMapPaginatedSource<TItem, FailedItemsCursor> {
    const dir = join(this.directory, directoryOf(runId));
    const files = async (): Promise<string[]> => {
      try {
        return (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    };
    return {
      readPage: async (cursor) => {
        const at = cursor ?? { next: 0, stride: 1 };
        const names = await files();
        const name = names[at.next];
        if (name === undefined) return { items: [] };
        const text = await readFile(join(dir, name), "utf8");
        const items = text
          .split("\n")
          .filter((line) => line.length > 0)
          .map((line) => (JSON.parse(line) as DistributedMapFailedItem).item as TItem);
        const next = at.next + at.stride;
        return next < names.length ? { items, nextCursor: { next, stride: at.stride } } : { items };
      },
      partitions: async (count) => {
        const stride = Math.max(1, Math.min(count, (await files()).length));
        return Array.from({ length: stride }, (_, next) => ({ next, stride }));
      },
    };
  }

  /** The run ids that have failed items here (as directory names). */
  async runs(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }
}
