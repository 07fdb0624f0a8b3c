import { errorFromObject } from "../errors/durable-errors.js";
import { InvocationStatus, type DurableExecutionInvocationOutput } from "../protocol/invocation.js";
import { OperationType } from "../protocol/wire.js";
import { PluginInvocationStatus, type InvocationEndInfo, type InvocationInfo } from "../types/plugin.js";
import type { CheckpointedOperation } from "./checkpointed-operations.js";
import type { InvocationEngine } from "./invocation-engine.js";
import { infoOfOperation, operationMap, withLazyOperations } from "./operation-info.js";
import type { PluginRunner } from "./plugin-runner.js";

/**
 * Runs one invocation between the plugins' invocation-start and invocation-end hooks, inside
 * their `wrapInvocation`. The end hook sees the outcome the invocation returns (RETRYING when it
 * throws: the orchestrator runs it again) and is awaited before the invocation returns, after every
 * other hook of the invocation has settled.
 */
export async function runWithPlugins(
  plugins: PluginRunner,
  engine: InvocationEngine,
  event: unknown,
  run: () => Promise<DurableExecutionInvocationOutput>,
): Promise<DurableExecutionInvocationOutput> {
  // The state as this invocation received it, before its own checkpoints change it.
  const initial: CheckpointedOperation[] = [...engine.operations.values()];
  const start = invocationInfo(engine, event, initial);
  await plugins.invocationStart(start);
  let output: DurableExecutionInvocationOutput | undefined;
  let thrown: unknown;
  let failed = false;
  try {
    output = await plugins.wrapInvocation(start, run);
  } catch (error) {
    failed = true;
    thrown = error;
  }
  await plugins.idle();
  const initialIds = new Set(initial.map((op) => op.Id));
  await plugins.invocationEnd(endInfo(engine, start, initialIds, output, failed ? thrown : undefined));
  if (failed) throw thrown;
  return output as DurableExecutionInvocationOutput;
}

function invocationInfo(engine: InvocationEngine, event: unknown, initial: CheckpointedOperation[]): InvocationInfo {
  const updatedOperations: InvocationInfo["updatedOperations"] = {};
  for (const id of engine.updatedOperationIds) {
    const op = engine.operations.get(id);
    if (op && op.Type !== OperationType.EXECUTION) updatedOperations[id] = infoOfOperation(op, false);
  }
  const info = withLazyOperations(
    {
      requestId: engine.requestId ?? "",
      executionArn: engine.executionArn,
      executionInput: event,
      isFirstInvocation: initial.every((op) => op.Type === OperationType.EXECUTION),
      updatedOperations,
    },
    () => operationMap(initial, (op) => !engine.updatedOperationIds.has(op.Id)),
  ) as InvocationInfo;
  const started = engine.executionOperation?.StartTimestamp;
  if (started) info.executionStartTimestamp = new Date(started);
  return info;
}

function endInfo(
  engine: InvocationEngine,
  start: InvocationInfo,
  initialIds: ReadonlySet<string>,
  output: DurableExecutionInvocationOutput | undefined,
  thrown: unknown,
): InvocationEndInfo {
  const info = withLazyOperations(
    {
      requestId: start.requestId,
      executionArn: start.executionArn,
      executionInput: start.executionInput,
      isFirstInvocation: start.isFirstInvocation,
      status: statusOf(output),
    },
    // An operation this invocation found checkpointed is a replayed one.
    () => operationMap(engine.operations.values(), (op) => initialIds.has(op.Id)),
  ) as InvocationEndInfo;
  if (start.executionStartTimestamp) info.executionStartTimestamp = start.executionStartTimestamp;
  if (output?.Status === InvocationStatus.SUCCEEDED && output.Result !== undefined) info.executionResult = parse(output.Result);
  if (output?.Status === InvocationStatus.FAILED) info.executionError = errorFromObject(output.Error);
  if (output === undefined) info.executionError = thrown instanceof Error ? thrown : new Error(String(thrown));
  return info;
}

function statusOf(output: DurableExecutionInvocationOutput | undefined): InvocationEndInfo["status"] {
  if (output === undefined) return PluginInvocationStatus.RETRYING;
  switch (output.Status) {
    case InvocationStatus.SUCCEEDED:
      return PluginInvocationStatus.SUCCEEDED;
    case InvocationStatus.FAILED:
      return PluginInvocationStatus.FAILED;
    default:
      return PluginInvocationStatus.PENDING;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
