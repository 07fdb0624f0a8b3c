// ExecutionStore on DynamoDB. The core decides; this store makes each decision durable, atomic and
// fenced. Design (docs/dynamodb.md has the long form):
//
// - Every mutation is committed by one conditional write of the execution's head item
//   (`seq = <seq the decision was made on>`), in the same transaction as the items it changes.
//   Two writers deciding on the same seq can never both commit; the loser reloads and decides
//   again, which is how the core's token check turns a lost race into StaleCheckpointTokenError.
// - A mutation too big for one transaction (100 items / 4 MB) is staged first under keys nothing
//   reads, then committed by the head write alone, which records an `intent`. Whoever next touches
//   the execution (the committer itself, normally) copies the staged items into place and clears
//   the intent; readers never see a half-applied mutation.
// - Each process caches the records it has used with their seq, so a checkpoint costs one
//   transaction and no read. A read checks the head's seq (one small GetItem) and reloads only
//   when another process wrote since.
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type QueryCommandInput,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import {
  applyMutation,
  createEmptyRecord,
  KeyedSerialQueue,
  type ActiveInvocation,
  type CheckpointedOutcome,
  type ExecutionMutation,
  type ExecutionRecord,
  type ExecutionStore,
  type ExecutionSummary,
  type HistoryEvent,
  type Operation,
  type StoreDecision,
} from "@cairn/sdk";
import { randomUUID } from "node:crypto";
import { deleteItems, forEachLimited, putItems } from "./batch-io.js";
import { decodeJson, encodeJson } from "./codec.js";
import { dueAtOf } from "./due-time.js";
import { StoreContentionError } from "./errors.js";
import {
  HEAD_SK,
  INPUT_SK,
  NAME_SK,
  OUTCOME_SK,
  RESULT_SK,
  ValueAssembler,
  eventSk,
  executionPk,
  headKey,
  itemBytes,
  namePk,
  operationSk,
  stagePrefix,
  valueItems,
  type Item,
} from "./item-layout.js";
import { DEFAULT_RETRY_POLICY, isConditionFailure, withRetry, type RetryPolicy } from "./retry.js";
import { A, LIST_INDEX, LIST_PARTITION, dueShardOf, dueShardsOf, type CairnTable } from "./table.js";

export interface DynamoDbCheckpointStoreOptions {
  /** Backoff for throttling, 5xx and network errors. */
  retry?: Partial<RetryPolicy> | undefined;
  /**
   * While an invocation runs, its execution is due again this long after the last write (default
   * 60 s): if the process running it dies, a worker takes over once that time and the lease are
   * past. Use the workers' lease duration.
   */
  invocationLeaseMs?: number | undefined;
  /** Records kept in this process's cache (default 256, least recently used evicted). */
  cacheSize?: number | undefined;
}

/** What DynamoDB allows in one TransactWriteItems call, with room to spare for the head. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;
/** Reloads in a row after which a call gives up (StoreContentionError). */
const MAX_CONFLICTS = 50;
const ROLL_FORWARD_CONCURRENCY = 4;

interface CacheEntry {
  record: ExecutionRecord;
  /** Position of every operation id (its index in operationOrder). */
  positions: Map<string, number>;
  /** encodeJson({result, error}) stored in S#RESULT, to write it only when it changes. */
  resultJson: string | undefined;
}

interface Intent {
  seq: number;
  nonce: string;
}

interface Head {
  seq: number;
  intent: Intent | undefined;
  item: Item;
}

type CommitOutcome = "committed" | "conflict";

/** Summary fields kept out of the head item: large and (nearly) never changing. */
type SlimSummary = Omit<ExecutionSummary, "input" | "result" | "error">;

function slim(summary: ExecutionSummary): SlimSummary {
  const { input: _input, result: _result, error: _error, ...rest } = summary;
  return rest;
}

function resultJsonOf(summary: ExecutionSummary): string | undefined {
  return summary.result === undefined && summary.error === undefined
    ? undefined
    : encodeJson({ result: summary.result, error: summary.error });
}

function headOf(item: Item | undefined): Head | undefined {
  if (!item) return undefined;
  const intent = item[A.intent]?.M;
  return {
    seq: Number(item[A.seq]?.N ?? "0"),
    intent: intent ? { seq: Number(intent.seq?.N ?? "0"), nonce: intent.nonce?.S ?? "" } : undefined,
    item,
  };
}

