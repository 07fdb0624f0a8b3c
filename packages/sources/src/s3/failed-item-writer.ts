import type { S3Client } from "@aws-sdk/client-s3";
import type { DistributedMapFailedItem, DistributedMapFailedItemBatch, DistributedMapFailedItemWriter, DistributedMapPaginatedSource } from "@cairn/sdk";
import { ValidationError } from "@cairn/sdk";
import { mapAtMost } from "@cairn/sdk/backend";
import { requireClient, requireOptions, requireString, wholeNumber } from "../validate.js";
import { getPage, listAll, putPage, type FailedItemStore } from "./failed-item-io.js";
import { checkPagePosition, pageName, runIdOf, runPrefix, runSegment } from "./failed-item-keys.js";
import { failedItemsSource, pageKeys, type S3FailedItemsCursor } from "./failed-items-source.js";

/** Options of {@link S3FailedItemWriter}. */
export interface S3FailedItemWriterOptions {
  /** The S3 client (`new S3Client(...)` from `@aws-sdk/client-s3`). */
  client: S3Client;
  /** The bucket to write into. */
  bucket: string;
  /** Where the runs' folders go: empty (the bucket's top) or ending in `/`. Default `"cairn-failed-items/"`. */
  prefix?: string;
  /** Keys per ListObjectsV2 call (`MaxKeys`), 1 to 1000. Default 1000. */
  listPageSize?: number;
}

const CALLER = "S3FailedItemWriter";
const DEFAULT_PREFIX = "cairn-failed-items/";
/** GETs in flight at once while `read` fetches a run's pages. */
const READ_CONCURRENCY = 8;

function checkPrefix(value: unknown): string {
  if (value === undefined) return DEFAULT_PREFIX;
  if (typeof value !== "string") throw new ValidationError(`${CALLER}: prefix must be a string when given, got ${JSON.stringify(value) ?? typeof value}.`);
  if (value === "") return value;
  const problem = value.startsWith("/")
    ? "must not start with /"
    : value.includes("//")
      ? "must not hold an empty folder (//)"
      : !value.endsWith("/")
        ? "must end with / so each run gets a folder of its own"
        : Buffer.byteLength(value) > 512
          ? "must be at most 512 bytes, to leave room for the run id in S3's 1024-byte keys"
          : undefined;
  if (problem !== undefined) throw new ValidationError(`${CALLER}: prefix ${problem}, got ${JSON.stringify(value)} (e.g. "${DEFAULT_PREFIX}", or "" for the bucket's top).`);
  return value;
}

/**
 * Keeps a distributed map's failed items in S3: one JSON-lines object per page of a partition,
 * `<prefix><run id>/partition-<n>-page-<m>.jsonl`, one failed item per line. The run id is
 * percent-encoded into a single key segment (every character but letters, digits, `-` and `_`),
 * so run ids with `/`, `#` or `:` — an execution ARN — keep one folder per run; partition and page
 * are zero-padded, so S3's key order is partition, then page order.
 *
 * A page written again after a crash is one PutObject to the same key, which replaces the object
 * (the idempotence the writer interface asks for). {@link S3FailedItemWriter.read} gives a run's
 * items back in order, {@link S3FailedItemWriter.source} feeds a redrive, and
 * {@link S3FailedItemWriter.runs} lists the runs kept. Failed S3 requests throw an error naming the
 * request and the `s3://` location, with the SDK's error as `cause`.
 *
 * Needs `s3:PutObject` to write, `s3:ListBucket` and `s3:GetObject` to read back.
 *
 * @example
 * ```ts
 * const failures = new S3FailedItemWriter({ client: new S3Client({}), bucket: "ops", prefix: "backfill/failed/" });
 * const backfill = defineDistributedMap("backfill", { source, itemHandler, failedItemWriter: failures });
 * ```
 */
export class S3FailedItemWriter implements DistributedMapFailedItemWriter {
  /** The bucket written into. */
  readonly bucket: string;
  /** The key prefix of the runs' folders (empty or ending in `/`). */
  readonly prefix: string;
  private readonly store: FailedItemStore;

  /** A writer into `options.bucket` under `options.prefix`; throws `ValidationError` on a bad option, before any request. */
  constructor(options: S3FailedItemWriterOptions) {
    requireOptions(CALLER, options, "{ client, bucket, prefix?, listPageSize? }");
    requireClient(CALLER, options.client, "an S3Client");
    this.bucket = requireString(CALLER, "bucket", options.bucket);
    if (/\s/.test(this.bucket)) throw new ValidationError(`${CALLER}: bucket must be a bucket name (or access point ARN) without spaces, got ${JSON.stringify(this.bucket)}.`);
    this.prefix = checkPrefix(options.prefix);
    const listPageSize = wholeNumber(CALLER, "listPageSize", options.listPageSize, 1000, 1, 1000);
    this.store = { client: options.client, bucket: this.bucket, listPageSize };
  }

  /** Writes one page's failed items as one object, replacing an earlier write of the same page. */
  async write(batch: DistributedMapFailedItemBatch): Promise<void> {
    requireOptions(`${CALLER}.write`, batch, "{ runId, partition, page, items }");
    checkPagePosition(`${CALLER}.write`, batch.partition, batch.page);
    if (!Array.isArray(batch.items)) throw new ValidationError(`${CALLER}.write: items must be an array of failed items, got ${typeof batch.items}.`);
    const key = runPrefix(`${CALLER}.write`, this.prefix, batch.runId) + pageName(batch.partition, batch.page);
    await putPage(this.store, key, batch.items);
  }

  /** Every failed item written for `runId` (a summary's `runId`), in partition and page order; none for an unknown run. */
  async read(runId: string): Promise<DistributedMapFailedItem[]> {
    const keys = await pageKeys(this.store, runPrefix(`${CALLER}.read`, this.prefix, runId));
    return (await mapAtMost(keys, READ_CONCURRENCY, (key) => getPage(this.store, key))).flat();
  }

  /**
   * A paginated source over the failed items of `runId` — each page one page object, the items
   * the recorded identities (`failedItems[].item`, so the items themselves unless the definition
   * set `itemId`) — for a **redrive**: a distributed map over it runs only the items that failed
   * or timed out, and the earlier successes stay done. `partitions(count)` lists the run's objects
   * once and deals them out to up to `count` children (child *i* reads objects *i*, *i + n*, ...).
   * The run must be finished. A page costs one GetObject and one ListObjectsV2.
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
  source<TItem = unknown>(runId: string): DistributedMapPaginatedSource<TItem, S3FailedItemsCursor> {
    return failedItemsSource<TItem>(this.store, runPrefix(`${CALLER}.source`, this.prefix, runId));
  }

  /** The run ids that have failed items under the prefix, sorted. */
  async runs(): Promise<string[]> {
    const runs: string[] = [];
    for (const folder of await listAll(this.store, this.prefix, "/")) {
      const segment = folder.slice(this.prefix.length, -1);
      try {
        const runId = runIdOf(segment);
        if (runSegment(CALLER, runId) === segment) runs.push(runId);
      } catch {
        // Not a folder this writer made (it does not decode, or is empty).
      }
    }
    return runs.sort();
  }
}
