import { readFileSync } from "node:fs";
import { callbackCommand } from "./commands/callback.js";
import { deleteCommand } from "./commands/delete.js";
import { devCommand } from "./commands/dev.js";
import { endExecutionCommand } from "./commands/end-execution.js";
import { exportCommand } from "./commands/export.js";
import { inspectCommand } from "./commands/inspect.js";
import { listCommand } from "./commands/list.js";
import { pruneCommand } from "./commands/prune.js";
import { resumeCommand } from "./commands/resume.js";
import { runCommand } from "./commands/run.js";
import { uiCommand } from "./commands/ui.js";
import { COMMAND_HELP, COMMANDS, MAIN_HELP, isCommand, type CommandName } from "./help.js";
import { Output } from "./output.js";
import { EXIT, UsageError } from "./usage-error.js";

const HANDLERS: Record<CommandName, (argv: readonly string[], out: Output) => Promise<number>> = {
  run: runCommand,
  dev: devCommand,
  resume: resumeCommand,
  inspect: inspectCommand,
  list: listCommand,
  callback: callbackCommand,
  stop: (argv, out) => endExecutionCommand("stop", argv, out),
  fail: (argv, out) => endExecutionCommand("fail", argv, out),
  export: exportCommand,
  delete: deleteCommand,
  prune: pruneCommand,
  ui: uiCommand,
};

/**
 * Runs the `cairn` command line — `run`, `dev`, `resume`, `inspect`, `list`, `callback`, `stop`, `fail`, `export`, `delete`, `prune`, `ui`, `help`,
 * `--version` — and returns the exit code (see {@link EXIT}) instead of exiting, so it can be
 * embedded in another tool or tested in-process. Errors are reported on `out` and turned into
 * exit codes: it does not throw (set `CAIRN_DEBUG` to also print their stacks).
 *
 * @param argv - the arguments after the program name, e.g. `process.argv.slice(2)`.
 * @param out - where to write; default the process's stdout and stderr.
 *
 * @example
 * ```ts
 * import { main } from "@cairn/cli";
 *
 * const code = await main(["run", "dist/handler.js", "--input", '{"orderId":"ord-1"}', "--store", ".cairn"]);
 * process.exitCode = code;
 * ```
 */
export async function main(argv: readonly string[], out: Output = Output.forProcess()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "--help" || first === "-h") {
      out.line(MAIN_HELP);
      return first === undefined ? EXIT.usage : 0;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`Unknown command "${topic}".`);
      out.line(topic === undefined ? MAIN_HELP : COMMAND_HELP[topic]);
      return 0;
    }
    if (first === "--version" || first === "-v") {
      out.line(version());
      return 0;
    }
    if (first.startsWith("-")) throw new UsageError(`Unknown option ${first}; options go after the command.`);
    if (!isCommand(first)) throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.join(", ")}.`);
    return await HANDLERS[first](rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`cairn: ${error.message}`);
      const command = error.command ?? (first !== undefined && isCommand(first) ? first : undefined);
      out.error(`Run "cairn ${command === undefined ? "" : `${command} `}--help" for usage.`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    out.error(`cairn: ${message}`);
    if (process.env.CAIRN_DEBUG && error instanceof Error && error.stack) out.error(error.stack);
    return EXIT.failed;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
