import { BatchItemTimeoutError } from "../../errors/batch-item-timeout-error.js";
import type { CheckpointedOperation } from "../../engine/checkpointed-operations.js";
import { never } from "../../engine/invocation-engine.js";
import {
  OperationAction,
  OperationStatus,
  OperationSubType,
  OperationType,
  type ErrorObject,
  type OperationUpdate,
} from "../../protocol/wire.js";
import { childError, contextUpdate, type ChildOutcome } from "../child-context-operation.js";
import type { ContextImpl } from "../durable-context-impl.js";
import type { LazyAbort } from "../lazy-abort.js";
import { childOperationId } from "../operation-ids.js";
import type { UnitOutcome } from "./scheduler.js";

/** Name of the WAIT that holds an item's deadline in the service. */
export const ITEM_TIMEOUT_WAIT_NAME = "itemTimeout";
const TIMEOUT_ERROR_TYPE = "BatchItemTimeoutError";
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timed-out item's checkpointed error says so, whatever the batch's config is on replay. */
export function isTimeoutError(error: ErrorObject | undefined): boolean {
  return error?.ErrorType === TIMEOUT_ERROR_TYPE;
}

/** What one item needs to run under a deadline. */
export interface DeadlineRun<T> {
  index: number;
  itemId: string;
  name: string | undefined;
  subType: string;
  /** What the item is, for messages: `map "orders" item 3`. */
  what: string;
  itemExisting: CheckpointedOperation | undefined;
  abort: LazyAbort;
  /** Runs the item's child context with `owner` as the context its updates are written through. */
  execute: (owner: ContextImpl) => Promise<ChildOutcome<T>>;
}

/**
 * Per-item timeouts of one batch. Each item's deadline is a WAIT owned by the batch (id
 * `<batch>-<units + index + 1>`, named "itemTimeout"), started with the item and cancelled when the
 * item finishes first. The service records when it ends, so the deadline survives suspension and
 * replay: while the item is suspended the WAIT's timer wakes the execution, and a replay that finds
 * it fired records the item TIMED_OUT without running it. While the item's code runs, a local timer
 * enforces the same deadline.
 */
export class ItemDeadlines {
  /** Items whose WAIT is started and not yet cancelled or fired, by unit index. */
  readonly #armed = new Map<number, { waitId: string; timer: NodeJS.Timeout | undefined }>();
  /** Service time minus local time, estimated once per batch when a replayed deadline needs it. */
  #offset: number | undefined;
  #frozen = false;

