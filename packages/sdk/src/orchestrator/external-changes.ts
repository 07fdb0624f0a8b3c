import type { DurableLogRecord } from "../engine/invocation-environment.js";
import type { ChainedInvokeDispatcher } from "./chained-invokes.js";

/** What a {@link WaitForExternalChange} watcher receives. */
export interface ExternalChangeInfo {
  /** The execution to watch. */
  executionArn: string;
  /** Aborted when the run wakes for another reason (or stops): stop watching then. */
  signal: AbortSignal;
}

/**
 * Resolves once something outside the run may have changed the execution (a callback answered, a
 * wake-up requested), without letting time pass: the run may be sharing time with the targets of
 * its chained invokes, and only their loops and timers move it then.
 */
export type WaitForExternalChange = (info: ExternalChangeInfo) => Promise<void>;

/**
 * The wait of a run whose chained-invoke targets are running: until its next timer, a target
 * finishing, or — when `watch` is given — an external change, whichever comes first. Whatever
 * loses is cancelled, so no watcher or sleeper outlives the wait.
 */
export async function sleepWhileInvokesRun(
  invokes: ChainedInvokeDispatcher,
  options: {
    executionArn: string;
    until: Date | undefined;
    signal: AbortSignal | undefined;
    /** `invokes.completions` as read before the run looked at its timers. */
    seen: number;
    watch: WaitForExternalChange | undefined;
  },
): Promise<"timer" | "completed" | "external"> {
  const { watch, signal } = options;
  if (!watch) return invokes.sleep(options.until, signal, options.seen);
  const cancel = new AbortController();
  const both = signal ? AbortSignal.any([signal, cancel.signal]) : cancel.signal;
  const external = watch({ executionArn: options.executionArn, signal: cancel.signal }).then(() => "external" as const);
  // The losing sleep rejects once cancelled; only the run's own signal may surface as an error.
  const sleeping = invokes.sleep(options.until, both, options.seen).catch((error: unknown) => {
    if (signal?.aborted) throw error;
    return "external" as const;
  });
  try {
    return await Promise.race([sleeping, external]);
  } finally {
    cancel.abort();
    external.catch(() => undefined);
  }
}

/**
 * A chained invoke's target logs into its caller's sink, each line marked with the invoke that
 * started it; a line of a target's own target keeps the innermost mark.
 */
export function targetLogSink(
  sink: ((record: DurableLogRecord) => void) | undefined,
  functionName: string,
  invokedBy: { executionArn: string; operationId: string },
): ((record: DurableLogRecord) => void) | undefined {
  if (!sink) return undefined;
  const mark = { functionName, callerExecutionArn: invokedBy.executionArn, operationId: invokedBy.operationId };
  return (record) => sink(record.invokedAs ? record : { ...record, invokedAs: mark });
}
