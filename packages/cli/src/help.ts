// Help texts. Kept in one place so `cairn --help` and `cairn <command> --help` never drift.

export const COMMANDS = ["run", "resume", "inspect", "list", "callback"] as const;
export type CommandName = (typeof COMMANDS)[number];

const STORE = `  --store DIR          the file store holding executions (default: ./.cairn)`;

const CALLBACK_HELP = `Usage: cairn callback succeed|fail|heartbeat <callback-id> [options]

Answers a callback an execution waits for, as the external system would:
  succeed     completes it with --payload (JSON); the handler's await returns it
  fail        completes it with --error; the handler's await throws CallbackExternalError
  heartbeat   restarts its heartbeat timeout (for long work); the callback stays open

<callback-id> is the id the handler got from createCallback / waitForCallback; "cairn run" prints
it when the execution starts waiting, and "cairn inspect <execution-id>" lists it. A "cairn run"
or "cairn resume" waiting on the callback (in another terminal) carries on at once; otherwise
continue the execution with "cairn resume <execution-id>".

Options:
  --payload JSON       the result, as JSON (succeed only), e.g. --payload '{"approved":true}'
  --error JSON         the failure (fail only), e.g. --error '{"ErrorType":"Rejected","ErrorMessage":"over budget"}'
${STORE}
  -h, --help           show this help

Exits 2 for a malformed or unknown callback id, 1 when the callback (or its execution) has
already ended; nothing is changed then.
`;

export const MAIN_HELP = `cairn — run, resume and inspect durable executions on the embedded file store

Usage:
  cairn run <handler-file> [--input JSON] [--name NAME] [--export NAME] [--no-wait] [--store DIR]
  cairn resume <execution-id> [handler-file] [--export NAME] [--no-wait] [--store DIR]
  cairn inspect <execution-id> [--history] [--json] [--store DIR]
  cairn list [--json] [--store DIR]
  cairn callback succeed|fail|heartbeat <callback-id> [--payload JSON] [--error JSON] [--store DIR]

Commands:
  run       start an execution of a handler and drive it to completion in real time
  resume    continue an execution that was interrupted (Ctrl-C, kill, crash)
  inspect   show an execution's operation tree, result and (with --history) its events
  list      list the executions in a store
  callback  answer a callback an execution waits for (succeed, fail) or send it a heartbeat

Run "cairn <command> --help" for a command's options; "cairn --version" prints the version.

Exit codes:
  0  the execution SUCCEEDED (or the command worked)
  1  the execution FAILED, or something went wrong while running it
  2  usage error: bad arguments, missing file, invalid --input, unknown execution id
  3  the execution is waiting for an external event (a callback) and was left RUNNING (--no-wait)
  130  interrupted by Ctrl-C (SIGINT); 143 by SIGTERM — resumable with "cairn resume"
`;

export const COMMAND_HELP: Record<CommandName, string> = {
  run: `Usage: cairn run <handler-file> [options]

Starts an execution of a durable handler and drives it to completion in real time:
waits really wait (with a countdown), and each operation is printed as it completes.
Prints the execution id first; if the run is interrupted (Ctrl-C, kill, crash) continue it
with "cairn resume <execution-id>" — completed steps are not run again.
When the execution waits for a callback, the callback id and the "cairn callback" command that
answers it are printed, and the run waits: an answer sent from another process is picked up
within a second and the execution carries on.

<handler-file> is an ES module (.js/.mjs) exporting the function returned by
withDurableExecution(...) from @cairn/sdk, as "handler" or as the default export.

Options:
  --input JSON         the execution's input event, as JSON (e.g. --input '{"orderId":"ord-1001"}')
  --name NAME          execution name; running an existing name again continues that execution
  --export NAME        the module export holding the handler (default: handler, then default)
  --no-wait            when only a callback can move the execution on, stop (exit 3) instead of
                       waiting for "cairn callback" from another terminal
${STORE}
  -h, --help           show this help
`,
  resume: `Usage: cairn resume <execution-id> [handler-file] [options]

Continues a RUNNING execution from its checkpoints: operations already stored are replayed,
not re-run. Without <handler-file>, the handler recorded by "cairn run" is used.
Resuming a finished execution prints its operation tree and result.

<execution-id> is the id printed by "cairn run" (or its name, ARN, or a unique prefix of the id);
"cairn list" shows them.

Options:
  --export NAME        the module export holding the handler (default: the one recorded by run)
  --no-wait            when only a callback can move the execution on, stop (exit 3) instead of
                       waiting for "cairn callback" from another terminal
${STORE}
  -h, --help           show this help
`,
  inspect: `Usage: cairn inspect <execution-id> [options]

Prints an execution's status, operation tree (type/sub-type, name, status, attempt, duration),
its callbacks (id, status, and how to answer one still waiting) and result or error.

Options:
  --history            also print the history events (id, type, operation, name, time, details)
  --json               print machine-readable JSON instead of text
${STORE}
  -h, --help           show this help
`,
  callback: CALLBACK_HELP,
  list: `Usage: cairn list [options]

Lists the executions in the store, newest first: id, status, start time, duration, name.

Options:
  --json               print machine-readable JSON instead of text
${STORE}
  -h, --help           show this help
`,
};

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}