  constructor(
    /** The batch's own context: the WAITs' parent, and the writer of timed-out items' FAIL. */
    private readonly batch: ContextImpl,
    private readonly unitCount: number,
    readonly seconds: number,
  ) {
    // A suspended or ended invocation must not keep timers alive.
    batch.engine.terminated.then(() => this.#clearTimers(), () => undefined);
  }

  /** Runs one item under its deadline, or settles it from its checkpoints. */
  async run<T>(item: DeadlineRun<T>): Promise<UnitOutcome<T>> {
    const { engine } = this.batch;
    const waitId = childOperationId(this.batch.operationId, this.unitCount + item.index + 1);
    const wait = engine.replayCheck({ id: waitId, type: OperationType.WAIT, subType: OperationSubType.WAIT, name: ITEM_TIMEOUT_WAIT_NAME });
    if (engine.ended) return never();
    const status = item.itemExisting?.Status;
    if (status === OperationStatus.SUCCEEDED || status === OperationStatus.FAILED) {
      // Finished before; a crash may have come between its end and the WAIT's cancellation.
      if (wait?.Status === OperationStatus.STARTED) this.#cancel(waitId);
      return item.execute(this.batch);
    }
    if (wait?.Status === OperationStatus.SUCCEEDED) {
      // The deadline passed while the item was suspended: record the timeout without running it.
      if (!item.itemExisting) this.#write(item, OperationAction.START);
      return this.#timedOut(item);
    }
    return this.#race(item, waitId, wait);
  }

  /** The batch completed: cancel the deadlines of items still running, through `writer`. */
  cancelPending(writer: ContextImpl): void {
    for (const [index, { waitId, timer }] of this.#armed) {
      clearTimeout(timer);
      this.#armed.delete(index);
      writer.checkpoint(waitUpdate(this.batch, waitId, OperationAction.CANCEL));
    }
  }

  #race<T>(item: DeadlineRun<T>, waitId: string, wait: CheckpointedOperation | undefined): Promise<UnitOutcome<T>> {
    const owner = this.batch.child(this.batch.operationId as string, item.abort);
    // Once the item's own SUCCEED/FAIL is queued, the item finished in time: a deadline that
    // passes while that write is acknowledged must not write a second, conflicting outcome.
    let finishing = false;
    const write = owner.checkpoint.bind(owner);
    owner.checkpoint = (update: OperationUpdate) => {
      if (update.Id === item.itemId && !owner.closed && (update.Action === OperationAction.SUCCEED || update.Action === OperationAction.FAIL)) {
        finishing = true;
      }
      return write(update);
    };
    const running = item.execute(owner); // queues the item's START first when it is new
    if (!wait) {
      this.batch.checkpoint({ ...waitUpdate(this.batch, waitId, OperationAction.START), WaitOptions: { WaitSeconds: this.seconds } });
    }
    const armed: { waitId: string; timer: NodeJS.Timeout | undefined } = { waitId, timer: undefined };
    this.#armed.set(item.index, armed);

    return new Promise<UnitOutcome<T>>((resolve, reject) => {
      let settled = false;
      armed.timer = setTimeout(() => {
        if (settled || finishing || this.#armed.get(item.index) !== armed) return;
        settled = true;
        this.#disarm(item.index);
        owner.close(); // the item can write nothing more
        item.abort.abort(new BatchItemTimeoutError(timeoutMessage(item.what, this.seconds)));
        this.#timedOut(item, waitId).then(resolve, reject);
      }, Math.min(this.#remainingMs(wait), MAX_TIMER_MS));
      armed.timer.unref();
      running.then(
        (outcome) => {
          if (settled) return;
          settled = true;
          const pending = this.#disarm(item.index);
          if (pending) this.#cancel(pending);
          resolve(outcome);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          const pending = this.#disarm(item.index);
          if (pending) this.#cancel(pending);
          reject(error);
        },
      );
    });
  }

  /**
   * Time left before a started deadline. The service's end time is what counts, and local time
   * may differ from the service's (a virtual clock in tests, skew in production), so the service's
   * "now" is estimated from the newest timestamp it wrote: a lower bound, so the local timer can
   * only fire late, never early; the WAIT's timer still fires on time once the item suspends.
   */
  #remainingMs(wait: CheckpointedOperation | undefined): number {
    const full = this.seconds * 1000;
    const end = wait?.WaitDetails?.ScheduledEndTimestamp;
    if (!end) return full;
    this.#offset ??= this.#offsetFromCheckpoints();
    const left = new Date(end).getTime() - (Date.now() + this.#offset);
    return Math.max(0, Math.min(full, left));
  }

  #offsetFromCheckpoints(): number {
    // Kept by the engine as operations arrive: a scan of every operation here would cost each
    // batch with deadlines O(operations).
    const latest = this.batch.engine.latestTimestampMs;
    return Number.isFinite(latest) ? latest - Date.now() : 0;
  }

  /** Records the item as timed out (its FAIL is stored before the batch sees the outcome). */
  async #timedOut<T>(item: DeadlineRun<T>, cancelWaitId?: string): Promise<UnitOutcome<T>> {
    const error: ErrorObject = { ErrorType: TIMEOUT_ERROR_TYPE, ErrorMessage: timeoutMessage(item.what, this.seconds) };
    const stored = this.#write(item, OperationAction.FAIL, { Error: error });
    if (cancelWaitId) this.#cancel(cancelWaitId);
    await stored;
    return { status: "TIMED_OUT", error: childError(error, item.what) };
  }

  #write<T>(item: DeadlineRun<T>, action: OperationUpdate["Action"], extra?: Partial<OperationUpdate>): Promise<void> {
    return this.batch.checkpoint(contextUpdate(this.batch, item.itemId, item.name, item.subType, action, extra));
  }

  /** A completed batch being rebuilt on replay writes nothing (its deadlines were settled). */
  freeze(): void {
    this.#frozen = true;
  }

  #cancel(waitId: string): void {
    if (this.#frozen) return;
    this.batch.checkpoint(waitUpdate(this.batch, waitId, OperationAction.CANCEL));
  }

  /** Forgets an item's deadline; returns its WAIT id if it still needs cancelling. */
  #disarm(index: number): string | undefined {
    const armed = this.#armed.get(index);
    if (!armed) return undefined;
    clearTimeout(armed.timer);
    this.#armed.delete(index);
    return armed.waitId;
  }

  #clearTimers(): void {
    for (const { timer } of this.#armed.values()) clearTimeout(timer);
  }
}

function waitUpdate(batch: ContextImpl, waitId: string, action: OperationUpdate["Action"]): OperationUpdate {
  return { Id: waitId, ParentId: batch.operationId, Name: ITEM_TIMEOUT_WAIT_NAME, Type: OperationType.WAIT, SubType: OperationSubType.WAIT, Action: action };
}

function timeoutMessage(what: string, seconds: number): string {
  return `${what} did not finish within its itemTimeout of ${seconds} s.`;
}
