import type { CheckpointBackend } from "../protocol/backend.js";
import type { Operation, OperationUpdate } from "../protocol/wire.js";
import { MAX_BYTES_PER_CHECKPOINT, MAX_UPDATES_PER_CHECKPOINT } from "../protocol/limits.js";

interface Pending {
  update: OperationUpdate;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  maxUpdates?: number;
  maxBytes?: number;
  /** Called with the operations the store reports as changed by each acknowledged batch. */
  onAcknowledged: (operations: Operation[]) => void;
  /** Called once if a checkpoint call fails; the invocation cannot continue. */
  onFailure: (error: unknown) => void;
  /** Called whenever the batcher becomes idle (nothing queued, nothing in flight). */
  onIdle: () => void;
}

/**
 * Sends checkpoint updates in order, one call in flight at a time. Updates issued before the next
 * turn of the event loop go out together, bounded in count and bytes, so a burst (a step's
 * START and SUCCEED, a thousand branches starting) costs one round trip, not one per update.
 */
export class CheckpointBatcher {
  #queue: Pending[] = [];
  #head = 0;
  #inFlight = false;
  #scheduled = false;
  #failed: unknown = undefined;
  #idleWaiters: (() => void)[] = [];
  #token: string;
  readonly #maxUpdates: number;
  readonly #maxBytes: number;

  constructor(
    private readonly backend: CheckpointBackend,
    private readonly executionArn: string,
    token: string,
    private readonly options: BatcherOptions,
  ) {
    this.#token = token;
    this.#maxUpdates = options.maxUpdates ?? MAX_UPDATES_PER_CHECKPOINT;
    this.#maxBytes = options.maxBytes ?? MAX_BYTES_PER_CHECKPOINT;
  }

  get idle(): boolean {
    return !this.#inFlight && this.#head === this.#queue.length;
  }

  get token(): string {
    return this.#token;
  }

  /** Queues an update; resolves once the store has acknowledged it. */
  enqueue(update: OperationUpdate): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ update, bytes: estimateBytes(update), resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#head < this.#queue.length && this.#failed === undefined) {
      const batch = this.#takeBatch();
      this.#inFlight = true;
      try {
        const response = await this.backend.checkpoint({
          DurableExecutionArn: this.executionArn,
          CheckpointToken: this.#token,
          Updates: batch.map((p) => p.update),
        });
        if (response.CheckpointToken) this.#token = response.CheckpointToken;
        const changed = response.NewExecutionState?.Operations;
        if (changed && changed.length > 0) this.options.onAcknowledged(changed);
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.#failed = error ?? new Error("checkpoint call failed");
        for (const pending of batch) pending.reject(error);
        this.#rejectQueued(error);
        this.options.onFailure(error);
      } finally {
        this.#inFlight = false;
      }
    }
    if (this.idle) {
      this.options.onIdle();
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (this.#head < this.#queue.length && batch.length < this.#maxUpdates) {
      const next = this.#queue[this.#head] as Pending;
      if (batch.length > 0 && bytes + next.bytes > this.#maxBytes) break;
      batch.push(next);
      bytes += next.bytes;
      this.#head++;
    }
    // Drop consumed entries now and then so a long execution's queue doesn't grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  #rejectQueued(error: unknown): void {
    for (let i = this.#head; i < this.#queue.length; i++) (this.#queue[i] as Pending).reject(error);
    this.#queue = [];
    this.#head = 0;
  }

  /** Resolves when everything queued so far is acknowledged; rejects if a checkpoint call failed. */
  async drain(): Promise<void> {
    while (!this.idle && this.#failed === undefined) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    if (this.#failed !== undefined) throw this.#failed;
  }
}

function estimateBytes(update: OperationUpdate): number {
  let bytes = 200 + update.Id.length + (update.Name?.length ?? 0) + (update.Payload?.length ?? 0);
  if (update.Error) bytes += JSON.stringify(update.Error).length;
  return bytes;
}
