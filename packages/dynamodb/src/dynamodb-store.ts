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
import { shownValue } from "@cairn/sdk/backend";
import { ClaimConflict, MutationCommitter, type HeldLease } from "./commit.js";
import { StoreContentionError } from "./errors.js";
import { headItem, type DueTimeSettings, type Head } from "./head-item.js";
import { INPUT_SK, NAME_SK, executionPk, namePk, valueItems, type Item } from "./item-layout.js";
import { RecordCache, type CacheEntry } from "./record-cache.js";
import { mutationItems } from "./record-items.js";
import { MAX_CONFLICTS, RecordLoader } from "./record-loader.js";
import { isConditionFailure, retryPolicyOf, type RetryPolicy } from "./retry.js";
import { A, LIST_INDEX, listShardKey, shardCountsOf, type CairnTable, type ShardCounts } from "./table.js";
import { checkShardCounts } from "./table-settings.js";
import { TableRequests, fitsOneTransaction } from "./table-requests.js";

/** What the worker and the client of this package use of a store beyond its public methods. */
export interface StoreInternals {
  /**
   * Notes that `executionName` was just drawn at random (a new ULID) for an execution this process
   * is about to start, so that the name lookup before its creation needs no read.
   */
  expectFreshName(executionName: string): void;
  /**
   * Runs `view` against the record as of `head`, the head a claim just returned: the cached record
   * when it is at that seq (no request), else the items read after it. Undefined when absent.
   */
  readClaimed<T>(executionId: string, head: Head, view: (record: ExecutionRecord) => T): Promise<T | undefined>;
  /**
   * Caches an execution the due index says only its create has written, read with one Query and
   * no lease (RecordLoader.loadFresh); false when it is cached already or the read did not prove
   * it fresh (nothing cached then). A worker then lets the invocation's begin take the lease.
   */
  cacheFresh(executionId: string): Promise<boolean>;
  /**
   * Lets the store's commits of `executionId` carry a lease this process's worker has just
   * claimed: they extend it when due and the commit ending the invocation gives it up. `onLost`
   * is called once if a reload shows another owner.
   */
  holdLease(executionId: string, lease: Omit<HeldLease, "state">, onLost: () => void): void;
  /**
   * Lets the next commit of `executionId` take the lease (as a claim would) along with what it
   * writes, if it is decided on the cached record at `seq`; after that its commits carry the lease
   * as after holdLease. Any other first commit throws ClaimConflict, with nothing written.
   */
  claimOnCommit(executionId: string, seq: number, lease: Omit<HeldLease, "state" | "claimSeq" | "deferred">, onLost: () => void): void;
  /**
   * While claiming: the next update of `executionId`, if it decides a mutation that writes only
   * its log entry, is applied to the cached record and written by the claiming commit after it.
   */
  deferNextUpdate(executionId: string): void;
  /** The held lease of `executionId`, if any (its state says whether a commit released it). */
  heldLease(executionId: string): HeldLease | undefined;
  /**
   * Forgets the lease of `executionId` (the invocation is over); a cached record holding deferred
   * mutations no commit wrote is dropped with it.
   */
  dropLease(executionId: string): void;
}

const internals = new WeakMap<DynamoDbCheckpointStore, StoreInternals>();

