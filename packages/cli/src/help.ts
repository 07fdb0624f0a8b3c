// Help texts. Kept in one place so `cairn --help` and `cairn <command> --help` never drift.

export const COMMANDS = ["run", "dev", "resume", "inspect", "list", "callback", "stop", "fail", "export", "delete", "prune", "ui"] as const;
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

const EXPORT_HELP = `Usage: cairn export <execution-id> [options]

Writes the execution's history file: the JSON "cairn inspect --json --history" prints — its
summary (id, ARN, name, status, input, result or error), its operations as checkpointed, and its
history events, in order. A replay test reads it to check new handler code against what really
happened: export a few real executions, commit them as fixtures, replay them in CI.

Options:
  --out FILE           write to FILE (replaced if it exists) instead of stdout
${STORE}
  -h, --help           show this help

Exits 2 for an unknown execution id or an --out path in a missing directory.
`;

const DELETE_HELP = `Usage: cairn delete <execution-id> [options]

Removes an ended execution (SUCCEEDED, FAILED, TIMED_OUT or STOPPED) from the store: its log, its
name (free to be used again) and the CLI's record of its handler. A RUNNING execution is refused;
end it first with "cairn stop" or "cairn fail".

Options:
${STORE}
  -h, --help           show this help

Exits 0 once removed; 1 for a RUNNING execution (nothing is changed); 2 for an unknown id.
`;

const PRUNE_HELP = `Usage: cairn prune --older-than AGE [options]

Removes the executions that ended more than AGE ago, printing each one it removes. RUNNING
executions are never removed, whatever the filters.

Options:
  --older-than AGE     required: a whole number and a unit s, m, h, d or w, e.g. 7d, 12h, 30m;
                       the age counts from the execution's end
  --status STATUS      only executions with this status: SUCCEEDED, FAILED, TIMED_OUT or STOPPED
                       (any case; several separated by commas); default: every ended one
  --name TEXT          only executions whose name contains TEXT (case-sensitive substring)
  --dry-run            print what would be removed, and remove nothing
${STORE}
  -h, --help           show this help

Exits 0 (also when nothing matched); 2 for a missing or malformed flag value.
`;

const UI_HELP = `Usage: cairn ui [options]

Serves a web view of the store on 127.0.0.1 (loopback only) until Ctrl-C: the executions (live
while any runs), and for each its operation tree, a timeline of its operations, attempts, waits
and invocations, each operation's input, result, error and history, and forms that answer the
callbacks it waits for. Prints "cairn ui: <url>" first. Every asset ships with the CLI; the page
fetches nothing from the network.

Options:
  --port N             the port to listen on (default 4300; 0 picks any free port)
  --open               also open the page in the default browser
${STORE}
  --table NAME         show a DynamoDB table instead (the one @cairn/dynamodb's workers run from);
                       needs @cairn/dynamodb installed next to the CLI (npm i @cairn/dynamodb).
                       Credentials and region come from the AWS SDK's usual chain (AWS_PROFILE,
                       AWS_REGION, environment variables, instance roles)
  --endpoint URL       with --table: another DynamoDB endpoint, e.g. http://127.0.0.1:8000 (Local)
  --region REGION      with --table: the AWS region, overriding the SDK's
  -h, --help           show this help

Exits 0 when stopped with Ctrl-C or SIGTERM; 1 when the port is taken or the table cannot be read
(missing, no access, unreachable); 2 for bad flags, no store at --store, or --table without
@cairn/dynamodb installed.
`;

