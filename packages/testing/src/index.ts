export {
  LocalDurableTestRunner,
  type InvokeRequest,
  type LocalDurableTestRunnerParameters,
  type LocalDurableTestRunnerSetupParameters,
} from "./local-durable-test-runner.js";
export type { Invocation, TestResult } from "./test-result.js";
export type { DurableTestRunner } from "./durable-test-runner.js";
export {
  CloudDurableTestRunner,
  type CloudDurableTestRunnerConfig,
  type CloudDurableTestRunnerParameters,
} from "./cloud-durable-test-runner.js";
export { InvocationType } from "./invocation-type.js";
export type {
  HistoryEvent,
  EventPayloadDetails,
  EventErrorDetails,
  EventResultDetails,
  EventFailureDetails,
  EmptyEventDetails,
} from "./history-event.js";
export type { WireOperation, WireTimestamp } from "@cairn/sdk";
export type { TestResultError } from "./execution-snapshot.js";
export { getErrorCause } from "./execution-snapshot.js";
export {
  WaitingOperationStatus,
  type CallbackDetails,
  type ChainedInvokeDetails,
  type ContextDetails,
  type DurableOperation,
  type StepDetails,
  type WaitResultDetails,
} from "./durable-operation.js";
export {
  createFaultInjector,
  type CheckpointFaultInfo,
  type CrashPredicate,
  type FaultInjector,
  type FaultPlan,
} from "./fault-injection.js";
export { formatOperationTable, type PrintConfig } from "./print-operations.js";
export { OperationStatus, OperationType } from "@cairn/sdk";
export { ExecutionStatus } from "./execution-status.js";
export type { Operation } from "@cairn/sdk";
export { cairnMatchers, type CairnMatchers, type MatcherContext, type MatcherResult } from "./matchers.js";
export {
  replayHistory,
  type ReplayHistoryParameters,
  type ReplayHistoryResult,
  type ReplayDivergence,
  type ReplayOperationIdentity,
  type ReplayStop,
} from "./replay-history.js";
export {
  replayHistoryDirectory,
  expectHistoriesReplay,
  type ReplayHistoryDirectoryParameters,
  type ReplayedHistoryFile,
} from "./replay-history-directory.js";
