import type { CallbackCompletionResult } from "@cairn/sdk/service";
import type { ErrorObject, Operation, OperationStatus, OperationType } from "@cairn/sdk";
import { toTestResultError, type ExecutionSnapshot, type TestResultError } from "./execution-snapshot.js";
import { asHistoryEvents, type HistoryEvent } from "./history-event.js";

/** What a CONTEXT operation (a child context, a map, a parallel, a waitForCallback) produced. */
export interface ContextDetails<TResult = unknown> {
  /** The context's result, decoded as the handler reads it; undefined unless it SUCCEEDED. */
  readonly result: TResult | undefined;
  /** Why the context FAILED (e.g. a ChildContextError; see getErrorCause for what caused it). */
  readonly error: TestResultError | undefined;
}

/** A STEP operation's attempts and outcome. */
export interface StepDetails<TResult = unknown> {
  /** Attempts completed so far, as checkpointed. */
  readonly attempt: number | undefined;
  /** When the next attempt is due, while the step waits to retry (status PENDING). */
  readonly nextAttemptTimestamp: Date | undefined;
  /** The step's result, decoded with the step's serdes as replay would read it. */
  readonly result: TResult | undefined;
  /** The error of the last failed attempt: kept while the step retries, and once it has FAILED. */
  readonly error: TestResultError | undefined;
}

/** A CALLBACK operation's id and outcome. */
export interface CallbackDetails<TResult = unknown> {
  /** The id an outside sender completes the callback with (what `ctx.createCallback` returned). */
  readonly callbackId: string;
  /** The failure the sender gave, or the timeout; absent unless the callback failed or timed out. */
  readonly error?: TestResultError;
  /** The result the sender gave, decoded as the handler reads it; absent until it succeeded. */
  readonly result?: TResult;
}

/** A CHAINED_INVOKE operation's outcome (the invoked function's result or error). */
export interface ChainedInvokeDetails<TResult = unknown> {
  /** The invoked function's error; absent unless the invoke failed, timed out or was stopped. */
  readonly error?: TestResultError;
  /** The invoked function's result; absent until the invoke succeeded. */
  readonly result?: TResult;
}

/** A WAIT operation's duration and when it is (or was) due to end. */
export interface WaitResultDetails {
  /** The wait's duration in seconds, as the handler asked for it. */
  readonly waitSeconds?: number;
  /** When the wait is (or was) due to end: its start plus `waitSeconds`, on the run's clock. */
  readonly scheduledEndTimestamp?: Date;
}

/** What `waitForData` waits for. */
export enum WaitingOperationStatus {
  /** The operation exists (its START was stored). */
  STARTED = "STARTED",
  /** As COMPLETED, except for a waitForCallback: its submitter step has completed. */
  SUBMITTED = "SUBMITTED",
  /** The operation reached SUCCEEDED, FAILED, CANCELLED, STOPPED or TIMED_OUT. */
  COMPLETED = "COMPLETED",
}

