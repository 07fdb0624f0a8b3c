// Replays a handler against a recorded execution without a store, a clock or any step body: the
// engine is handed the recorded operations as its checkpoint, and a hook sees every operation the
// handler reaches before the engine acts on it. The hook compares it with the recording and ends
// the invocation at the first difference, at the first operation past the recording, or at a step
// the recording shows in flight (replaying it would have to run its body).
import type { CheckpointBackend, DurableLambdaHandler, Operation } from "@cairn/sdk";
import { attachInvocationEnvironment, type ReplayedOperation } from "@cairn/sdk/backend";
import { readRecordedExecution, type RecordedExecution } from "./recorded-history.js";

/** What {@link replayHistory} takes. */
export interface ReplayHistoryParameters {
  /** The handler as the module exports it: the function `withDurableExecution` returned. */
  handler: DurableLambdaHandler;
  /**
   * The recorded execution: what `cairn inspect --json` or `cairn export` writes, a
   * GetDurableExecutionHistory output (`{ Events: [...] }`), an array of history events (the
   * checkpoint service's `getHistory`, `@cairn/dynamodb`'s client), or any of these as JSON text.
   */
  history: unknown;
}

/** An operation as recorded or as the handler now calls it. */
export interface ReplayOperationIdentity {
  /** The operation's type (STEP, WAIT, CONTEXT, CALLBACK, CHAINED_INVOKE). */
  type: string;
  /** Its sub-type (`Step`, `Wait`, `Map`, `WaitForCallback`, a custom one, ...). */
  subType: string | undefined;
  /** Its name; undefined when unnamed. */
  name: string | undefined;
}

/** The first place where the handler no longer does what the recording shows. */
export interface ReplayDivergence {
  /**
   * The operation's id: its position in the handler, `3` or `2-1` (the first operation inside
   * context `2`); the EXECUTION operation's id when the handler now fails where the recorded
   * execution went on or succeeded.
   */
  operationId: string;
  /** How many operations the handler had reached when it diverged, this one included (1-based). */
  position: number;
  /** What the recording holds at that position; undefined when it holds nothing there. */
  expected: ReplayOperationIdentity | undefined;
  /** What the handler now calls there; undefined when it no longer calls the recorded operation. */
  actual: ReplayOperationIdentity | undefined;
  /** The divergence in words, with what to do. */
  message: string;
}

/** Where a replay stopped before the handler settled, without a divergence. */
export interface ReplayStop {
  /** The operation it stopped at. */
  operationId: string;
  /**
   * `past-recording`: the handler called an operation past the end of a still-running recording,
   * where the new code carries on. `in-flight`: the recording shows this step started with no
   * outcome; going on would run its body.
   */
  reason: "past-recording" | "in-flight";
}

/** How a replay ended. */
export type ReplayHistoryResult =
  | {
      /** The handler calls the recorded operations, in the recorded order. */
      ok: true;
      /** How many recorded operations the handler reached and matched. */
      replayedOperations: number;
      /**
       * Where the replay stopped before the handler settled: at an operation past the end of a
       * still-running recording (new code may add operations there), or at a step the recording
       * shows in flight. Undefined when the handler settled or suspended on its own.
       */
      stoppedAt?: ReplayStop | undefined;
    }
  | {
      /** The handler diverged from the recording. */
      ok: false;
      /** How many recorded operations it reached and matched before diverging. */
      replayedOperations: number;
      /** The first divergence. */
      divergence: ReplayDivergence;
    };

const REPLAY_ARN = "arn:cairn:replay:history";

/**
 * Replays `handler` against a recorded execution, in-process, without running any step body: a
 * recorded operation returns what the recording holds. Reports the first operation where the
 * handler calls something other than what was recorded (type, sub-type or name differ, or it no
 * longer calls a recorded operation), or success. An operation past the end of the recording is a
 * divergence only when the recording shows the execution ended; for a running execution it is
 * where the new code carries on, and the replay stops there successfully.
 *
 * @example
 * ```ts
 * import { replayHistory } from "@cairn/testing";
 * import { handler } from "../src/order-workflow.js";
 * import recorded from "./histories/order-1.json";
 *
 * const result = await replayHistory({ handler, history: recorded });
 * expect(result).toMatchObject({ ok: true });
 * ```
 */
export async function replayHistory(params: ReplayHistoryParameters): Promise<ReplayHistoryResult> {
  if (typeof params?.handler !== "function") {
    throw new TypeError("replayHistory: `handler` must be the function withDurableExecution returned.");
  }
  return replayRecorded(params.handler, readRecordedExecution(params.history));
}

