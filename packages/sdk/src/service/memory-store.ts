import { applyMutation, createEmptyRecord, type ExecutionMutation, type ExecutionRecord } from "./execution-record.js";
import type { ExecutionStore, StoreDecision, StoreUpdate } from "./execution-store.js";

/**
 * Keeps records in this process only. Decisions run synchronously against the live record, so
 * there is nothing to lock and nothing is copied per call except what the service hands out.
 */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly names = new Map<string, string>();

  async create(executionId: string, executionName: string, initial: ExecutionMutation): Promise<string> {
    const owner = this.names.get(executionName);
    if (owner !== undefined) return owner;
    const record = createEmptyRecord(executionId);
    applyMutation(record, initial);
    this.records.set(executionId, record);
    this.names.set(executionName, executionId);
    return executionId;
  }

  async findByName(executionName: string): Promise<string | undefined> {
    return this.names.get(executionName);
  }

  async listIds(): Promise<string[]> {
    return [...this.records.keys()].sort();
  }

  async read<T>(executionId: string, view: (record: ExecutionRecord) => T): Promise<T | undefined> {
    const record = this.records.get(executionId);
    return record === undefined ? undefined : view(record);
  }

  /**
   * The live record, for in-process tooling that owns this store and only reads it once nothing
   * writes any more (e.g. the test runner after a run). Never mutate what it returns.
   */
  peek(executionId: string): Readonly<ExecutionRecord> | undefined {
    return this.records.get(executionId);
  }

  async update<T>(
    executionId: string,
    decide: (record: ExecutionRecord) => StoreDecision<T>,
  ): Promise<StoreUpdate<T> | undefined> {
    const record = this.records.get(executionId);
    if (record === undefined) return undefined;
    const { mutation, result } = decide(record);
    if (mutation) applyMutation(record, mutation);
    return { result };
  }
}
