/**
 * `@cairn/sdk/orchestrator`: driving an execution through its invocations — start it, invoke the
 * handler, sleep until a timer is due (in real or skipped time), dispatch chained invokes, stop
 * when it settles or is blocked. The local test runner, the CLI and the DynamoDB workers are built
 * on it.
 *
 * Node only; a handler never imports it.
 *
 * @packageDocumentation
 */
export { VirtualClock, systemClock, toOrchestratorClock, type OrchestratorClock } from "../service/clock.js";
export type { Clock } from "../service/service-api.js";
export type { DurableLogRecord } from "../engine/invocation-environment.js";
export {
  invokeOnce,
  DEFAULT_CRASH_ERROR,
  type BackendWrapper,
  type DurableInvocationHandler,
  type InvocationControl,
  type InvocationRecord,
  type InvokeOptions,
} from "./invocation.js";
export {
  runExecution,
  DEFAULT_MAX_INVOCATIONS,
  DEFAULT_MAX_INVOCATIONS_WITHOUT_PROGRESS,
  type ExecutionTarget,
  type OrchestrationResult,
  type OrchestrationState,
  type RunExecutionOptions,
  type WaitingInfo,
} from "./run-execution.js";
export { InvocationLimitError, NoProgressError } from "./orchestrator-errors.js";
export {
  ChainedInvokeDispatcher,
  type ChainedFunction,
  type ChainedFunctionRegistry,
} from "./chained-invokes.js";
export { SharedVirtualTime, TimeMember, SKIPS_TIME } from "./shared-virtual-time.js";
export type { ExternalChangeInfo, WaitForExternalChange } from "./external-changes.js";
// Types the orchestrator's signatures use, from the layers below.
export type { RunTarget, TargetRun } from "./chained-invokes.js";
export type {
  CallbackCompletionResult,
  DurableExecutionService,
  ExecutionStatus,
  ExecutionSummary,
  InvocationOutcome,
  InvocationTicket,
  StartExecutionParams,
  BlockingMismatch,
  ExecutionBlock,
  NondeterminismPolicy,
} from "../service/service-api.js";
export type { ChainedInvokeOutcome, PendingChainedInvoke } from "../service/chained-invokes.js";
export type { LambdaContextLike } from "../types/context.js";
// The checkpoint protocol's types, which these signatures use (its values are in `@cairn/sdk`).
export type * from "../protocol/index.js";
