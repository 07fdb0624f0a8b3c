// A redrive's source over the page objects S3FailedItemWriter kept for one run.
import type { DistributedMapFailedItem, DistributedMapPaginatedSource } from "@cairn/sdk";
import { ValidationError } from "@cairn/sdk";
import { requireCursorObject } from "../validate.js";
import { getPage, listAll, listOnce, type FailedItemStore } from "./failed-item-io.js";
import { PAGE_NAME } from "./failed-item-keys.js";

/**
 * Where a redrive source over {@link S3FailedItemWriter} stands: the page object to read next (its
 * name under the run's folder; absent: the run's first) and the stride between a partition's
 * objects (partition *i* of *n* reads objects *i*, *i + n*, *i + 2n*, ... in key order).
 */
export interface S3FailedItemsCursor {
  /** The next page object's name under the run's folder, e.g. `partition-000002-page-000000007.jsonl`. */
  key?: string;
  /** How many partitions share the objects. */
  stride: number;
}

const CALLER = "S3FailedItemWriter.source";

function checkCursor(cursor: unknown): S3FailedItemsCursor {
  const value = requireCursorObject(CALLER, cursor);
  const { key, stride } = value;
  if (key !== undefined && (typeof key !== "string" || !PAGE_NAME.test(key))) {
    throw new ValidationError(`${CALLER}: readPage got a cursor whose key ${JSON.stringify(key)} is not a page object's name; pass a cursor this source returned.`);
  }
  if (typeof stride !== "number" || !Number.isInteger(stride) || stride < 1) {
    throw new ValidationError(`${CALLER}: readPage got a cursor whose stride ${JSON.stringify(stride)} is not a whole number of at least 1; pass a cursor this source returned.`);
  }
  return key === undefined ? { stride } : { key, stride };
}

const isPage = (folder: string, key: string): boolean => PAGE_NAME.test(key.slice(folder.length));

/** The page objects of a run, in key order (partition, then page). */
export async function pageKeys(store: FailedItemStore, folder: string): Promise<string[]> {
  return (await listAll(store, folder)).filter((key) => isPage(folder, key));
}

/**
 * The page object `stride` page objects after `key` (after none: the `stride`-th), if there is one,
 * listing at most `listPageSize` keys at a time.
 */
async function pageAfter(store: FailedItemStore, folder: string, key: string | undefined, stride: number): Promise<string | undefined> {
  let after = key;
  let remaining = stride;
  for (;;) {
    const listing = await listOnce(store, folder, { startAfter: after, maxKeys: Math.min(remaining, store.listPageSize) });
    for (const found of listing.keys) {
      after = found;
      if (isPage(folder, found) && --remaining === 0) return found;
    }
    if (listing.next === undefined || listing.keys.length === 0) return undefined;
  }
}

/**
 * Pages through the page objects under `folder` (one run's), one object per page; the items are
 * the failed items' recorded identities. `partitions(count)` lists the objects once and deals them
 * out to up to `count` readers.
 */
export function failedItemsSource<TItem>(store: FailedItemStore, folder: string): DistributedMapPaginatedSource<TItem, S3FailedItemsCursor> {
  return {
    readPage: async (cursor) => {
      const at = cursor == null ? { stride: 1 } : checkCursor(cursor);
      let key = at.key === undefined ? undefined : folder + at.key;
      key ??= await pageAfter(store, folder, undefined, 1);
      if (key === undefined) return { items: [] };
      const items = (await getPage(store, key)).map((failed: DistributedMapFailedItem) => failed.item as TItem);
      const next = await pageAfter(store, folder, key, at.stride);
      return next === undefined ? { items } : { items, nextCursor: { key: next.slice(folder.length), stride: at.stride } };
    },
    partitions: async (count) => {
      const keys = await pageKeys(store, folder);
      if (keys.length === 0) return [{ stride: 1 }];
      const stride = Math.max(1, Math.min(count, keys.length));
      return keys.slice(0, stride).map((key) => ({ key: key.slice(folder.length), stride }));
    },
  };
}
