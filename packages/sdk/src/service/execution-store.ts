import type { HistoryEvent } from "../protocol/history.js";
import type { ExecutionMutation, ExecutionRecord } from "./execution-record.js";

/** What a decision made against a record wants: an optional mutation to commit, and a result. */
export interface StoreDecision<T> {
  /** The change to commit; none leaves the record as it is. */
  mutation?: ExecutionMutation | undefined;
  /** What the caller gets back. */
  result: T;
}

/** What {@link ExecutionStore.update} resolves to when the execution exists. */
export interface StoreUpdate<T> {
  /** What `decide` returned as its result (whether or not its mutation wrote anything). */
  result: T;
}

/**
 * Persistence for execution records. Stores never decide anything themselves: the core decides
 * (as ExecutionMutations) and the store makes each decision durable and atomic.
 *
 * Records passed to callbacks are the store's own objects: callbacks must not change them and
 * must copy whatever they return.
 */
export interface ExecutionStore {
  /**
   * Creates an execution from its first mutation unless `executionName` is already taken.
   * Returns the id of the execution that owns the name (the new one, or the existing one).
   */
  create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string>;
  /** Id of the execution that owns `executionName`, if any. */
  findByName(executionName: string): Promise<string | undefined>;
  /** Ids of every execution, oldest first. */
  listIds(): Promise<string[]>;
  /**
   * The execution's history events, oldest first, read from where the store keeps them; undefined
   * when the execution is absent. Needed only by a store whose records leave `history` undefined
   * (see createEmptyRecord's `keepHistory`); the service reads `record.history` otherwise. The
   * events are the caller's to keep.
   */
  readHistory?(executionId: string): Promise<HistoryEvent[] | undefined>;
  /** Runs `view` against the latest committed record; undefined when the execution is absent. */
  read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined>;
  /**
   * Runs `decide` against the latest committed record and commits its mutation atomically: no
   * other mutation of that execution (from this process or another) can land between the read and
   * the write. `decide` must be pure; a store may call it again after a conflict. Throws what
   * `decide` throws (nothing is committed then). Returns undefined when the execution is absent.
   */
  update<T>(
    executionId: string,
    decide: (record: ExecutionRecord) => StoreDecision<T>,
  ): Promise<StoreUpdate<T> | undefined>;
}
