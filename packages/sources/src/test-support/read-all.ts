import type { DistributedMapPaginatedSource } from "@cairn/sdk";

export interface ReadPage<T> {
  items: T[];
  cursor: unknown;
}

/**
 * Reads a source from `start` until a page has no next cursor, passing each cursor through JSON
 * first, as a checkpoint would. Fails instead of looping forever when a source never ends.
 */
export async function readAll<T, C>(source: DistributedMapPaginatedSource<T, C>, start?: C, maxPages = 10_000): Promise<ReadPage<T>[]> {
  const pages: ReadPage<T>[] = [];
  let cursor: C | undefined = start === undefined ? undefined : (JSON.parse(JSON.stringify(start)) as C);
  for (;;) {
    const page = await source.readPage(cursor);
    pages.push({ items: [...page.items], cursor });
    if (page.nextCursor === undefined || page.nextCursor === null) return pages;
    if (pages.length >= maxPages) throw new Error(`the source gave more than ${maxPages} pages; it does not end`);
    cursor = JSON.parse(JSON.stringify(page.nextCursor)) as C;
  }
}

export function itemsOf<T>(pages: ReadPage<T>[]): T[] {
  return pages.flatMap((page) => page.items);
}
