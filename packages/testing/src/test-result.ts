import type { DurableLogRecord } from "@cairn/sdk/backend";
import type { ExecutionStatus, ExecutionSummary } from "@cairn/sdk/service";
import type { OperationStatus } from "@cairn/sdk";
import type { OrchestrationState } from "@cairn/sdk/orchestrator";
import { OperationHandle, type DurableOperation, type OperationSource } from "./durable-operation.js";
import { toTestResultError, type ExecutionSnapshot, type TestResultError } from "./execution-snapshot.js";
import { asHistoryEvents, type HistoryEvent } from "./history-event.js";
import { formatOperationTable, type PrintConfig } from "./print-operations.js";

/** One handler invocation, from its InvocationCompleted history event. */
export interface Invocation {
  /** When the invocation began, on the run's clock (virtual under skipTime). */
  startTimestamp: Date | undefined;
  /** When it ended: returned, suspended, or crashed. */
  endTimestamp: Date | undefined;
  /** The request id the handler saw as `context.awsRequestId`. */
  requestId: string | undefined;
  /**
   * How the invocation failed: the error that failed the execution (the handler threw), or e.g.
   * `Runtime.ExitError` for a crash the fault plan injected; undefined when it returned or suspended.
   */
  error: TestResultError | undefined;
}

/**
 * What one run of a durable execution produced: its status, result or error, every operation,
 * every invocation and the history, as the AWS testing library's `TestResult` reports them.
 * It is a snapshot taken when the run ended: reading it never changes with later runs.
 *
 * @example
 * ```ts
 * const result = await runner.run({ payload: { orderId: "o-1" } });
 * expect(result.getStatus()).toBe(ExecutionStatus.FAILED);
 * expect(result.getError()).toMatchObject({ errorType: "StepError" });
 * expect(result.getOperations({ status: OperationStatus.FAILED })).toHaveLength(1);
 * result.print({ startTime: false, endTime: false });
 * ```
 *
 * @typeParam TResult - the handler's result; `any` by default, as in the AWS testing library,
 *   so that ported tests reading into `getResult()` compile unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS testing library's default, kept for ported tests
export interface TestResult<TResult = any> {
  /** Every operation of the execution (the EXECUTION operation excepted), optionally only those in `status`. */
  getOperations(params?: { status: OperationStatus }): DurableOperation[];
  /** One entry per handler invocation, from the history's InvocationCompleted events. */
  getInvocations(): Invocation[];
  /** The execution's status when the run ended. */
  getStatus(): ExecutionStatus;
  /** The handler's JSON result; throws the execution's error unless it SUCCEEDED. */
  getResult(): TResult | undefined;
  /** The execution's error; throws if it SUCCEEDED. */
  getError(): TestResultError;
  /** The execution's history, typed as `Event` of `@aws-sdk/client-lambda` (see HistoryEvent). */
  getHistoryEvents(): HistoryEvent[];
  /** Prints the operation tree as a table to the console. */
  print(config?: PrintConfig): void;

  // Cairn additions.
  /** The ARN of the execution this result describes. */
  getExecutionArn(): string;
  /** Every structured log line the handler emitted (crashed invocations' lines up to the crash). */
  getLogs(): DurableLogRecord[];
  /** How many crashes the run's fault plan injected. */
  getInjectedCrashCount(): number;
  /**
   * `waiting` when the execution is still RUNNING, suspended on an external event; `blocked` when
   * its replay diverged and the runner's `onNondeterminism` is `"block"`.
   */
  getOrchestrationState(): OrchestrationState;
}

/** What a runner knows about a finished run, from which {@link createTestResult} builds its result. */
export interface TestResultData {
  execution: ExecutionSummary;
  snapshot: ExecutionSnapshot;
  logs: readonly DurableLogRecord[];
  injectedCrashes: number;
  state: OrchestrationState;
}

/** The result of a run, reading the snapshot taken when it ended. */
export function createTestResult<TResult>(data: TestResultData): TestResult<TResult> {
  const { execution, snapshot } = data;
  const source: OperationSource = {
    snapshot: () => snapshot,
    async waitUntil(ready, what) {
      if (!ready(snapshot)) throw new Error(`The execution ended without ${what}`);
    },
  };
  const errorOf = (): TestResultError =>
    toTestResultError(execution.error) ??
    blockedError(execution) ?? {
      errorMessage:
        execution.status === "RUNNING"
          ? `The execution is still RUNNING (${data.state}): it did not finish`
          : `The execution ended ${execution.status} without an error`,
      errorType: undefined,
      errorData: undefined,
      stackTrace: undefined,
    };

  return {
    getOperations(params) {
      const ops = params ? snapshot.operations.filter((op) => op.Status === params.status) : snapshot.operations;
      return ops.map((op) => new OperationHandle(source, { kind: "id", id: op.Id }));
    },
    getInvocations() {
      return snapshot.events
        .filter((event) => event.EventType === "InvocationCompleted")
        .map((event) => {
          const details = event.InvocationCompletedDetails;
          return {
            startTimestamp: details?.StartTimestamp,
            endTimestamp: details?.EndTimestamp,
            requestId: details?.RequestId,
            error: toTestResultError(details?.Error?.Payload),
          };
        });
    },
    getStatus: () => execution.status,
    getResult() {
      if (execution.status !== "SUCCEEDED") {
        const details = errorOf();
        const error = new Error(details.errorMessage ?? `Execution ${execution.status}`);
        if (details.errorType) error.name = details.errorType;
        if (details.stackTrace) error.stack = [`${error.name}: ${error.message}`, ...details.stackTrace].join("\n");
        throw error;
      }
      if (execution.result === undefined) return undefined;
      try {
        return JSON.parse(execution.result) as TResult;
      } catch {
        return execution.result as TResult;
      }
    },
    getError() {
      if (execution.status === "SUCCEEDED") throw new Error("Cannot get the error of a SUCCEEDED execution");
      return errorOf();
    },
    getHistoryEvents: () => asHistoryEvents([...snapshot.events]),
    print(config) {
      console.log(formatOperationTable(snapshot.operations, config));
    },
    getExecutionArn: () => execution.executionArn,
    getLogs: () => [...data.logs],
    getInjectedCrashCount: () => data.injectedCrashes,
    getOrchestrationState: () => data.state,
  };
}

/** A blocked execution has no error of its own: report the replay mismatch that blocked it. */
function blockedError(execution: ExecutionSummary): TestResultError | undefined {
  if (execution.status !== "RUNNING" || execution.blocked === undefined) return undefined;
  return {
    errorMessage: execution.blocked.message,
    errorType: "NonDeterministicExecutionError",
    errorData: undefined,
    stackTrace: undefined,
  };
}
