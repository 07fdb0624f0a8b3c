import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { warnIfHandlerChanged } from "../changed-handler-warning.js";
import { driveExecution } from "../drive.js";
import { COMMAND_HELP } from "../help.js";
import { loadHandler } from "../handler-loader.js";
import type { Output } from "../output.js";
import { showExecution } from "../show-execution.js";
import { openService, readSidecar, resolveExecution, shortIdOf, storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";
import { nondeterminismPolicyOf } from "../blocked-section.js";

export async function resumeCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("resume", argv, {
    store: { type: "string" },
    export: { type: "string" },
    "no-wait": { type: "boolean" },
    "on-nondeterminism": { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.resume);
    return 0;
  }
  expectPositionals("resume", parsed, { required: ["<execution-id>"], optional: ["[handler-file]"] });
  const [reference, handlerFile] = parsed.positionals as [string, string | undefined];
  const onNondeterminism = nondeterminismPolicyOf(stringOption(parsed, "on-nondeterminism"), "resume");
  const directory = storeDirectory(stringOption(parsed, "store"));
  const service = openService(directory);
  const summary = await resolveExecution(service, directory, reference);

  if (summary.status !== "RUNNING") {
    out.line(`execution ${shortIdOf(summary)} already finished (${summary.status}); nothing to resume.`);
    await showExecution(out, service, summary);
    return summary.status === "SUCCEEDED" ? EXIT.succeeded : EXIT.failed;
  }

  const recorded = readSidecar(directory, summary);
  const file = handlerFile ?? recorded?.handlerPath;
  if (file === undefined) {
    throw new UsageError(
      `No handler is recorded for execution ${shortIdOf(summary)} (it was not started by "cairn run" ` +
        `with this store, or its record was removed). Pass the handler file: cairn resume ${shortIdOf(summary)} path/to/handler.js`,
      "resume",
    );
  }
  const exportName = stringOption(parsed, "export") ?? (handlerFile === undefined ? recorded?.exportName : undefined);
  const handler = await loadHandler(file, exportName);
  warnIfHandlerChanged(out, recorded, handler, shortIdOf(summary), directory);
  const { code } = await driveExecution({
    out,
    directory,
    handler,
    target: { executionArn: summary.executionArn },
    resuming: summary,
    startedWithSha256: recorded?.handlerSha256,
    noWait: flag(parsed, "no-wait"),
    onNondeterminism,
  });
  return code;
}
