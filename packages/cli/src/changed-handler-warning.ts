import type { LoadedHandler } from "./handler-loader.js";
import type { Output } from "./output.js";
import type { ExecutionSidecar } from "./store.js";
import { storeFlag } from "./store.js";

/**
 * Warns (on stderr; the resume goes on) when the handler file about to resume an execution is not
 * the one it started with. Says nothing when the record predates content hashes.
 */
export function warnIfHandlerChanged(
  out: Output,
  recorded: ExecutionSidecar | undefined,
  handler: LoadedHandler,
  shortId: string,
  directory: string,
): void {
  const startedWith = recorded?.handlerSha256;
  if (startedWith === undefined || startedWith === handler.contentSha256) return;
  const fixture = `${shortId}.history.json`;
  out.error(
    `${out.color.yellow("cairn: warning:")} ${handler.path} has changed since execution ${shortId} started ` +
      `(${recorded?.startedAt ?? "at an unknown time"}).\n` +
      "  The execution replays under the new code: each operation it already completed is matched, in order, " +
      "with what the code calls now, and the first one that differs (another type, sub-type or name) stops it " +
      "with NonDeterministicExecutionError: the execution stays RUNNING, blocked (exit 4), until code that " +
      "matches resumes it or \"cairn fail\" ends it (with --on-nondeterminism fail it FAILS instead).\n" +
      "  To check a change before resuming, export the execution's history and replay it against the new code " +
      "with replayHistory from @cairn/testing:\n" +
      `    cairn export ${shortId} --out ${fixture}${storeFlag(directory)}`,
  );
}
