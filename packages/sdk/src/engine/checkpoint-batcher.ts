import type { CheckpointBackend } from "../protocol/backend.js";
import { MAX_BYTES_PER_CHECKPOINT, MAX_UPDATES_PER_CHECKPOINT } from "../protocol/limits.js";
import type { Operation, OperationUpdate } from "../protocol/wire.js";
import { verboseLog } from "./verbose-log.js";

/** Updates that go out in one checkpoint call, and the one promise all of them wait on. */
interface Batch {
  updates: OperationUpdate[];
  bytes: number;
  acknowledged: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  maxUpdates?: number | undefined;
  maxBytes?: number | undefined;
  /** Called with the operations the store reports as changed by each acknowledged batch. */
  onAcknowledged: (operations: Operation[]) => void;
  /** Called with every acknowledged batch's own updates, before onAcknowledged (if set). */
  onUpdatesStored?: ((updates: readonly OperationUpdate[]) => void) | undefined;
  /** Called once if a checkpoint call fails; the invocation cannot continue. */
  onFailure: (error: unknown) => void;
  /** Called whenever the batcher becomes idle (nothing queued, nothing in flight). */
  onIdle: () => void;
}

/**
 * Sends checkpoint updates in order, one call in flight at a time. Updates issued before the next
 * turn of the event loop go out together, bounded in count and bytes, so a burst (a step's
 * START and SUCCEED, a thousand branches starting) costs one round trip, not one per update.
 * Every update of a batch shares that batch's acknowledgement.
 */
export class CheckpointBatcher {
  /** Batches closed (full) or open (still filling), oldest first; the last one may be open. */
  #batches: Batch[] = [];
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
    return !this.#inFlight && this.#batches.length === 0;
  }

  /**
   * Queues an update; resolves once the store has acknowledged it. The promise never counts as an
   * unhandled rejection (a failure ends the invocation on its own), so callers that do not await
   * it, such as a step's START, need not attach a handler of their own to every update.
   */
  enqueue(update: OperationUpdate): Promise<void> {
    if (this.#failed !== undefined) return handledRejection(this.#failed);
    const bytes = estimateBytes(update);
    let batch = this.#batches[this.#batches.length - 1];
    // The batch being sent is never added to; a full one is closed by starting the next.
    const sending = this.#inFlight && batch === this.#batches[0];
    if (!batch || sending || batch.updates.length >= this.#maxUpdates || (batch.updates.length > 0 && batch.bytes + bytes > this.#maxBytes)) {
      batch = newBatch();
      this.#batches.push(batch);
    }
    batch.updates.push(update);
    batch.bytes += bytes;
    this.#schedule();
    return batch.acknowledged;
  }

  /**
   * Asks the service what changed, as the AWS SDK's "force checkpoint" does: resolves once a
   * checkpoint call issued after now is answered (its response reports what the service changed).
   * Rides on updates already queued; sends a call with no updates when there are none.
   */
  refresh(): Promise<void> {
    if (this.#failed !== undefined) return handledRejection(this.#failed);
    const last = this.#batches[this.#batches.length - 1];
    const sending = this.#inFlight && last === this.#batches[0];
    if (last && !sending) return last.acknowledged;
    const batch = newBatch();
    this.#batches.push(batch);
    this.#schedule();
    return batch.acknowledged;
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
    while (this.#batches.length > 0 && this.#failed === undefined) {
      const batch = this.#batches[0] as Batch;
      this.#inFlight = true;
      const sentAt = Date.now();
      try {
        verboseLog("checkpoint sent", () => ({
          executionArn: this.executionArn,
          updates: batch.updates.map((u) => `${u.Action} ${u.Type} ${u.Id}${u.Name === undefined ? "" : ` "${u.Name}"`}`),
        }));
        const response = await this.backend.checkpoint({
          DurableExecutionArn: this.executionArn,
          CheckpointToken: this.#token,
          Updates: batch.updates,
        });
        verboseLog("checkpoint stored", () => ({
          executionArn: this.executionArn,
          updates: batch.updates.length,
          ms: Date.now() - sentAt,
          changed: (response.NewExecutionState?.Operations ?? []).map((op) => `${op.Type} ${op.Id} ${op.Status}`),
        }));
        if (response.CheckpointToken) this.#token = response.CheckpointToken;
        this.options.onUpdatesStored?.(batch.updates);
        const changed = response.NewExecutionState?.Operations;
        if (changed && changed.length > 0) this.options.onAcknowledged(changed);
        this.#batches.shift();
        batch.resolve();
      } catch (error) {
        verboseLog("checkpoint failed", () => ({ executionArn: this.executionArn, updates: batch.updates.length, error: String(error) }));
        this.#failed = error ?? new Error("checkpoint call failed");
        const failed = this.#batches;
        this.#batches = [];
        for (const pending of failed) pending.reject(this.#failed);
        this.options.onFailure(this.#failed);
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

  /** Resolves when everything queued so far is acknowledged; rejects if a checkpoint call failed. */
  async drain(): Promise<void> {
    while (!this.idle && this.#failed === undefined) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    if (this.#failed !== undefined) throw this.#failed;
  }
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const acknowledged = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers that do not await an update (e.g. an at-least-once START) learn of a failure through
  // the invocation ending; the shared promise itself must not count as unhandled.
  acknowledged.catch(() => undefined);
  return { updates: [], bytes: 0, acknowledged, resolve, reject };
}

function handledRejection(error: unknown): Promise<never> {
  const rejected = Promise.reject(error);
  rejected.catch(() => undefined);
  return rejected;
}

function estimateBytes(update: OperationUpdate): number {
  let bytes = 200 + update.Id.length + (update.Name?.length ?? 0) + (update.Payload?.length ?? 0);
  if (update.Error) bytes += JSON.stringify(update.Error).length;
  return bytes;
}
