import { existsSync, statSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { driveExecution } from "../drive.js";
import { watchFiles, type FileWatch } from "../file-watcher.js";
import { loadHandler, type LoadedHandler } from "../handler-loader.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";
import { parseInput } from "./run.js";

const OUTCOMES: Record<number, string> = {
  [EXIT.succeeded]: "succeeded",
  [EXIT.failed]: "failed",
  [EXIT.waiting]: "waiting for a callback",
  [EXIT.interrupted]: "interrupted",
  [EXIT.terminated]: "interrupted",
};

/**
 * `cairn dev <handler>`: runs the handler as `cairn run` does (a new execution each time, with the
 * same input), then again each time the handler or a module it imports changes, until Ctrl-C.
 * A handler that does not load (a compile error, a missing export) is reported and dev waits for
 * the next change. Exits 0 on Ctrl-C.
 */
export async function devCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("dev", argv, {
    input: { type: "string" },
    store: { type: "string" },
    export: { type: "string" },
    "no-wait": { type: "boolean" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.dev);
    return 0;
  }
  expectPositionals("dev", parsed, { required: ["<handler-file>"] });
  let input: string | undefined;
  try {
    input = parseInput(stringOption(parsed, "input"));
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(error.message, "dev") : error;
  }
  const path = resolve(parsed.positionals[0] as string);
  // Only a file that is not there at all ends dev at once; any later problem waits for a fix.
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`Handler file not found: ${path}`, "dev");
  const directory = storeDirectory(stringOption(parsed, "store"));
  const exportName = stringOption(parsed, "export");
  const noWait = flag(parsed, "no-wait");

  let stopping = false;
  let wake: () => void = () => undefined;
  let run: AbortController | undefined;
  let pendingChange: string | undefined;
  let watching: FileWatch | undefined;
  let watched: string[] = [path];
  const arm = (files: readonly string[]): void => {
    watching?.close();
    watching = watchFiles(files, (changed) => {
      pendingChange = changed;
      run?.abort();
      wake();
    });
  };
  const onSigint = (): void => {
    stopping = true;
    wake();
  };
  process.on("SIGINT", onSigint);
  try {
    arm(watched);
    for (let round = 1; !stopping; round++) {
      const reason = pendingChange === undefined ? "" : ` — ${relative(process.cwd(), pendingChange) || pendingChange} changed`;
      pendingChange = undefined;
      out.line(out.color.dim(`──── cairn dev: run ${round}${reason} ────`));
      let handler: LoadedHandler;
      try {
        handler = await loadHandler(path, exportName, process.cwd(), { compile: true });
        watched = handler.sourceFiles;
        arm(watched);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        out.error(`cairn: ${message}`);
        out.line(out.color.red("cairn dev: the handler did not load") + waitingNote(watched));
        await nextChange();
        continue;
      }
      if (pendingChange === undefined && !stopping) {
        run = new AbortController();
        let code: number;
        try {
          ({ code } = await driveExecution({
            out,
            directory,
            handler,
            target: { start: { input } },
            noWait,
            signal: run.signal,
          }));
        } catch (error) {
          // Whatever went wrong with this run (the store, say), the next change deserves a try.
          out.error(`cairn: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
          code = EXIT.failed;
        } finally {
          run = undefined;
        }
        const outcome = pendingChange !== undefined ? "stopped: a file changed" : (OUTCOMES[code] ?? "ended");
        const color = code === EXIT.succeeded ? out.color.green : code === EXIT.failed ? out.color.red : out.color.yellow;
        out.line(color(`cairn dev: ${outcome} (exit ${code})`) + (stopping ? "" : waitingNote(watched)));
      }
      await nextChange();
    }
  } finally {
    process.off("SIGINT", onSigint);
    watching?.close();
  }
  return EXIT.succeeded;

  /** Resolves at the next change of a watched file, or on Ctrl-C; at once if one is pending. */
  function nextChange(): Promise<void> {
    if (stopping || pendingChange !== undefined) return Promise.resolve();
    return new Promise((resolveWait) => {
      wake = () => {
        wake = () => undefined;
        resolveWait();
      };
    });
  }
}

function waitingNote(files: readonly string[]): string {
  const names = files.length === 1 ? basename(files[0] as string) : `${files.length} files`;
  return ` — watching ${names} for changes (Ctrl-C to stop)`;
}
