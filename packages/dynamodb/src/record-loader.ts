// Reading executions back: the whole record (head first, then every item), or only the summary
// items. Neither read is one snapshot, so an item newer than the head, or a pending intent, means
// a write landed meanwhile: roll it forward if needed and read again.
import type { ExecutionSummary } from "@cairn/sdk/service";
import { StoreContentionError } from "./errors.js";
import { FRESH_SEQ, headOf, leaseOwnerOfHead, type Head } from "./head-item.js";
import { HEAD_SK, LOG_PREFIX, ValueAssembler, executionPk, headKey, type Item } from "./item-layout.js";
import type { CacheEntry, RecordCache } from "./record-cache.js";
import { recordOf, summaryOf } from "./record-items.js";
import { rollForward } from "./roll-forward.js";
import { A } from "./table.js";
import type { TableRequests } from "./table-requests.js";

/** Reloads in a row after which a call gives up (StoreContentionError). */
export const MAX_CONFLICTS = 50;

export class RecordLoader {
  constructor(
    private readonly requests: TableRequests,
    private readonly cache: RecordCache,
  ) {}

  /** Whether another process wrote the execution since `entry` was read (one small GetItem). */
  async isStale(entry: CacheEntry): Promise<boolean> {
    const head = await this.getHead(entry.record.executionId, [A.seq, A.intent]);
    return head === undefined || head.seq !== entry.record.seq || head.intent !== undefined;
  }

  /** The cached record if it is current, else a freshly loaded one. */
  async fresh(id: string): Promise<CacheEntry | undefined> {
    const entry = this.cache.get(id);
    if (entry && !(await this.isStale(entry))) return entry;
    return this.load(id);
  }

  /**
   * Reads the whole execution: head first, then every item with paged Queries, and caches it.
   * Items are not read as one snapshot, so an item newer than the head means a write landed
   * meanwhile: read again.
   */
  async load(id: string): Promise<CacheEntry | undefined> {
    return this.loadFrom(id, undefined);
  }

  /**
   * As load, starting from a head already read by a serializable request (a claim returns the
   * head it wrote): no GetItem first. A cached record at that head's seq is used as it is.
   */
  async loadFrom(id: string, known: Head | undefined): Promise<CacheEntry | undefined> {
    if (known && !known.intent) {
      const cached = this.cache.get(id);
      if (cached && cached.record.seq === known.seq) {
        cached.leaseOwner = leaseOwnerOfHead(known);
        return cached;
      }
    }
    this.cache.delete(id);
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const head = attempt === 0 && known ? known : await this.getHead(id);
      if (!head) return undefined;
      if (head.intent) {
        await rollForward(this.requests, id, head.intent);
        continue;
      }
      const items = await this.queryRecordItems(id);
      // Log entries newer than the head are later commits, which replay skips; any other newer
      // item means the head read is out of date.
      if (items.some((item) => Number(item[A.seq]?.N ?? "0") > head.seq && !item[A.sk]?.S?.startsWith(LOG_PREFIX))) continue;
      const queriedHead = items.find((item) => item[A.sk]?.S === HEAD_SK);
      if (Number(queriedHead?.[A.seq]?.N ?? "-1") !== head.seq) continue;
      const entry = recordOf(this.requests.tableName, id, head, items);
      entry.leaseOwner = leaseOwnerOfHead(head);
      return this.cache.remember(id, entry);
    }
    throw new StoreContentionError(id, MAX_CONFLICTS);
  }

  /**
   * Reads an execution only its create has written with one Query (no GetItem of the head first),
   * and caches it; undefined, with nothing cached, when the Query does not prove that. One Query
   * is not a snapshot: it may see some items of a commit landing meanwhile and not others. At
   * FRESH_SEQ no item has an older version to see instead, so a head at that seq, no item newer
   * than it and every operation and event the head counts make the whole record. Anything else
   * (a later commit under way or done, an intent, a missing item) is left to the usual claim and
   * load, which read the head first.
   */
  async loadFresh(id: string): Promise<CacheEntry | undefined> {
    const items = await this.queryRecordItems(id);
    const head = headOf(items.find((item) => item[A.sk]?.S === HEAD_SK));
    if (!head || head.intent || head.seq !== FRESH_SEQ) return undefined;
    if (items.some((item) => Number(item[A.seq]?.N ?? "0") > head.seq)) return undefined;
    let entry: CacheEntry;
    try {
      entry = recordOf(this.requests.tableName, id, head, items);
    } catch {
      return undefined; // an item not visible yet, or an older layout: the usual load says which
    }
    entry.leaseOwner = leaseOwnerOfHead(head);
    return this.cache.remember(id, entry);
  }

  /** Every item of the execution's record, head included (staged items left out), strongly consistent. */
  private queryRecordItems(id: string): Promise<Item[]> {
    return this.requests.query({
      KeyConditionExpression: "pk = :pk AND sk < :t",
      ExpressionAttributeValues: { ":pk": { S: executionPk(id) }, ":t": { S: "T#" } },
      ConsistentRead: true,
    });
  }

  /** The execution's summary from its summary items only (no operations or history read). */
  async readSummary(executionId: string): Promise<ExecutionSummary | undefined> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const items = await this.requests.query({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues: { ":pk": { S: executionPk(executionId) }, ":s": { S: "S#" } },
        ConsistentRead: true,
      });
      const head = headOf(items.find((item) => item[A.sk]?.S === HEAD_SK));
      if (!head) return undefined;
      if (head.intent) {
        await rollForward(this.requests, executionId, head.intent);
        continue;
      }
      if (items.some((item) => Number(item[A.seq]?.N ?? "0") > head.seq)) continue;
      const values = new ValueAssembler();
      for (const item of items) values.add(item);
      return summaryOf(head, values);
    }
    throw new StoreContentionError(executionId, MAX_CONFLICTS);
  }

  private async getHead(id: string, attributes?: string[]): Promise<Head | undefined> {
    return headOf(await this.requests.getItem(headKey(id), attributes));
  }
}
