/**
 * `@cairn/sdk/backend`: the seam between the replay engine and whatever stores its checkpoints,
 * for people writing a checkpoint backend (the AWS Lambda one in `@cairn/aws-lambda`, a remote
 * service) or a runner that invokes handlers: the backend interface, the invocation's input and
 * output shapes, the per-invocation environment a runner attaches, the error and duration
 * conversions they share with the engine, how a bad option value is shown in an error message,
 * and a map with bounded concurrency.
 *
 * Client side only: like `@cairn/sdk`, it loads nothing of the service or the stores.
 *
 * @packageDocumentation
 */
export {
  attachInvocationEnvironment,
  invocationEnvironmentOf,
  type InvocationEnvironment,
  type DurableLogRecord,
  type ReplayedOperation,
  type ReplayMismatch,
} from "./engine/invocation-environment.js";
export { writeDefaultLogLine } from "./context/default-log-line.js";
export { toErrorObject } from "./errors/error-object.js";
export { shownValue } from "./errors/shown-value.js";
export { errorFromObject } from "./errors/durable-errors.js";
export { durationSeconds, wholeSeconds } from "./types/duration.js";
export { mapAtMost } from "./types/at-most.js";
export type { Duration } from "./types/duration.js";
export type { DurableLogLevel } from "./types/logger.js";
export type { ServiceClock } from "./engine/service-waits.js";
// The checkpoint protocol's types, which these signatures use (its values are in `@cairn/sdk`).
export type * from "./protocol/index.js";