/**
 * One operation of an execution, looked up by name, index or id. A handle taken from the runner
 * before `run` is filled in as the run stores checkpoints; until then its getters return undefined.
 * A handle from a finished {@link TestResult} reads that result only, and cannot send callbacks.
 *
 * The `get*Details` getters check the operation's type: asking a STEP for its wait details
 * throws, so a test that looks at the wrong operation fails where it looks.
 *
 * @typeParam TResult - the operation's result; `any` by default, as in the AWS testing library.
 *
 * @example
 * ```ts
 * const charge = runner.getOperation("charge-card");
 * const result = await runner.run({ payload });
 * expect(charge.getStatus()).toBe(OperationStatus.SUCCEEDED);
 * expect(charge.getStepDetails()?.attempt).toBe(1);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
export interface DurableOperation<TResult = any> {
  /** Resolves once the operation has reached `status` (default STARTED); rejects if the run ends first. */
  waitForData(status?: WaitingOperationStatus): Promise<DurableOperation<TResult>>;
  /**
   * Result or error of a CONTEXT operation (child context, map, parallel, one of their items, a
   * waitForCallback). Undefined before the operation exists.
   * @throws Error when the operation is not a CONTEXT.
   */
  getContextDetails(): ContextDetails<TResult> | undefined;
  /**
   * Attempts, result and error of a STEP (also of a waitForCondition check, which is a step).
   * Undefined before the operation exists.
   * @throws Error when the operation is not a STEP.
   */
  getStepDetails(): StepDetails<TResult> | undefined;
  /**
   * Result or error of a CHAINED_INVOKE (`ctx.invoke`). Undefined before the operation exists.
   * @throws Error when the operation is not a CHAINED_INVOKE.
   */
  getChainedInvokeDetails(): ChainedInvokeDetails<TResult> | undefined;
  /**
   * Id, result or error of a CALLBACK; on a waitForCallback, of the callback inside it.
   * Undefined before the operation exists.
   * @throws Error when the operation is neither a callback nor a waitForCallback with a callback.
   */
  getCallbackDetails(): CallbackDetails<TResult> | undefined;
  /**
   * Duration and end of a WAIT. Undefined before the operation exists.
   * @throws Error when the operation is not a WAIT.
   */
  getWaitDetails(): WaitResultDetails | undefined;
  /**
   * The operations started directly inside this one (a child context's operations, a map's items,
   * a parallel's branches), in execution order; undefined before the operation exists.
   */
  getChildOperations(): DurableOperation[] | undefined;
  /** The operation as the checkpoint service stores it (wire shape: `Id`, `Status`, `StepDetails`, …). */
  getOperationData(): Operation | undefined;
  /** The history events of this operation. */
  getEvents(): HistoryEvent[] | undefined;
  /** The operation's positional id, e.g. `"2-1"` for the first operation inside operation 2. */
  getId(): string | undefined;
  /** The id of the context it ran in; undefined at the top level of the handler. */
  getParentId(): string | undefined;
  /** The name the handler gave it; undefined for unnamed operations. */
  getName(): string | undefined;
  /** STEP, WAIT, CONTEXT, CALLBACK or CHAINED_INVOKE. */
  getType(): OperationType | undefined;
  /** What made it, within its type: e.g. `Step`, `Map`, `MapIteration`, `Parallel`, `WaitForCallback`. */
  getSubType(): string | undefined;
  /** Whether it is a `ctx.waitForCallback` (a CONTEXT holding a submitter step and a callback). */
  isWaitForCallback(): boolean;
  /** Whether it is a CALLBACK operation (`ctx.createCallback`, or the callback of a waitForCallback). */
  isCallback(): boolean;
  /** Its status now: STARTED, PENDING (a step waiting to retry), SUCCEEDED, FAILED, … */
  getStatus(): OperationStatus | undefined;
  /** When its START was stored, on the run's clock (virtual under skipTime). */
  getStartTimestamp(): Date | undefined;
  /** When it ended, on the run's clock; undefined while it runs. */
  getEndTimestamp(): Date | undefined;
  /**
   * Completes this callback (or the callback of this waitForCallback) with a result: the text the
   * handler's deserializer reads (the raw string by default). The waiting run is invoked again
   * at once. Rejects when the callback has not started, already completed, or the run ended.
   */
  sendCallbackSuccess(result?: string): Promise<CallbackCompletionResult>;
  /** Completes the callback with a failure; the handler sees a CallbackExternalError. */
  sendCallbackFailure(error?: ErrorObject): Promise<CallbackCompletionResult>;
  /** Restarts the callback's heartbeat timeout. */
  sendCallbackHeartbeat(): Promise<CallbackCompletionResult>;
}

export type CallbackSend =
  | { kind: "success"; payload?: string | undefined }
  | { kind: "failure"; error?: ErrorObject | undefined }
  | { kind: "heartbeat" };

export type OperationSelector =
  | { kind: "id"; id: string }
  | { kind: "name"; name: string; index: number }
  | { kind: "index"; index: number };

/** Where handles read their data: the latest snapshot of the runner or of one result. */
export interface OperationSource {
  snapshot(): ExecutionSnapshot;
  /** Resolves when `ready` holds for a snapshot; rejects if the run ends without it. */
  waitUntil(ready: (snapshot: ExecutionSnapshot) => boolean, what: string): Promise<void>;
  /** Sends to the run's service; absent where no run can receive it (a finished result). */
  sendCallback?(callbackId: string, completion: CallbackSend): Promise<CallbackCompletionResult>;
}

