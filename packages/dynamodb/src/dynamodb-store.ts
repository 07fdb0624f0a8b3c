// ExecutionStore on DynamoDB. The core decides; this store makes each decision durable, atomic and
// fenced (docs/dynamodb.md has the long form):
//
// - commit.ts: every mutation is one conditional write of the execution's head item, in the same
//   transaction as the items it changes; the loser of a race reloads and decides again, which is
//   how the core's token check turns a lost race into StaleCheckpointTokenError.
// - roll-forward.ts: a mutation too big for one transaction is staged, committed by the head write
//   alone with an intent, and copied into place by whoever next touches the execution.
// - record-cache.ts: each process caches the records it has used with their seq, so a checkpoint
//   costs one transaction and no read; record-loader.ts reloads only when another process wrote.
import {
  applyMutation,
  createEmptyRecord,
  KeyedSerialQueue,
  type ExecutionMutation,
  type ExecutionRecord,
  type ExecutionStore,
  type ExecutionSummary,
  type StoreDecision,
  type StoreUpdate,
} from "@cairn/sdk/service";
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { MutationCommitter } from "./commit.js";
import { StoreContentionError } from "./errors.js";
import { headItem, type DueTimeSettings } from "./head-item.js";
import { INPUT_SK, NAME_SK, executionPk, namePk, valueItems, type Item } from "./item-layout.js";
import { RecordCache, type CacheEntry } from "./record-cache.js";
import { mutationItems } from "./record-items.js";
import { MAX_CONFLICTS, RecordLoader } from "./record-loader.js";
import { DEFAULT_RETRY_POLICY, isConditionFailure, type RetryPolicy } from "./retry.js";
import { A, LIST_INDEX, LIST_PARTITION, dueShardsOf, type CairnTable } from "./table.js";
import { TableRequests, fitsOneTransaction } from "./table-requests.js";

/** Settings of a {@link DynamoDbCheckpointStore}; every field is optional. */
export interface DynamoDbCheckpointStoreOptions {
  /**
   * Backoff for throttling, 5xx and network errors, on top of the AWS SDK client's own retries.
   * Fields left out keep their defaults (10 attempts, 25 ms doubling up to 2000 ms).
   */
  retry?: Partial<RetryPolicy> | undefined;
  /**
   * While an invocation runs, its execution is due again this long after the last write, in
   * milliseconds (default 60 000): if the process running it dies, a worker takes over once that
   * time and the lease are past. Use the workers' `leaseMs` (a worker's own store does).
   */
  invocationLeaseMs?: number | undefined;
  /** Records kept in this process's cache (default 256; the least recently used is evicted). */
  cacheSize?: number | undefined;
}

/**
 * The Cairn checkpoint store on a DynamoDB table: an `ExecutionStore` whose every batch of
 * checkpoints is one fenced, atomic write, so any number of processes can share a table.
 *
 * Workers and the client create their own store; construct one directly to give a
 * `CheckpointService` (or a conformance suite) a DynamoDB backing. Request failures surface as
 * {@link DynamoDbRequestError} (permanent) or {@link DynamoDbUnavailableError} (retries exhausted);
 * a value above {@link MAX_VALUE_BYTES} as {@link PayloadTooLargeError}.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { CheckpointService } from "@cairn/sdk/service";
 * import { DynamoDbCheckpointStore } from "@cairn/dynamodb";
 *
 * const store = new DynamoDbCheckpointStore({ client: new DynamoDBClient({}), tableName: "cairn" });
 * const service = new CheckpointService({ store });
 * ```
 */
export class DynamoDbCheckpointStore implements ExecutionStore {
  /** The table this store reads and writes. */
  readonly table: CairnTable;
  private readonly requests: TableRequests;
  private readonly due: DueTimeSettings;
  private readonly cache: RecordCache;
  private readonly loader: RecordLoader;
  private readonly committer: MutationCommitter;
  /** Serializes this process's work per execution, so its cache never sees interleaved updates. */
  private readonly queue = new KeyedSerialQueue();

