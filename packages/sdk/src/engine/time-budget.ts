import type { InvocationEngine } from "./invocation-engine.js";
import type { InvocationEnvironment } from "./invocation-environment.js";
import { ValidationError } from "../errors/validation-error.js";
import { OperationAction, OperationSubType, OperationType, type Operation, type OperationUpdate } from "../protocol/wire.js";

/** Default `yieldMarginMs`: stop starting work when less than this is left of the invocation. */
export const DEFAULT_YIELD_MARGIN_MS = 10_000;

/**
 * The margin never exceeds this share of the time the invocation began with, so a function with a
 * short timeout (say 3 s) still spends most of each invocation working instead of yielding at once.
 */
const MAX_MARGIN_SHARE = 0.25;

/**
 * Id prefix of the WAIT an invocation checkpoints when it yields with no orchestrator in-process to
 * re-invoke it (on AWS Lambda): a one-second timer is what makes the service invoke again. Outside
 * the positional id space (which is digits and dashes), so replay never asks for it.
 */
export const YIELD_MARKER_PREFIX = "_cairn-yield-";
export const YIELD_MARKER_NAME = "cairn:yield-before-timeout";

export function isYieldMarker(op: Pick<Operation, "Id">): boolean {
  return op.Id.startsWith(YIELD_MARKER_PREFIX);
}

/** The marker WAIT for the `n`th yield of an execution (n counts earlier markers, so replay is stable). */
export function yieldMarkerUpdate(n: number): OperationUpdate {
  return {
    Id: `${YIELD_MARKER_PREFIX}${n}`,
    Name: YIELD_MARKER_NAME,
    Type: OperationType.WAIT,
    SubType: OperationSubType.WAIT,
    Action: OperationAction.START,
    WaitOptions: { WaitSeconds: 1 },
  };
}

/**
 * Yield before the timeout: watches the invocation's remaining time and, once it falls under the
 * margin, tells operations not to start new work. Running step bodies finish and their results are
 * checkpointed; the invocation then ends PENDING through the ordinary suspension rule and the next
 * invocation replays and carries on.
 */
export class TimeBudget {
  readonly marginMs: number;
  #yielded = false;

  /**
   * @param remaining the invocation's remaining milliseconds (Lambda's getRemainingTimeInMillis)
   * @param onFirstYield called once, when the first operation is held back
   */
  constructor(
    private readonly remaining: () => number,
    marginMs: number,
    private readonly onFirstYield: () => void,
  ) {
    const initial = remaining();
    this.marginMs = Number.isFinite(initial) ? Math.min(marginMs, initial * MAX_MARGIN_SHARE) : marginMs;
  }

  /** Whether an operation was held back in this invocation. */
  get yielded(): boolean {
    return this.#yielded;
  }

  /**
   * True when new work must not start (the caller then blocks instead). Once true it stays true
   * for the rest of the invocation, so no operation starts after another was held back.
   */
  exhausted(): boolean {
    if (this.#yielded) return true;
    if (this.remaining() >= this.marginMs) return false;
    this.#yielded = true;
    this.onFirstYield();
    return true;
  }
}

/** A budget for this invocation, or undefined when the context cannot tell the remaining time or yielding is off. */
export function timeBudgetOf(
  lambdaContext: { getRemainingTimeInMillis?: () => number },
  marginMs: number | undefined,
  onFirstYield: () => void,
): TimeBudget | undefined {
  const margin = marginMs ?? DEFAULT_YIELD_MARGIN_MS;
  const remaining = lambdaContext.getRemainingTimeInMillis;
  if (margin <= 0 || typeof remaining !== "function") return undefined;
  return new TimeBudget(() => remaining.call(lambdaContext), margin, onFirstYield);
}

/** Checks the config value: a non-negative number of milliseconds (0 turns yielding off). */
export function validYieldMargin(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(
      `withDurableExecution: yieldMarginMs must be a non-negative number of milliseconds (0 turns yielding off), got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Gives the engine its time budget for this invocation. On the first yield an in-process
 * orchestrator is told to re-invoke at once; elsewhere a marker wait is checkpointed, whose timer
 * makes the service invoke again a second later. Either way the invocation ends PENDING.
 */
export function installTimeBudget(
  engine: InvocationEngine,
  lambdaContext: { getRemainingTimeInMillis?: () => number },
  marginMs: number | undefined,
  environment: InvocationEnvironment | undefined,
): void {
  engine.timeBudget = timeBudgetOf(lambdaContext, marginMs, () => {
    if (environment?.onYield) environment.onYield();
    // A failed write ends the invocation through the batcher; nothing to handle here.
    else void engine.checkpoint(yieldMarkerUpdate(engine.yieldMarkers + 1));
  });
}