const COMPLETED_STATUSES: ReadonlySet<string> = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "STOPPED", "TIMED_OUT"]);

export function describeSelector(selector: OperationSelector): string {
  switch (selector.kind) {
    case "id":
      return `operation with id "${selector.id}"`;
    case "name":
      return `operation "${selector.name}" (occurrence ${selector.index})`;
    case "index":
      return `operation at index ${selector.index}`;
  }
}

export function select(snapshot: ExecutionSnapshot, selector: OperationSelector): Operation | undefined {
  switch (selector.kind) {
    case "id":
      return snapshot.byId(selector.id);
    case "name":
      return snapshot.byName(selector.name, selector.index);
    case "index":
      return snapshot.byIndex(selector.index);
  }
}

function reached(snapshot: ExecutionSnapshot, op: Operation | undefined, status: WaitingOperationStatus): boolean {
  if (op === undefined) return false;
  switch (status) {
    case WaitingOperationStatus.STARTED:
      return true;
    case WaitingOperationStatus.COMPLETED:
      return COMPLETED_STATUSES.has(op.Status);
    case WaitingOperationStatus.SUBMITTED:
      if (COMPLETED_STATUSES.has(op.Status)) return true;
      return (
        op.SubType === "WaitForCallback" &&
        snapshot.childrenOf(op.Id).some((child) => child.Type === "STEP" && COMPLETED_STATUSES.has(child.Status))
      );
  }
}

export class OperationHandle<TResult = unknown> implements DurableOperation<TResult> {
  constructor(
    private readonly source: OperationSource,
    private readonly selector: OperationSelector,
  ) {}

  private data(): Operation | undefined {
    return select(this.source.snapshot(), this.selector);
  }

  private expectType(op: Operation, type: OperationType, method: string): void {
    if (op.Type !== type) {
      throw new Error(`${method}: ${describeSelector(this.selector)} is a ${op.Type} operation, not ${type}`);
    }
  }

  private result(op: Operation): TResult | undefined {
    return this.source.snapshot().resultOf(op.Id)?.value as TResult | undefined;
  }

  async waitForData(status: WaitingOperationStatus = WaitingOperationStatus.STARTED): Promise<DurableOperation<TResult>> {
    await this.source.waitUntil(
      (snapshot) => reached(snapshot, select(snapshot, this.selector), status),
      `${describeSelector(this.selector)} to reach ${status}`,
    );
    return this;
  }

  getContextDetails(): ContextDetails<TResult> | undefined {
    const op = this.data();
    if (!op) return undefined;
    this.expectType(op, "CONTEXT", "getContextDetails");
    return { result: this.result(op), error: toTestResultError(op.ContextDetails?.Error) };
  }

  getStepDetails(): StepDetails<TResult> | undefined {
    const op = this.data();
    if (!op) return undefined;
    this.expectType(op, "STEP", "getStepDetails");
    const details = op.StepDetails;
    return {
      attempt: details?.Attempt,
      nextAttemptTimestamp: details?.NextAttemptTimestamp,
      result: this.result(op),
      error: toTestResultError(details?.Error),
    };
  }

  getChainedInvokeDetails(): ChainedInvokeDetails<TResult> | undefined {
    const op = this.data();
    if (!op) return undefined;
    this.expectType(op, "CHAINED_INVOKE", "getChainedInvokeDetails");
    const error = toTestResultError(op.ChainedInvokeDetails?.Error);
    const result = this.result(op);
    return { ...(error ? { error } : {}), ...(result !== undefined ? { result } : {}) };
  }

  getCallbackDetails(): CallbackDetails<TResult> | undefined {
    const op = this.data();
    if (!op) return undefined;
    // A waitForCallback is a context around the callback: report the callback inside it.
    const callback = op.Type === "CONTEXT" ? this.source.snapshot().childrenOf(op.Id).find((c) => c.Type === "CALLBACK") : op;
    if (!callback || callback.Type !== "CALLBACK") {
      throw new Error(`getCallbackDetails: ${describeSelector(this.selector)} is not a callback operation`);
    }
    const error = toTestResultError(callback.CallbackDetails?.Error, "external");
    const result = this.result(callback);
    return {
      callbackId: callback.CallbackDetails?.CallbackId ?? "",
      ...(error ? { error } : {}),
      ...(result !== undefined ? { result } : {}),
    };
  }

