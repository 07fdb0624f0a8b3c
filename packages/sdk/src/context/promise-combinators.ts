import { errorFromObject, PromiseCombinatorError } from "../errors/durable-errors.js";
import { toErrorObject } from "../errors/error-object.js";
import { ValidationError } from "../errors/validation-error.js";
import { never } from "../engine/invocation-engine.js";
import { OperationSubType, OperationType, type ErrorObject } from "../protocol/wire.js";
import { deserializeValue, serializeValue } from "../serdes/default-serdes.js";
import { DurablePromise } from "../types/durable-promise.js";
import type { DurablePromiseCombinators } from "../types/promise-combinators.js";
import type { Serdes } from "../types/serdes.js";
import { executeChild } from "./child-context-operation.js";
import type { ContextImpl } from "./durable-context-impl.js";

type Kind = "all" | "allSettled" | "any" | "race";
type Inputs = PromiseLike<unknown>[];

const COMBINE: Record<Kind, (promises: Inputs) => Promise<unknown>> = {
  all: (p) => Promise.all(p),
  allSettled: (p) => Promise.allSettled(p),
  any: (p) => Promise.any(p),
  race: (p) => Promise.race(p),
};

/**
 * `ctx.promise`. Each combinator runs as a child context (the AWS SDK's wire shape: CONTEXT /
 * RunInChildContext) whose function awaits the inputs, so its result is checkpointed and replays
 * identically. Its id is taken when it is called, like every other operation's.
 */
export function createPromiseCombinators(ctx: ContextImpl): DurablePromiseCombinators {
  const make =
    (kind: Kind) =>
    (a: string | undefined | Inputs, b?: Inputs): DurablePromise<never> => {
      const settles = start(ctx, kind, a, b) as Promise<never>;
      const durable = new DurablePromise(settles);
      ctx.unawaited?.track(`promise.${kind}`, a, durable, settles);
      return durable;
    };
  return { all: make("all"), allSettled: make("allSettled"), any: make("any"), race: make("race") } as DurablePromiseCombinators;
}

function start(ctx: ContextImpl, kind: Kind, a: string | undefined | Inputs, b: Inputs | undefined): Promise<unknown> {
  try {
    return ctx.engine.ended || ctx.misused(`promise.${kind}`, a) ? never() : run(ctx, kind, a, b);
  } catch (error) {
    return Promise.reject(error);
  }
}

async function run(ctx: ContextImpl, kind: Kind, a: string | undefined | Inputs, b: Inputs | undefined): Promise<unknown> {
  const [name, promises] = Array.isArray(a) ? [undefined, a] : [a, b];
  const what = `promise.${kind}${name === undefined ? "" : ` "${String(name)}"`}`;
  if (name !== undefined && typeof name !== "string") {
    throw new ValidationError(`${what}: the name must be a string, got ${typeof name}.`);
  }
  if (!Array.isArray(promises)) {
    throw new ValidationError(
      `${what}: pass an array of durable promises, e.g. ctx.promise.${kind}([ctx.wait(...), ctx.step(...)]); got ${typeof promises}.`,
    );
  }
  const engine = ctx.engine;
  const id = ctx.nextId();
  const subType = OperationSubType.RUN_IN_CHILD_CONTEXT;
  const existing = engine.replayCheck({ id, type: OperationType.CONTEXT, subType, name });
  if (engine.ended) return never();
  const inputs = [...promises];
  const outcome = await executeChild<unknown>({
    owner: ctx,
    id,
    name,
    subType,
    fn: () => COMBINE[kind](inputs),
    serdes: kind === "allSettled" ? (settledSerdes as Serdes<unknown>) : engine.defaultSerdes,
    abort: ctx.abort,
    existing,
  });
  if (outcome.status === "FAILED") throw new PromiseCombinatorError(outcome.error.message, outcome.error.cause, outcome.error.errorData);
  return outcome.value;
}

type StoredSettled = { status: "fulfilled"; value: unknown } | { status: "rejected"; reason: ErrorObject };

/**
 * Rejection reasons are stored as error objects and handed back as plain errors, as the AWS SDK
 * does: an `Error` with the reason's message, name and stack (so `JSON.stringify` of a settled
 * array gives `{ name }` for each reason on both SDKs, and a ported test comparing it passes).
 */
const settledSerdes: Serdes<PromiseSettledResult<unknown>[]> = {
  serialize: async (results) =>
    serializeValue(
      results?.map((r): StoredSettled => (r.status === "fulfilled" ? r : { status: "rejected", reason: toErrorObject(r.reason) })),
    ),
  deserialize: async (data) =>
    deserializeValue<StoredSettled[]>(data)?.map(
      (r): PromiseSettledResult<unknown> => (r.status === "fulfilled" ? r : { status: "rejected", reason: plainError(r.reason) }),
    ),
};

function plainError(object: ErrorObject): Error {
  const rebuilt = errorFromObject(object);
  const error = new Error(rebuilt.message);
  error.name = rebuilt.name;
  error.stack = rebuilt.stack;
  return error;
}