export class DynamoDbCheckpointStore implements ExecutionStore {
  readonly table: CairnTable;
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly cacheSize: number;
  private readonly shards: number;
  private readonly cache = new Map<string, CacheEntry>();
  /** Serializes this process's work per execution, so its cache never sees interleaved updates. */
  private readonly queue = new KeyedSerialQueue();

  constructor(table: CairnTable, options: DynamoDbCheckpointStoreOptions = {}) {
    if (!table?.client || typeof table.tableName !== "string" || table.tableName.length === 0) {
      throw new TypeError("DynamoDbCheckpointStore needs { client: DynamoDBClient, tableName: string }.");
    }
    this.table = table;
    this.shards = dueShardsOf(table);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.leaseMs = options.invocationLeaseMs ?? 60_000;
    this.cacheSize = options.cacheSize ?? 256;
    if (!(this.leaseMs > 0)) throw new RangeError(`invocationLeaseMs must be positive, got ${this.leaseMs}`);
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 1) {
      throw new RangeError(`cacheSize must be a positive integer, got ${this.cacheSize}`);
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.table.tableName, this.retry, call);
  }

  private remember(id: string, entry: CacheEntry): CacheEntry {
    this.cache.delete(id);
    this.cache.set(id, entry);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  private cached(id: string): CacheEntry | undefined {
    const entry = this.cache.get(id);
    if (entry) this.remember(id, entry);
    return entry;
  }

  private async query(input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.send("Query", () =>
        this.table.client.send(new QueryCommand({ ...input, TableName: this.table.tableName, ExclusiveStartKey: start })),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** A strongly consistent read of one item, of only `attributes` when given. */
  private async getItem(key: Item, attributes?: string[]): Promise<Item | undefined> {
    const out = await this.send("GetItem", () =>
      this.table.client.send(
        new GetItemCommand({
          TableName: this.table.tableName,
          Key: key,
          ConsistentRead: true,
          ...(attributes
            ? {
                ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(", "),
                ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
              }
            : {}),
        }),
      ),
    );
    return out.Item;
  }

  private async getHead(id: string, attributes?: string[]): Promise<Head | undefined> {
    return headOf(await this.getItem(headKey(id), attributes));
  }

  // ---- ExecutionStore ----------------------------------------------------------------------

  async create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string> {
    const entry: CacheEntry = { record: createEmptyRecord(executionId), positions: new Map(), resultJson: undefined };
    const { items, positions } = this.itemsOf(entry, initial);
    applyMutation(entry.record, initial);
    entry.positions = positions;
    const head = this.headItem(entry);
    const input = entry.record.summary.input;
    if (input !== undefined) items.push(...valueItems(executionPk(executionId), INPUT_SK, initial.seq, input, "the execution input"));
    const nameItem: Item = {
      [A.pk]: { S: namePk(executionName) },
      [A.sk]: { S: NAME_SK },
      [A.executionId]: { S: executionId },
    };
    const claim: TransactWriteItem[] = [
      { Put: { TableName: this.table.tableName, Item: nameItem, ConditionExpression: "attribute_not_exists(pk)" } },
      { Put: { TableName: this.table.tableName, Item: head, ConditionExpression: "attribute_not_exists(pk)" } },
    ];
    // Data items of an execution whose head does not exist are invisible, so a big start writes
    // them first and claims the name with a small transaction.
    const fits = this.fitsOneTransaction(items, claim.length);
    if (!fits) await putItems(this.table, this.retry, items);
    try {
      await this.transact("TransactWriteItems(create)", [
        ...claim,
        ...(fits ? items.map((Item) => ({ Put: { TableName: this.table.tableName, Item } })) : []),
      ]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (!fits) await deleteItems(this.table, this.retry, items).catch(() => undefined);
      const owner = await this.findByName(executionName);
      if (owner === undefined) throw new Error(`Execution name "${executionName}" is claimed but its owner cannot be read`);
      return owner;
    }
    this.remember(executionId, entry);
    return executionId;
  }

  async findByName(executionName: string): Promise<string | undefined> {
    const item = await this.getItem({ [A.pk]: { S: namePk(executionName) }, [A.sk]: { S: NAME_SK } });
    return item?.[A.executionId]?.S;
  }

  /**
   * Every execution id, oldest first, from the list index. Index reads are eventually
   * consistent on DynamoDB: an execution started a moment ago may be missing.
   */
  async listIds(): Promise<string[]> {
    const items = await this.query({
      IndexName: LIST_INDEX,
      KeyConditionExpression: "#p = :p",
      ExpressionAttributeNames: { "#p": A.listPk },
      ExpressionAttributeValues: { ":p": { S: LIST_PARTITION } },
    });
    return items.map((item) => item[A.executionId]?.S ?? "").filter((id) => id.length > 0);
  }

  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    return this.queue.run(executionId, async () => {
      const entry = await this.fresh(executionId);
      return entry === undefined ? undefined : view(entry.record);
    });
  }

  async update<T>(
    executionId: string,
    decide: (record: ExecutionRecord) => StoreDecision<T>,
  ): Promise<{ result: T } | undefined> {
    return this.queue.run(executionId, async () => {
      let entry = this.cached(executionId);
      let verified = false;
      if (!entry) {
        entry = await this.load(executionId);
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
          if ((await this.commit(entry, decision.mutation)) === "committed") return { result: decision.result };
        } else if (verified || !(await this.isStale(entry))) {
          // A refusal or an answer that writes nothing is not fenced by a commit, so one decided
          // on a cached record may be wrong (e.g. the token is newer than the cache): only a
          // record known to be current may give it.
          if (decision) return { result: decision.result };
          throw refusal;
        }
        // Lost the race to another writer, or the cache was stale: decide again on a fresh read.
        entry = await this.load(executionId);
        verified = true;
      }
      throw new StoreContentionError(executionId, MAX_CONFLICTS);
    });
  }

  // ---- beyond ExecutionStore ---------------------------------------------------------------

  /** The execution's summary from its summary items only (no operations or history read). */
  async readSummary(executionId: string): Promise<ExecutionSummary | undefined> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const items = await this.query({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues: { ":pk": { S: executionPk(executionId) }, ":s": { S: "S#" } },
        ConsistentRead: true,
      });
      const head = headOf(items.find((item) => item[A.sk]?.S === HEAD_SK));
      if (!head) return undefined;
      if (head.intent) {
        await this.rollForward(executionId, head.intent);
        continue;
      }
      if (items.some((item) => Number(item[A.seq]?.N ?? "0") > head.seq)) continue;
      const values = new ValueAssembler();
      for (const item of items) values.add(item);
      return this.summaryOf(head, values);
    }
    throw new StoreContentionError(executionId, MAX_CONFLICTS);
  }

  /**
   * A view of this process's cached copy of the execution, without any request; undefined when
   * it is not cached. The copy may be stale: use it only to decide a write conditioned on its seq.
   */
  peekCached<T>(executionId: string, view: (record: ExecutionRecord) => T): T | undefined {
    const entry = this.cache.get(executionId);
    return entry === undefined ? undefined : view(entry.record);
  }

  /** Forgets cached records (e.g. to measure cold reads). */
  clearCache(): void {
    this.cache.clear();
  }

  // ---- loading -----------------------------------------------------------------------------

  private async isStale(entry: CacheEntry): Promise<boolean> {
    const head = await this.getHead(entry.record.executionId, [A.seq, A.intent]);
    return head === undefined || head.seq !== entry.record.seq || head.intent !== undefined;
  }

  /** The cached record if it is current, else a freshly loaded one. */
  private async fresh(id: string): Promise<CacheEntry | undefined> {
    const entry = this.cached(id);
    if (entry && !(await this.isStale(entry))) return entry;
    return this.load(id);
  }

  /**
   * Reads the whole execution: head first, then every item with paged Queries. Items are not read
   * as one snapshot, so an item newer than the head means a write landed meanwhile: read again.
   */
  private async load(id: string): Promise<CacheEntry | undefined> {
    this.cache.delete(id);
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const head = await this.getHead(id);
      if (!head) return undefined;
      if (head.intent) {
        await this.rollForward(id, head.intent);
        continue;
      }
      const items = await this.query({
        KeyConditionExpression: "pk = :pk AND sk < :t",
        ExpressionAttributeValues: { ":pk": { S: executionPk(id) }, ":t": { S: "T#" } },
        ConsistentRead: true,
      });
      if (items.some((item) => Number(item[A.seq]?.N ?? "0") > head.seq)) continue;
      const queriedHead = items.find((item) => item[A.sk]?.S === HEAD_SK);
      if (Number(queriedHead?.[A.seq]?.N ?? "-1") !== head.seq) continue;
      return this.remember(id, this.recordOf(id, head, items));
    }
    throw new StoreContentionError(id, MAX_CONFLICTS);
  }

  private summaryOf(head: Head, values: ValueAssembler): ExecutionSummary {
    const summary = decodeJson<ExecutionSummary>(head.item[A.summary]?.S ?? "{}");
    const input = values.values.get(INPUT_SK);
    if (input) summary.input = input.text;
    if (head.item[A.hasResult]?.BOOL) {
      const stored = values.values.get(RESULT_SK);
      if (stored) {
        const { result, error } = decodeJson<Pick<ExecutionSummary, "result" | "error">>(stored.text);
        if (result !== undefined) summary.result = result;
        if (error !== undefined) summary.error = error;
      }
    }
    return summary;
  }

  private recordOf(id: string, head: Head, items: Item[]): CacheEntry {
    const values = new ValueAssembler();
    for (const item of items) values.add(item);
    const opCount = Number(head.item[A.opCount]?.N ?? "0");
    const eventCount = Number(head.item[A.eventCount]?.N ?? "0");
    const operations: Operation[] = [];
    const events: HistoryEvent[] = [];
    for (const [sk, { text }] of values.values) {
      if (sk.startsWith("O#") && Number(sk.slice(2)) < opCount) operations.push(decodeJson<Operation>(text));
      else if (sk.startsWith("E#") && Number(sk.slice(2)) <= eventCount) events.push(decodeJson<HistoryEvent>(text));
    }
    if (operations.length !== opCount || events.length !== eventCount) {
      throw new Error(
        `Execution ${id} in table "${this.table.tableName}" is incomplete: the head lists ${opCount} operations and ` +
          `${eventCount} events, ${operations.length} and ${events.length} were found. Restore the table from a backup.`,
      );
    }
    const summary = this.summaryOf(head, values);
    const token = head.item[A.token]?.S;
    const invocation = head.item[A.invocation]?.S;
    const outcome = head.item[A.hasOutcome]?.BOOL ? values.values.get(OUTCOME_SK) : undefined;
    const record = createEmptyRecord(id);
    // Rebuilding through applyMutation keeps derived state (timers) computed one way only.
    applyMutation(record, {
      seq: 1,
      summary,
      checkpointToken: token ?? null,
      invocation: invocation === undefined ? null : decodeJson<ActiveInvocation>(invocation),
      outcome: outcome === undefined ? null : decodeJson<CheckpointedOutcome>(outcome.text),
      wakePending: head.item[A.wakePending]?.BOOL ? true : null,
      operations,
      events,
    });
    record.seq = head.seq;
    const positions = new Map<string, number>();
    operations.forEach((op, i) => positions.set(op.Id, i));
    return { record, positions, resultJson: resultJsonOf(summary) };
  }

  // ---- writing -----------------------------------------------------------------------------

  /** The data items a mutation writes (everything but the head), with new operations placed. */
  private itemsOf(entry: CacheEntry, mutation: ExecutionMutation): { items: Item[]; positions: Map<string, number> } {
    const pk = executionPk(entry.record.executionId);
    const seq = mutation.seq;
    const positions = new Map(entry.positions);
    const latest = new Map<number, Operation>();
    for (const op of mutation.operations ?? []) {
      let position = positions.get(op.Id);
      if (position === undefined) {
        position = positions.size;
        positions.set(op.Id, position);
      }
      latest.set(position, op);
    }
    const items: Item[] = [];
    for (const [position, op] of latest) {
      const what = `operation "${op.Id}"${op.Name === undefined ? "" : ` (${op.Name})`}`;
      items.push(...valueItems(pk, operationSk(position), seq, encodeJson(op), what));
    }
    for (const event of mutation.events ?? []) {
      const what = `history event ${event.EventId} (${event.EventType}${event.Name === undefined ? "" : ` of "${event.Name}"`})`;
      items.push(...valueItems(pk, eventSk(event.EventId), seq, encodeJson(event), what));
    }
    if (mutation.outcome) {
      items.push(...valueItems(pk, OUTCOME_SK, seq, encodeJson(mutation.outcome), "the checkpointed execution outcome"));
    }
    if (mutation.summary) {
      const resultJson = resultJsonOf(mutation.summary);
      if (resultJson !== undefined && resultJson !== entry.resultJson) {
        items.push(...valueItems(pk, RESULT_SK, seq, resultJson, "the execution result"));
      }
    }
    return { items, positions };
  }

  private headAttributes(entry: CacheEntry): Item {
    const { record } = entry;
    const attrs: Item = {
      [A.seq]: { N: String(record.seq) },
      [A.summary]: { S: encodeJson(slim(record.summary)) },
      [A.opCount]: { N: String(record.operationOrder.length) },
      [A.eventCount]: { N: String(record.history.length) },
      [A.executionArn]: { S: record.summary.executionArn },
      [A.listPk]: { S: LIST_PARTITION },
      [A.executionId]: { S: record.executionId },
    };
    if (record.summary.functionName !== undefined) attrs[A.functionName] = { S: record.summary.functionName };
    if (record.checkpointToken !== undefined) attrs[A.token] = { S: record.checkpointToken };
    if (record.invocation !== undefined) attrs[A.invocation] = { S: encodeJson(record.invocation) };
    if (record.wakePending) attrs[A.wakePending] = { BOOL: true };
    if (record.outcome !== undefined) attrs[A.hasOutcome] = { BOOL: true };
    if (entry.resultJson !== undefined) attrs[A.hasResult] = { BOOL: true };
    const dueAt = dueAtOf(record, Date.now(), this.leaseMs);
    if (dueAt !== undefined) {
      attrs[A.dueAt] = { N: String(dueAt) };
      attrs[A.dueShard] = { S: dueShardOf(record.executionId, this.shards) };
    }
    return attrs;
  }

  private headItem(entry: CacheEntry): Item {
    return { ...headKey(entry.record.executionId), ...this.headAttributes(entry) };
  }

  /**
   * The head write that commits a mutation: SET every head attribute the record has, REMOVE the
   * optional ones it has not (leases untouched), if the head is still at `previousSeq` with no
   * intent pending.
   */
  private commitUpdate(entry: CacheEntry, previousSeq: number, extra: Item = {}) {
    const attrs = { ...this.headAttributes(entry), ...extra };
    const names: Record<string, string> = { "#seq": A.seq, "#intent": A.intent };
    const values: Record<string, AttributeValue> = { ":prev": { N: String(previousSeq) } };
    const sets: string[] = [];
    let i = 0;
    for (const [name, value] of Object.entries(attrs)) {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
      i++;
    }
    const optional = [A.token, A.invocation, A.wakePending, A.hasOutcome, A.hasResult, A.dueAt, A.dueShard, A.functionName];
    const removes: string[] = [];
    for (const name of optional) {
      if (name in attrs) continue;
      names[`#a${i}`] = name;
      removes.push(`#a${i}`);
      i++;
    }
    return {
      TableName: this.table.tableName,
      Key: headKey(entry.record.executionId),
      UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression: "#seq = :prev AND attribute_not_exists(#intent)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private fitsOneTransaction(items: Item[], others: number): boolean {
    if (items.length + others > MAX_TRANSACTION_ITEMS) return false;
    let bytes = 0;
    for (const item of items) bytes += itemBytes(item);
    return bytes <= MAX_TRANSACTION_BYTES;
  }

  private async transact(operation: string, items: TransactWriteItem[]): Promise<void> {
    // The same token on every retry makes a retried transaction idempotent: if the first attempt
    // did commit and only the answer was lost, the retry succeeds without applying it twice.
    const token = randomUUID();
    await this.send(operation, () =>
      this.table.client.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token })),
    );
  }

  /**
   * Commits `mutation`, decided on `entry.record`, if nobody committed since. On success the cache
   * holds the new record; on a conflict (or any error) the entry is dropped.
   */
  private async commit(entry: CacheEntry, mutation: ExecutionMutation): Promise<CommitOutcome> {
    const id = entry.record.executionId;
    const previousSeq = entry.record.seq;
    // Built before the record changes: a value too large throws here with nothing written.
    const { items, positions } = this.itemsOf(entry, mutation);
    this.cache.delete(id);
    applyMutation(entry.record, mutation);
    entry.positions = positions;
    if (mutation.summary) entry.resultJson = resultJsonOf(mutation.summary) ?? entry.resultJson;

    if (this.fitsOneTransaction(items, 1)) {
      try {
        await this.transact("TransactWriteItems(checkpoint)", [
          { Update: this.commitUpdate(entry, previousSeq) },
          ...items.map((Item) => ({ Put: { TableName: this.table.tableName, Item } })),
        ]);
      } catch (error) {
        if (isConditionFailure(error)) return "conflict";
        throw error;
      }
      this.remember(id, entry);
      return "committed";
    }

    // Too big for one transaction: stage, commit with an intent, roll forward.
    const intent: Intent = { seq: mutation.seq, nonce: randomUUID() };
    const prefix = stagePrefix(intent.seq, intent.nonce);
    const staged = items.map((item) => ({ ...item, [A.sk]: { S: prefix + item[A.sk]!.S! } }));
    await putItems(this.table, this.retry, staged);
    const update = this.commitUpdate(entry, previousSeq, {
      [A.intent]: { M: { seq: { N: String(intent.seq) }, nonce: { S: intent.nonce } } },
    });
    try {
      await this.send("UpdateItem(commit)", () => this.table.client.send(new UpdateItemCommand(update)));
    } catch (error) {
      if (isConditionFailure(error)) {
        await deleteItems(this.table, this.retry, staged).catch(() => undefined);
        return "conflict";
      }
      throw error;
    }
    // Committed. Whoever touches the execution next would finish this; normally it is us, now.
    await this.rollForward(id, intent, staged);
    this.remember(id, entry);
    return "committed";
  }

  /**
   * Copies a committed intent's staged items into place and clears the intent. Safe to run by
   * several processes at once and to repeat: every copy is a put conditioned on the target not
   * being newer than the intent, so a late copy never overwrites a later mutation.
   */
  private async rollForward(id: string, intent: Intent, known?: Item[]): Promise<void> {
    const prefix = stagePrefix(intent.seq, intent.nonce);
    const staged =
      known ??
      (await this.query({
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :t)",
        ExpressionAttributeValues: { ":pk": { S: executionPk(id) }, ":t": { S: prefix } },
        ConsistentRead: true,
      }));
    const targets = staged.map((item) => ({ ...item, [A.sk]: { S: item[A.sk]!.S!.slice(prefix.length) } }));
    const putIfNotNewer = (Item: Item) => ({
      TableName: this.table.tableName,
      Item,
      ConditionExpression: "attribute_not_exists(#seq) OR #seq <= :s",
      ExpressionAttributeNames: { "#seq": A.seq },
      ExpressionAttributeValues: { ":s": { N: String(intent.seq) } },
    });
    // A hundred at a time in a transaction; a chunk with a target already overwritten by a later
    // mutation (another process rolled forward first and moved on) is copied item by item.
    const chunks: Item[][] = [];
    for (const item of targets) {
      const last = chunks.at(-1);
      if (last && this.fitsOneTransaction([...last, item], 0)) last.push(item);
      else chunks.push([item]);
    }
    await forEachLimited(chunks, ROLL_FORWARD_CONCURRENCY, async (chunk) => {
      try {
        await this.transact("TransactWriteItems(roll-forward)", chunk.map((item) => ({ Put: putIfNotNewer(item) })));
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      for (const item of chunk) {
        try {
          await this.send("PutItem(roll-forward)", () => this.table.client.send(new PutItemCommand(putIfNotNewer(item))));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    });
    try {
      await this.send("UpdateItem(clear intent)", () =>
        this.table.client.send(
          new UpdateItemCommand({
            TableName: this.table.tableName,
            Key: headKey(id),
            UpdateExpression: "REMOVE #intent",
            ConditionExpression: "#intent.nonce = :n",
            ExpressionAttributeNames: { "#intent": A.intent },
            ExpressionAttributeValues: { ":n": { S: intent.nonce } },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await deleteItems(this.table, this.retry, staged);
  }
}