  /**
   * Checks the settings; sends no request (the table is not checked until first used).
   *
   * @throws TypeError when `table` lacks a client or a table name.
   * @throws RangeError when `table.dueShards`, `invocationLeaseMs` or `cacheSize` is out of range.
   */
  constructor(table: CairnTable, options: DynamoDbCheckpointStoreOptions = {}) {
    if (!table?.client || typeof table.tableName !== "string" || table.tableName.length === 0) {
      throw new TypeError("DynamoDbCheckpointStore needs { client: DynamoDBClient, tableName: string }.");
    }
    this.table = table;
    const shards = dueShardsOf(table);
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const leaseMs = options.invocationLeaseMs ?? 60_000;
    const cacheSize = options.cacheSize ?? 256;
    if (!(leaseMs > 0)) throw new RangeError(`invocationLeaseMs must be positive, got ${leaseMs}`);
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`cacheSize must be a positive integer, got ${cacheSize}`);
    }
    this.requests = new TableRequests(table, retry);
    this.due = { leaseMs, shards };
    this.cache = new RecordCache(cacheSize);
    this.loader = new RecordLoader(this.requests, this.cache);
    this.committer = new MutationCommitter(this.requests, this.cache, this.due);
  }

  // ---- ExecutionStore ----------------------------------------------------------------------

  /**
   * Creates an execution from its first mutation unless `executionName` is already taken, and
   * returns the id of the execution that owns the name (the new one, or the existing one). The
   * name claim and the head are written in one transaction.
   *
   * @throws PayloadTooLargeError when the input or an operation is above {@link MAX_VALUE_BYTES}.
   */
  async create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string> {
    const entry: CacheEntry = { record: createEmptyRecord(executionId), positions: new Map(), resultJson: undefined };
    const { items, positions } = mutationItems(entry, initial);
    applyMutation(entry.record, initial);
    entry.positions = positions;
    const head = headItem(entry, this.due);
    const input = entry.record.summary.input;
    if (input !== undefined) items.push(...valueItems(executionPk(executionId), INPUT_SK, initial.seq, input, "the execution input"));
    const nameItem: Item = {
      [A.pk]: { S: namePk(executionName) },
      [A.sk]: { S: NAME_SK },
      [A.executionId]: { S: executionId },
    };
    const tableName = this.table.tableName;
    const claim: TransactWriteItem[] = [
      { Put: { TableName: tableName, Item: nameItem, ConditionExpression: "attribute_not_exists(pk)" } },
      { Put: { TableName: tableName, Item: head, ConditionExpression: "attribute_not_exists(pk)" } },
    ];
    // Data items of an execution whose head does not exist are invisible, so a big start writes
    // them first and claims the name with a small transaction.
    const fits = fitsOneTransaction(items, claim.length);
    if (!fits) await this.requests.putItems(items);
    try {
      await this.requests.transact("TransactWriteItems(create)", [
        ...claim,
        ...(fits ? items.map((Item) => ({ Put: { TableName: tableName, Item } })) : []),
      ]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (!fits) await this.requests.deleteItems(items).catch(() => undefined);
      const owner = await this.findByName(executionName);
      if (owner === undefined) throw new Error(`Execution name "${executionName}" is claimed but its owner cannot be read`);
      return owner;
    }
    this.cache.remember(executionId, entry);
    return executionId;
  }

  /** Id of the execution that owns `executionName`, if any (a strongly consistent read). */
  async findByName(executionName: string): Promise<string | undefined> {
    const item = await this.requests.getItem({ [A.pk]: { S: namePk(executionName) }, [A.sk]: { S: NAME_SK } });
    return item?.[A.executionId]?.S;
  }

  /**
   * Every execution id, oldest first, from the list index. Index reads are eventually
   * consistent on DynamoDB: an execution started a moment ago may be missing.
   */
  async listIds(): Promise<string[]> {
    const items = await this.requests.query({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "#p = :p",
      ExpressionAttributeNames: { "#p": A.listPk },
      ExpressionAttributeValues: { ":p": { S: LIST_PARTITION } },
    });
    return items.map((item) => item[A.executionId]?.S ?? "").filter((id) => id.length > 0);
  }

  /**
   * Runs `view` against the latest committed record; undefined when the execution is absent. A
   * cached record costs one small read to confirm it is current.
   *
   * @throws StoreContentionError when the execution kept changing while it was being read.
   */
  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    return this.queue.run(executionId, async () => {
      const entry = await this.loader.fresh(executionId);
      return entry === undefined ? undefined : view(entry.record);
    });
  }

  /**
   * Runs `decide` against the latest committed record and commits its mutation atomically; after
   * losing a race to another writer it reloads and calls `decide` again. Returns undefined when
   * the execution is absent.
   *
   * @throws what `decide` throws (nothing is committed then).
   * @throws StoreContentionError after 50 lost races in a row.
   */
  async update<T>(
    executionId: string,
    decide: (record: ExecutionRecord) => StoreDecision<T>,
  ): Promise<StoreUpdate<T> | undefined> {
    return this.queue.run(executionId, async () => {
      let entry = this.cache.get(executionId);
      let verified = false;
      if (!entry) {
        entry = await this.loader.load(executionId);
        verified = true;
      }
      for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
        if (!entry) return undefined;
        let decision: StoreDecision<T> | undefined;
        let refusal: unknown;
        try {
          decision = decide(entry.record);
        } catch (error) {
          refusal = error;
        }
        if (decision?.mutation) {
          if ((await this.committer.commit(entry, decision.mutation)) === "committed") return { result: decision.result };
        } else if (verified || !(await this.loader.isStale(entry))) {
          // A refusal or an answer that writes nothing is not fenced by a commit, so one decided
          // on a cached record may be wrong (e.g. the token is newer than the cache): only a
          // record known to be current may give it.
          if (decision) return { result: decision.result };
          throw refusal;
        }
        // Lost the race to another writer, or the cache was stale: decide again on a fresh read.
        entry = await this.loader.load(executionId);
        verified = true;
      }
      throw new StoreContentionError(executionId, MAX_CONFLICTS);
    });
  }

  // ---- beyond ExecutionStore ---------------------------------------------------------------

  /**
   * The execution's summary from its summary items only (no operations or history read);
   * undefined when the execution is absent. Cheaper than `read` for status pages and listings.
   *
   * @throws StoreContentionError when the execution kept changing while it was being read.
   */
  readSummary(executionId: string): Promise<ExecutionSummary | undefined> {
    return this.loader.readSummary(executionId);
  }

  /**
   * A view of this process's cached copy of the execution, without any request; undefined when
   * it is not cached. The copy may be stale: use it only to decide a write conditioned on its seq.
   */
  peekCached<T>(executionId: string, view: (record: ExecutionRecord) => T): T | undefined {
    const entry = this.cache.peek(executionId);
    return entry === undefined ? undefined : view(entry.record);
  }

  /** Forgets cached records (e.g. to measure cold reads); the next access reads the table. */
  clearCache(): void {
    this.cache.clear();
  }
}