/** Replays an already-read recording (see {@link replayHistory}). */
export async function replayRecorded(handler: DurableLambdaHandler, recording: RecordedExecution): Promise<ReplayHistoryResult> {
  const replay = new ReplayWatch(recording);
  const input = attachInvocationEnvironment(
    {
      DurableExecutionArn: REPLAY_ARN,
      CheckpointToken: "replay",
      InitialExecutionState: { Operations: recording.operations },
    },
    {
      backend: recordingBackend,
      logSink: () => undefined,
      onReplayOperation: (reached, recorded) => replay.reached(reached, recorded),
    },
  );
  const output = await handler(input, {});
  if (replay.divergence) return { ok: false, replayedOperations: replay.matched, divergence: replay.divergence };
  if (output.Status === "FAILED" && output.Error?.ErrorType === "NonDeterministicExecutionError") {
    // Found by the engine itself (e.g. a map completed over a different number of items).
    const message = output.Error.ErrorMessage ?? "replay mismatch";
    const found = /\(id ([\d-]+)\)|operation ([\d-]+)/.exec(message);
    const operationId = found?.[1] ?? found?.[2] ?? "unknown";
    const recorded = recording.operations.find((op) => op.Id === operationId);
    return {
      ok: false,
      replayedOperations: replay.matched,
      divergence: { operationId, position: replay.position, expected: recorded && identityOf(recorded), actual: undefined, message },
    };
  }
  if (replay.stoppedAt) return { ok: true, replayedOperations: replay.matched, stoppedAt: replay.stoppedAt };
  if (output.Status === "FAILED" && (recording.status === "RUNNING" || recording.status === "SUCCEEDED")) {
    // The old code went on (or succeeded) from the same recorded results; the new code throws.
    const error = output.Error;
    const operationId = recording.operations.find((op) => op.Type === "EXECUTION")?.Id ?? "execution";
    return {
      ok: false,
      replayedOperations: replay.matched,
      divergence: {
        operationId,
        position: replay.position,
        expected: undefined,
        actual: undefined,
        message:
          `the recorded execution is ${recording.status}, but the handler now fails after ${replay.matched} replayed ` +
          `operation(s) with ${error?.ErrorType ?? "an error"}: ${error?.ErrorMessage ?? "(no message)"}. ` +
          "Check that the new code reads the results the old code recorded (their shape may have changed).",
      },
    };
  }
  const missing = replay.firstUnreached(output.Status === "PENDING" ? "suspended" : "returned");
  if (missing) return { ok: false, replayedOperations: replay.matched, divergence: missing };
  return { ok: true, replayedOperations: replay.matched };
}

/**
 * The backend of a replay: nothing reaches it but the odd update of a recorded operation (a step
 * interrupted at most once fails without running); it keeps nothing.
 */
const recordingBackend: CheckpointBackend = {
  getExecutionState: () => Promise.reject(new Error("a replay holds the whole recording in its first page")),
  checkpoint: (request) => Promise.resolve({ CheckpointToken: request.CheckpointToken ?? "replay" }),
};

/** Compares each operation the handler reaches with the recording. */
class ReplayWatch {
  matched = 0;
  position = 0;
  divergence: ReplayDivergence | undefined;
  stoppedAt: ReplayStop | undefined;
  readonly #reached = new Set<string>();

  constructor(private readonly recording: RecordedExecution) {}

  /** The hook: true lets the engine go on with this operation. */
  reached(reached: ReplayedOperation, recorded: Omit<Operation, "StartTimestamp"> | undefined): boolean {
    this.position++;
    const actual = { type: reached.type, subType: reached.subType, name: reached.name };
    if (!recorded) {
      if (!this.recording.ended) {
        this.stoppedAt = { operationId: reached.id, reason: "past-recording" };
        return false;
      }
      this.#diverge(
        reached.id,
        undefined,
        actual,
        `the recorded execution ended, but the handler now calls ${describe(actual)} at operation ${reached.id}: ` +
          "code that runs for executions already in flight must not add operations before the end of what they recorded.",
      );
      return false;
    }
    const expected = identityOf(recorded);
    if (expected.type !== actual.type || (expected.subType ?? "") !== actual.subType || expected.name !== actual.name) {
      this.#diverge(
        reached.id,
        expected,
        actual,
        `operation ${reached.id} was recorded as ${describe(expected)} but the handler now calls ${describe(actual)}. ` +
          "Executions started by the old code would fail on replay here: keep the old operations in order, " +
          "or branch on a version carried in the execution's input.",
      );
      return false;
    }
    this.matched++;
    this.#reached.add(reached.id);
    // A step whose outcome is not recorded would run its body (or a condition check) next.
    if (recorded.Type === "STEP" && (recorded.Status === "STARTED" || recorded.Status === "READY")) {
      this.stoppedAt = { operationId: reached.id, reason: "in-flight" };
      return false;
    }
    return true;
  }

  #diverge(operationId: string, expected: ReplayOperationIdentity | undefined, actual: ReplayOperationIdentity | undefined, message: string): void {
    this.divergence = { operationId, position: this.position, expected, actual, message };
  }

  /**
   * After the handler settled or suspended on its own: the first recorded operation it should
   * have reached and did not (its parent ran this time, or it is at the top level). Children of a
   * context whose recorded result was returned whole are not replayed, so they are not expected.
   */
  firstUnreached(how: "suspended" | "returned"): ReplayDivergence | undefined {
    const byId = new Map(this.recording.operations.map((op) => [op.Id, op]));
    for (const op of this.recording.operations) {
      if (op.Type === "EXECUTION" || this.#reached.has(op.Id) || op.Id.startsWith("_")) continue;
      const parent = op.ParentId === undefined ? undefined : byId.get(op.ParentId);
      const parentRan =
        parent === undefined ||
        parent.Type === "EXECUTION" ||
        (this.#reached.has(parent.Id) && parent.Status !== "SUCCEEDED" && parent.Status !== "FAILED");
      if (!parentRan) continue;
      const expected = identityOf(op);
      return {
        operationId: op.Id,
        position: this.position + 1,
        expected,
        actual: undefined,
        message:
          `operation ${op.Id} was recorded as ${describe(expected)} but the handler no longer calls it ` +
          `(it ${how} without reaching it).`,
      };
    }
    return undefined;
  }
}

function identityOf(op: Omit<Operation, "StartTimestamp">): ReplayOperationIdentity {
  return { type: op.Type, subType: op.SubType, name: op.Name ?? undefined };
}

function describe(op: ReplayOperationIdentity): string {
  const kind = op.subType ? `${op.type}/${op.subType}` : op.type;
  return `${kind} ${op.name === undefined ? "(unnamed)" : JSON.stringify(op.name)}`;
}