export const MAIN_HELP = `cairn — run, resume and inspect durable executions on the embedded file store

Usage:
  cairn run <handler-file> [--input JSON] [--name NAME] [--export NAME] [--no-wait] [--json] [--store DIR]
  cairn dev <handler-file> [--input JSON] [--export NAME] [--no-wait] [--store DIR]
  cairn resume <execution-id> [handler-file] [--export NAME] [--no-wait] [--store DIR]
  cairn inspect <execution-id> [--history] [--json] [--html FILE] [--store DIR]
  cairn list [--status STATUS] [--name TEXT] [--json] [--store DIR]
  cairn callback succeed|fail|heartbeat <callback-id> [--payload JSON] [--error JSON] [--store DIR]
  cairn stop <execution-id> [--error-message TEXT] [--error-type NAME] [--store DIR]
  cairn fail <execution-id> [--error-message TEXT] [--error-type NAME] [--store DIR]
  cairn export <execution-id> [--out FILE] [--store DIR]
  cairn delete <execution-id> [--store DIR]
  cairn prune --older-than AGE [--status STATUS] [--name TEXT] [--dry-run] [--store DIR]
  cairn ui [--port N] [--open] [--store DIR | --table NAME [--endpoint URL] [--region REGION]]

Commands:
  run       start an execution of a handler and drive it to completion in real time
  dev       run a handler, and run it again each time it (or a module it imports) changes
  resume    continue an execution that was interrupted (Ctrl-C, kill, crash)
  inspect   show an execution's operation tree, result and (with --history) its events
  list      list the executions in a store
  callback  answer a callback an execution waits for (succeed, fail) or send it a heartbeat
  stop      end a RUNNING execution as STOPPED
  fail      end a RUNNING execution as FAILED, on purpose (e.g. one you give up on)
  export    write an execution's history file (operations and events), e.g. as a replay-test fixture
  delete    remove an ended execution from the store
  prune     remove the executions that ended more than some time ago (never a RUNNING one)
  ui        serve a web view of the store on 127.0.0.1: executions, timelines, callback answers

Run "cairn <command> --help" for a command's options; "cairn --version" prints the version.

Exit codes (every command):
  0    the execution SUCCEEDED, or the command did what it was asked (stop, fail, export, delete,
       prune, list, ...)
  1    the execution FAILED, TIMED_OUT or was STOPPED; or the command could not do it: the
       execution (or callback) has already ended, delete of a RUNNING execution, the handler
       module could not be loaded, an unexpected error
  2    usage error: bad arguments or flag values, missing file, invalid JSON, unknown execution id,
       no store at --store
  3    run/resume: the execution waits for an external event (a callback) and was left RUNNING
  4    run/resume: the execution is blocked: its replay diverged from its checkpoints (the handler
       changed); it stays RUNNING — deploy fixed or reverted code and "cairn resume", or
       "cairn fail" it
  130  run/resume: interrupted by Ctrl-C (SIGINT); 143 by SIGTERM — resumable with "cairn resume"
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

<handler-file> is a JavaScript (.js, .mjs, .cjs) or TypeScript (.ts, .mts, .cts, .tsx) module
exporting the function returned by withDurableExecution(...) from @cairn/sdk, as "handler" or as
the default export. A TypeScript file is compiled on the fly with esbuild (no type-checking: run
tsc for that), bundled with the relative modules it imports; packages load from your project's
node_modules. Errors show your .ts files and lines. A file that does not compile is reported with
its file:line, and no execution is started (exit 1).

Options:
  --input JSON         the execution's input event, as JSON (e.g. --input '{"orderId":"ord-1001"}')
  --name NAME          execution name; running an existing name again continues that execution
  --export NAME        the module export holding the handler (default: handler, then default)
  --no-wait            once a callback waits (with or without a timeout), stop (exit 3) instead
                       of waiting for "cairn callback" from another terminal
  --on-nondeterminism fail|block
                       what a replay mismatch does: block (default) keeps the execution RUNNING,
                       marked blocked, and exits 4; fail fails it, as AWS Lambda does
  --json               print one JSON object on stdout when the run ends, and nothing else there
                       (progress goes to stderr): {"id","executionArn","executionName","status",
                       "outcome","exitCode","result","error","blocked"}; outcome is succeeded,
                       failed, waiting, blocked or interrupted. Nothing is printed on stdout when no execution
                       was started (a usage error, a handler that cannot be loaded).
${STORE}
  -h, --help           show this help
`,
  resume: `Usage: cairn resume <execution-id> [handler-file] [options]

Continues a RUNNING execution from its checkpoints: operations already stored are replayed,
not re-run. Without <handler-file>, the handler recorded by "cairn run" is used.
Resuming a finished execution prints its operation tree and result.
If the handler file changed since the execution started, a warning says so (the execution
replays under the new code; check it first with "cairn export" and replayHistory).

<execution-id> is the id printed by "cairn run" (or its name, ARN, or a unique prefix of the id);
"cairn list" shows them.

Options:
  --export NAME        the module export holding the handler (default: the one recorded by run)
  --no-wait            once a callback waits (with or without a timeout), stop (exit 3) instead
                       of waiting for "cairn callback" from another terminal
  --on-nondeterminism fail|block
                       what a replay mismatch does: block (default) keeps the execution RUNNING,
                       marked blocked, and exits 4; fail fails it, as AWS Lambda does
${STORE}
  -h, --help           show this help
`,
  dev: `Usage: cairn dev <handler-file> [options]

Runs the handler as "cairn run" does, then watches the handler file and the modules it imports
(relative imports; not packages) and runs it again, as a new execution with the same input, each
time one of them changes. Each run starts with a "──── cairn dev: run N ────" line and ends with
a "cairn dev: <outcome> (exit N)" line. A change during a run stops that run (it stays RUNNING in
the store) and starts the next one. A handler that does not compile or load is reported, and dev
waits for the next change. Ctrl-C stops the run in progress and dev, with exit 0.

Time is real, as with "cairn run": waits really wait, and a run whose execution waits for a
callback waits for "cairn callback" from another terminal, unless --no-wait is given, which ends
that run (outcome "waiting for a callback") and goes back to watching.

<handler-file> is a JavaScript or TypeScript module, as for "cairn run". JavaScript is bundled
too, so an edited imported module is picked up.

Options:
  --input JSON         the input event of every run, as JSON (e.g. --input '{"orderId":"ord-1001"}')
  --export NAME        the module export holding the handler (default: handler, then default)
  --no-wait            once a callback waits, end that run (exit 3) instead of waiting for it
${STORE}
  -h, --help           show this help
`,
  inspect: `Usage: cairn inspect <execution-id> [options]

Prints an execution's status, operation tree (type/sub-type, name, status, attempt, duration),
its callbacks (id, status, and how to answer one still waiting) and result or error.

Options:
  --history            also print the history events (id, type, operation, name, time, details)
  --json               print machine-readable JSON instead of text
  --html FILE          write the web view of the execution (tree, timeline, details, history) to
                       FILE as one self-contained HTML page, data embedded, to open offline or
                       attach to a bug report
${STORE}
  -h, --help           show this help
`,
  callback: CALLBACK_HELP,
  ui: UI_HELP,
  stop: endHelp("stop"),
  fail: endHelp("fail"),
  export: EXPORT_HELP,
  delete: DELETE_HELP,
  prune: PRUNE_HELP,
  list: `Usage: cairn list [options]

Lists the executions in the store, newest first: id, status, start time, duration, name.

Options:
  --status STATUS      only executions with this status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or
                       STOPPED (any case; several separated by commas, e.g. --status failed,timed_out)
  --name TEXT          only executions whose name contains TEXT (case-sensitive substring)
  --json               print machine-readable JSON instead of text
${STORE}
  -h, --help           show this help
`,
};

function endHelp(command: "stop" | "fail"): string {
  const what =
    command === "stop"
      ? `Ends a RUNNING execution as STOPPED (ExecutionStopped in its history), as a client's stop does.`
      : `Ends a RUNNING execution as FAILED on purpose (ExecutionFailed in its history): for an execution
you give up on, e.g. one that cannot replay under the deployed code.`;
  const type = command === "stop" ? "Execution.Stopped" : "Execution.FailedByOperator";
  return `Usage: cairn ${command} <execution-id> [options]

${what}
A "cairn run" or "cairn resume" driving it in another process loses its checkpoint token: nothing
it sends afterwards is recorded, and it ends within its next checkpoint.

Options:
  --error-message TEXT the reason, stored as the execution's error
  --error-type NAME    the error's type (default ${type} when --error-message is given)
${STORE}
  -h, --help           show this help

Exits 0 once the execution is ${command === "stop" ? "STOPPED" : "FAILED"}; 1 when it had already ended (nothing is
changed); 2 for an unknown execution id.
`;
}




export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}
