import { InvokeError, errorFromObject } from "../errors/durable-errors.js";
import type { CheckpointedOperation } from "../engine/checkpointed-operations.js";
import { ValidationError } from "../errors/validation-error.js";
import { never } from "../engine/invocation-engine.js";
import { OperationAction, OperationStatus, OperationSubType, OperationType, type ErrorObject } from "../protocol/wire.js";
import { jsonSerdes } from "../serdes/default-serdes.js";
import type { InvokeConfig } from "../types/invoke.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";
import type { ContextImpl } from "./durable-context-impl.js";
import { operationEnded, operationReplayed, operationStarted } from "./operation-hooks.js";
import { describeOperation, deserializePayload, fitsInline, serializePayload } from "./payloads.js";

// ctx.invoke is a CHAINED_INVOKE operation: START records the target and its input; whoever runs
// the execution (the orchestrator) runs the target and completes the operation from outside, so
// the handler only ever starts it, blocks, and on a later invocation reads the outcome.

/** Arguments as the caller passed them, before the overloads are told apart. */
export interface InvokeCall<I, O> {
  name: string | undefined;
  funcId: unknown;
  input: I | undefined;
  config: InvokeConfig<I, O> | undefined;
}

/**
 * Tells `invoke(name, funcId, input?, config?)` from `invoke(funcId, input?, config?)` the way
 * the AWS SDK does: a string second argument means the first is the name. So a string input
 * needs the named form.
 */
export function parseInvokeArguments<I, O>(a: unknown, b: unknown, c: unknown, d: unknown): InvokeCall<I, O> {
  if (typeof b === "string") {
    return { name: a as string | undefined, funcId: b, input: c as I | undefined, config: d as InvokeConfig<I, O> | undefined };
  }
  return { name: undefined, funcId: a, input: b as I | undefined, config: c as InvokeConfig<I, O> | undefined };
}

/** Checks the call before an id is taken or anything is written. */
export function validateInvoke<I, O>(call: InvokeCall<I, O>): asserts call is InvokeCall<I, O> & { funcId: string } {
  const what = `invoke${call.name === undefined ? "" : ` "${call.name}"`}`;
  if (typeof call.funcId !== "string" || call.funcId.trim().length === 0) {
    throw new ValidationError(`${what}: the function id must be a non-empty string (a function name or ARN), got ${JSON.stringify(call.funcId)}.`);
  }
  const config = call.config;
  if (config === undefined) return;
  if (typeof config !== "object" || config === null) {
    throw new ValidationError(`${what}: config must be an object { payloadSerdes?, resultSerdes?, tenantId? }.`);
  }
  if (config.tenantId !== undefined && (typeof config.tenantId !== "string" || config.tenantId.length === 0)) {
    throw new ValidationError(`${what}: config.tenantId must be a non-empty string when given.`);
  }
  for (const field of ["payloadSerdes", "resultSerdes"] as const) {
    const serdes = config[field] as Partial<Serdes<unknown>> | undefined;
    if (serdes !== undefined && (typeof serdes?.serialize !== "function" || typeof serdes.deserialize !== "function")) {
      throw new ValidationError(`${what}: config.${field} must have serialize and deserialize functions.`);
    }
  }
}

export async function runInvoke<I, O>(ctx: ContextImpl, call: InvokeCall<I, O> & { funcId: string }): Promise<O> {
  const engine = ctx.engine;
  const { name, funcId, input } = call;
  const config = call.config ?? {};
  const id = ctx.nextId();
  const existing = engine.replayCheck({ id, type: OperationType.CHAINED_INVOKE, subType: OperationSubType.CHAINED_INVOKE, name });
  if (engine.ended) return never();
  const what = describeOperation("invoke", id, name);
  const serdesContext: SerdesContext = { entityId: id, durableExecutionArn: engine.executionArn };
  const identity = { id, name, type: OperationType.CHAINED_INVOKE, subType: OperationSubType.CHAINED_INVOKE, parentId: ctx.operationId };

  if (existing) {
    // The target's outcome is stored from outside; the first invocation that finds it reports the end.
    if (engine.plugins) await operationReplayed(engine, identity, existing);
    const details = existing.ChainedInvokeDetails;
    switch (existing.Status) {
      case OperationStatus.SUCCEEDED:
        return deserializePayload((config.resultSerdes ?? jsonSerdes) as Serdes<O>, details?.Result, serdesContext, what) as Promise<O>;
      case OperationStatus.FAILED:
      case OperationStatus.TIMED_OUT:
      case OperationStatus.STOPPED:
        throw invokeError(details?.Error, existing.Status, funcId);
      default:
        // Started in an earlier invocation and still running: never start the target twice.
        return invokeOutcome(await engine.block(id));
    }
  }
  if (ctx.closed) return never();

  const payload = await serializePayload((config.payloadSerdes ?? jsonSerdes) as Serdes<I>, input as I, serdesContext, what);
  if (!fitsInline(payload)) {
    throw new RangeError(
      `The input of ${what} is larger than the 256 KiB a checkpoint holds; pass a reference (e.g. an object key) instead of the data.`,
    );
  }
  // Near the timeout the target is not started; the next invocation starts it. (Bad input above
  // still fails here, not one invocation later.)
  if (engine.timeBudget?.exhausted()) return engine.block();
  await ctx.checkpoint({
    Id: id,
    ParentId: ctx.operationId,
    Name: name,
    Type: OperationType.CHAINED_INVOKE,
    SubType: OperationSubType.CHAINED_INVOKE,
    Action: OperationAction.START,
    ...(payload === undefined ? {} : { Payload: payload }),
    ChainedInvokeOptions: { FunctionName: funcId, ...(config.tenantId === undefined ? {} : { TenantId: config.tenantId }) },
  });
  if (engine.plugins) await operationStarted(engine, identity);
  // The target's outcome comes from outside: in this invocation if a step body keeps it alive.
  return invokeOutcome(await engine.block(id));

  async function invokeOutcome(op: CheckpointedOperation): Promise<O> {
    if (engine.plugins) await operationEnded(engine, identity);
    const details = op.ChainedInvokeDetails;
    if (op.Status === OperationStatus.SUCCEEDED) {
      return deserializePayload((config.resultSerdes ?? jsonSerdes) as Serdes<O>, details?.Result, serdesContext, what) as Promise<O>;
    }
    throw invokeError(details?.Error, op.Status, funcId);
  }
}

const DEFAULT_MESSAGES: Partial<Record<string, string>> = {
  FAILED: "failed",
  TIMED_OUT: "timed out",
  STOPPED: "was stopped",
};

/** The handler-facing error of a finished invoke: the target's message and data, its error as cause. */
function invokeError(error: ErrorObject | undefined, status: string, funcId: string): InvokeError {
  const message = error?.ErrorMessage ?? `The invoked function "${funcId}" ${DEFAULT_MESSAGES[status] ?? status}`;
  return new InvokeError(message, error === undefined ? undefined : errorFromObject(error), error?.ErrorData);
}