  getWaitDetails(): WaitResultDetails | undefined {
    const op = this.data();
    if (!op) return undefined;
    this.expectType(op, "WAIT", "getWaitDetails");
    const started = this.source
      .snapshot()
      .eventsOf(op.Id)
      .find((e) => e.EventType === "WaitStarted");
    const waitSeconds = started?.WaitStartedDetails?.Duration;
    const scheduledEndTimestamp = op.WaitDetails?.ScheduledEndTimestamp ?? started?.WaitStartedDetails?.ScheduledEndTimestamp;
    return {
      ...(waitSeconds !== undefined ? { waitSeconds } : {}),
      ...(scheduledEndTimestamp !== undefined ? { scheduledEndTimestamp } : {}),
    };
  }

  getChildOperations(): DurableOperation[] | undefined {
    const op = this.data();
    if (!op) return undefined;
    return this.source
      .snapshot()
      .childrenOf(op.Id)
      .map((child) => new OperationHandle(this.source, { kind: "id", id: child.Id }));
  }

  getOperationData(): Operation | undefined {
    return this.data();
  }

  getEvents(): HistoryEvent[] | undefined {
    const op = this.data();
    return op ? asHistoryEvents([...this.source.snapshot().eventsOf(op.Id)]) : undefined;
  }

  getId(): string | undefined {
    return this.data()?.Id;
  }

  getParentId(): string | undefined {
    return this.data()?.ParentId;
  }

  getName(): string | undefined {
    return this.data()?.Name;
  }

  getType(): OperationType | undefined {
    return this.data()?.Type;
  }

  getSubType(): string | undefined {
    return this.data()?.SubType;
  }

  isWaitForCallback(): boolean {
    const op = this.data();
    return op?.Type === "CONTEXT" && op.SubType === "WaitForCallback";
  }

  isCallback(): boolean {
    return this.data()?.Type === "CALLBACK";
  }

  getStatus(): OperationStatus | undefined {
    return this.data()?.Status;
  }

  getStartTimestamp(): Date | undefined {
    return this.data()?.StartTimestamp;
  }

  getEndTimestamp(): Date | undefined {
    return this.data()?.EndTimestamp;
  }

  sendCallbackSuccess(result?: string): Promise<CallbackCompletionResult> {
    return this.sendCallback("sendCallbackSuccess", { kind: "success", payload: result });
  }

  sendCallbackFailure(error?: ErrorObject): Promise<CallbackCompletionResult> {
    // No error is sent as an empty one, as the AWS runner does: the callback records `Error: {}`.
    return this.sendCallback("sendCallbackFailure", { kind: "failure", error: error ?? {} });
  }

  sendCallbackHeartbeat(): Promise<CallbackCompletionResult> {
    return this.sendCallback("sendCallbackHeartbeat", { kind: "heartbeat" });
  }

  private async sendCallback(method: string, completion: CallbackSend): Promise<CallbackCompletionResult> {
    const { source } = this;
    if (!source.sendCallback) {
      throw new Error(`${method}: this handle belongs to a finished run's result; take handles from the runner to send callbacks.`);
    }
    const op = this.data();
    if (!op) {
      throw new Error(
        `${method}: ${describeSelector(this.selector)} has not started yet; await waitForData(WaitingOperationStatus.STARTED) first.`,
      );
    }
    const callback = op.Type === "CONTEXT" ? source.snapshot().childrenOf(op.Id).find((c) => c.Type === "CALLBACK") : op;
    if (!callback || callback.Type !== "CALLBACK") {
      throw new Error(
        `${method}: ${describeSelector(this.selector)} is a ${op.Type}${op.SubType ? `/${op.SubType}` : ""} operation, ` +
          "not a callback or a waitForCallback" + (op.SubType === "WaitForCallback" ? " whose callback has started" : ""),
      );
    }
    const callbackId = callback.CallbackDetails?.CallbackId;
    if (!callbackId) throw new Error(`${method}: ${describeSelector(this.selector)} has no callback id yet.`);
    return source.sendCallback(callbackId, completion);
  }
}