/** The package-internal side of `store`. */
export function internalsOf(store: DynamoDbCheckpointStore): StoreInternals {
  return internals.get(store)!;
}

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
  private readonly shards: ShardCounts;
  private readonly retry: RetryPolicy;
  /** Executions this process just created, whose first read is the record it wrote. */
  private readonly justCreated = new Set<string>();
  /** Names drawn at random in this process for executions about to be started (see findByName). */
  private readonly freshNames = new Set<string>();
  /** Leases this process's worker holds, by execution id: its commits carry them. */
  private readonly leases = new Map<string, HeldLease & { onLost: () => void }>();
  /** Executions whose next update is deferred to the claiming commit after it (deferNextUpdate). */
  private readonly deferNext = new Set<string>();

  /**
   * Checks the settings; sends no request (the table is not checked until first used).
   *
   * @throws TypeError when `table` lacks a client or a table name.
   * @throws RangeError when `table.dueShards`, `table.listShards`, `invocationLeaseMs`,
   *   `cacheSize` or a field of `retry` is out of range.
   */
  constructor(table: CairnTable, options: DynamoDbCheckpointStoreOptions = {}) {
    if (!table?.client || typeof table.tableName !== "string" || table.tableName.length === 0) {
      throw new TypeError("DynamoDbCheckpointStore needs { client: DynamoDBClient, tableName: string }.");
    }
    this.table = table;
    const shards = shardCountsOf(table);
    const retry = retryPolicyOf("DynamoDbCheckpointStore: retry", options.retry);
    const leaseMs = options.invocationLeaseMs ?? 60_000;
    const cacheSize = options.cacheSize ?? 256;
    // Written into the due index as a number: Infinity or a fraction would be refused by DynamoDB
    // at the first commit of a running invocation, far from here.
    if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new RangeError(`invocationLeaseMs must be a positive integer, got ${shownValue(leaseMs)}`);
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`cacheSize must be a positive integer, got ${shownValue(cacheSize)}`);
    }
    this.requests = new TableRequests(table, retry);
    this.shards = shards;
    this.retry = retry;
    this.due = { leaseMs, ...shards };
    this.cache = new RecordCache(cacheSize);
    this.loader = new RecordLoader(this.requests, this.cache);
    this.committer = new MutationCommitter(this.requests, this.cache, this.due);
    internals.set(this, {
      expectFreshName: (name) => void this.freshNames.add(name),
      readClaimed: (id, head, view) =>
        this.queue.run(id, async () => {
          const entry = await this.loader.loadFrom(id, head);
          return entry === undefined ? undefined : view(entry.record);
        }),
      cacheFresh: (id) =>
        this.queue.run(id, async () => {
          if (this.cache.peek(id) !== undefined || this.leases.has(id)) return false;
          return (await this.loader.loadFresh(id)) !== undefined;
        }),
      holdLease: (id, lease, onLost) => void this.leases.set(id, { ...lease, state: "held", onLost }),
      claimOnCommit: (id, seq, lease, onLost) => void this.leases.set(id, { ...lease, state: "claiming", claimSeq: seq, onLost }),
      heldLease: (id) => this.leases.get(id),
      deferNextUpdate: (id) => {
        const lease = this.leases.get(id);
        if (lease?.state === "claiming") this.deferNext.add(id);
      },
      dropLease: (id) => {
        if (this.leases.get(id)?.deferred) this.cache.delete(id);
        this.leases.delete(id);
        this.deferNext.delete(id);
      },
    });
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
    await this.checkSettings();
    const entry: CacheEntry = { record: createEmptyRecord(executionId), resultJson: undefined, dueAt: undefined };
    const items = mutationItems(entry, initial);
    applyMutation(entry.record, initial);
    const head = headItem(entry, this.due, Date.now());
    const dueAt = head[A.dueAt]?.N;
    entry.dueAt = dueAt === undefined ? undefined : Number(dueAt);
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
    this.justCreated.add(executionId);
    // Bounded: a creator that never reads back must not grow it.
    if (this.justCreated.size > 1024) this.justCreated.delete(this.justCreated.values().next().value as string);
    return executionId;
  }

  /** Id of the execution that owns `executionName`, if any (a strongly consistent read). */
  async findByName(executionName: string): Promise<string | undefined> {
    // A name this process just drew at random is nobody's yet: no read (create still claims it
    // conditionally, so even a collision could not take an existing execution's name).
    if (this.freshNames.delete(executionName)) return undefined;
    const item = await this.requests.getItem({ [A.pk]: { S: namePk(executionName) }, [A.sk]: { S: NAME_SK } });
    return item?.[A.executionId]?.S;
  }

  /**
   * Every execution id, oldest first, from the list index: every shard is read (in parallel) and
   * the ids merged (ULIDs sort by creation time). Index reads are eventually consistent on
   * DynamoDB: an execution started a moment ago may be missing.
   */
  async listIds(): Promise<string[]> {
    await this.checkSettings();
    const shards = await Promise.all(
      Array.from({ length: this.shards.listShards }, (_, shard) =>
        this.requests.query({
          IndexName: LIST_INDEX,
          KeyConditionExpression: "#p = :p",
          ExpressionAttributeNames: { "#p": A.listPk },
          ExpressionAttributeValues: { ":p": { S: listShardKey(shard) } },
        }),
      ),
    );
    const ids = shards.flat().map((item) => item[A.executionId]?.S ?? "");
    return ids.filter((id) => id.length > 0).sort();
  }

  /**
   * Runs `view` against the latest committed record; undefined when the execution is absent. A
   * cached record costs one small read to confirm it is current.
   *
   * @throws StoreContentionError when the execution kept changing while it was being read.
   */
  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    await this.checkSettings();
    return this.queue.run(executionId, async () => {
      // Under a lease this process holds, its own cached record is what its invocation wrote:
      // reads for that invocation (its paging, its summary at the end) need no freshness check.
      // Anything written meanwhile by others fails the next commit's seq condition and is read then.
      // The same holds after the commit that ended the invocation released the lease, until the
      // worker is done with the execution; and for the read that follows this process's create.
      // A lease still to be taken by a commit proves nothing about the cache yet.
      const leaseState = this.leases.get(executionId)?.state;
      const own = this.justCreated.delete(executionId) || leaseState === "held" || leaseState === "released";
      const entry = (own ? this.cache.get(executionId) : undefined) ?? (await this.loader.fresh(executionId));
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
    await this.checkSettings();
    return this.queue.run(executionId, async () => {
      const lease = this.leases.get(executionId);
      let entry = this.cache.get(executionId);
      let verified = false;
      const defer = this.deferNext.delete(executionId) && lease?.state === "claiming";
      // A commit taking the lease must be decided on the very record the worker chose to invoke
      // on (with what it deferred applied); anything else (evicted, or moved on) goes back to a
      // claim of its own.
      if (lease?.state === "claiming" && entry?.record.seq !== (lease.deferred?.seq ?? lease.claimSeq)) this.claimFailed(executionId);
      if (!entry) {
        entry = await this.loader.load(executionId);
        verified = true;
        this.checkLease(lease, entry);
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
          // Not durable until the claiming commit writes it with its own mutation: nothing is
          // told of it meanwhile but the worker that deferred it (and if that commit never comes,
          // the cached record is dropped and the mutation is decided again next time).
          if (defer && this.committer.defer(entry, decision.mutation, lease)) return { result: decision.result };
          const held = lease?.state === "held" || lease?.state === "claiming" ? lease : undefined;
          if ((await this.committer.commit(entry, decision.mutation, held)) === "committed") return { result: decision.result };
        } else if (verified || !(await this.loader.isStale(entry))) {
          // A refusal or an answer that writes nothing is not fenced by a commit, so one decided
          // on a cached record may be wrong (e.g. the token is newer than the cache): only a
          // record known to be current may give it.
          if (decision) return { result: decision.result };
          throw refusal;
        }
        // Lost the race to another writer, or the cache was stale: decide again on a fresh read;
        // unless the lease was to be taken by this commit, which is for the claim to redo.
        if (lease?.state === "claiming") this.claimFailed(executionId);
        entry = await this.loader.load(executionId);
        verified = true;
        this.checkLease(lease, entry);
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

  // ---- for the workers ---------------------------------------------------------------------

  /**
   * Resolves once the table's recorded shard counts are this store's (recording them on a table
   * that has none yet); one GetItem per table object and process.
   *
   * @throws TableSettingsMismatchError when the table records other counts.
   */
  checkSettings(): Promise<void> {
    return checkShardCounts(this.table, this.shards, this.retry);
  }

  /** Nothing was written; the worker's fallback claim reads the execution afresh. */
  private claimFailed(executionId: string): never {
    // The lease stays "claiming" at a seq no cached record has any more: nothing commits under it.
    this.cache.delete(executionId);
    const lease = this.leases.get(executionId);
    if (lease) lease.deferred = undefined;
    throw new ClaimConflict(executionId);
  }

  /** After a reload: a head naming another owner means the lease was taken over. */
  private checkLease(lease: (HeldLease & { onLost: () => void }) | undefined, entry: CacheEntry | undefined): void {
    if (lease?.state !== "held" || !entry || entry.leaseOwner === lease.owner) return;
    lease.state = "lost";
    lease.onLost();
  }
}
