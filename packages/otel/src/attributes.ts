// Attribute names of the spans the plugin emits. Namespaced under `cairn.` as OpenTelemetry's
// naming conventions ask of attributes that are not part of a semantic convention.

/** The durable execution's ARN; on every span. */
export const ATTR_CAIRN_EXECUTION_ARN = "cairn.execution.arn";
/** The invocation's request id; on invocation spans. */
export const ATTR_CAIRN_INVOCATION_REQUEST_ID = "cairn.invocation.request_id";
/** Whether no operation had been checkpointed before this invocation; on invocation spans. */
export const ATTR_CAIRN_INVOCATION_FIRST = "cairn.invocation.first";
/** How the invocation ended: SUCCEEDED, FAILED, PENDING (suspended) or RETRYING; on invocation spans. */
export const ATTR_CAIRN_INVOCATION_STATUS = "cairn.invocation.status";
/** How many operations were already finished when the invocation started (they replay, and are not emitted again). */
export const ATTR_CAIRN_REPLAYED_OPERATIONS = "cairn.replayed_operations";
/** The operation's id (`"2-1"`); on operation and attempt spans. */
export const ATTR_CAIRN_OPERATION_ID = "cairn.operation.id";
/** STEP, WAIT, CONTEXT, CALLBACK or CHAINED_INVOKE; on operation and attempt spans. */
export const ATTR_CAIRN_OPERATION_TYPE = "cairn.operation.type";
/** Step, Wait, Map, MapIteration, Parallel, ParallelBranch, RunInChildContext, WaitForCallback, …; on operation and attempt spans. */
export const ATTR_CAIRN_OPERATION_SUBTYPE = "cairn.operation.subtype";
/** The name given to the operation in the handler, when it has one. */
export const ATTR_CAIRN_OPERATION_NAME = "cairn.operation.name";
/** The operation's terminal status: SUCCEEDED, FAILED, TIMED_OUT, STOPPED or CANCELLED. */
export const ATTR_CAIRN_OPERATION_STATUS = "cairn.operation.status";
/** The id of the enclosing operation (a child context, branch or item), when there is one. */
export const ATTR_CAIRN_OPERATION_PARENT_ID = "cairn.operation.parent_id";
/** On a step span: how many attempts ran; on an attempt span: its 1-based attempt number. */
export const ATTR_CAIRN_STEP_ATTEMPT = "cairn.step.attempt";
/** On an attempt span: SUCCEEDED or FAILED. */
export const ATTR_CAIRN_STEP_ATTEMPT_OUTCOME = "cairn.step.attempt.outcome";
/** On a failed attempt span that is retried: the delay before the next attempt, in seconds. */
export const ATTR_CAIRN_STEP_RETRY_DELAY = "cairn.step.retry_delay_seconds";
