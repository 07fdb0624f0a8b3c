import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { executionJson, showExecution } from "../show-execution.js";
import { openService, resolveExecution, shortIdOf, storeDirectory } from "../store.js";
import { uiAssets } from "../ui/assets.js";
import { fileUiDataSource } from "../ui/data-source.js";
import { exportHtml } from "../ui/html-export.js";
import { UsageError } from "../usage-error.js";
import { writeFileWhole } from "../write-whole.js";

export async function inspectCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("inspect", argv, {
    store: { type: "string" },
    history: { type: "boolean" },
    json: { type: "boolean" },
    html: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.inspect);
    return 0;
  }
  expectPositionals("inspect", parsed, { required: ["<execution-id>"] });
  const htmlText = stringOption(parsed, "html");
  const htmlTarget = htmlText === undefined ? undefined : checkedTarget(htmlText);
  if (htmlTarget !== undefined && flag(parsed, "json")) throw new UsageError("--html and --json each write the whole view; give one of them.", "inspect");
  const directory = storeDirectory(stringOption(parsed, "store"));
  const service = openService(directory);
  const summary = await resolveExecution(service, directory, parsed.positionals[0] as string);
  if (htmlTarget !== undefined) {
    const view = await fileUiDataSource(directory).getExecution(summary.executionArn, { fullHistory: true });
    if (view === undefined) throw new UsageError(`Execution ${shortIdOf(summary)} disappeared from ${directory} while it was read.`, "inspect");
    // Written whole or not at all, like export: a half-written page would show a broken view.
    writeFileWhole(htmlTarget, exportHtml(view, uiAssets()));
    const operations = view.operations.filter((op) => op.Type !== "EXECUTION").length;
    out.line(`wrote execution ${shortIdOf(summary)} (${summary.status}, ${operations} operations) to ${htmlTarget}`);
    return 0;
  }
  const history = flag(parsed, "history");
  if (flag(parsed, "json")) {
    const operations = await service.getOperations(summary.executionArn);
    const events = history ? await service.getHistory(summary.executionArn) : undefined;
    out.line(JSON.stringify(executionJson(summary, operations, events), null, 2));
    return 0;
  }
  await showExecution(out, service, summary, { history, directory });
  return 0;
}

/** The --html path, resolved, once its directory is known to exist and it is not a directory. */
function checkedTarget(text: string): string {
  if (text === "") throw new UsageError("--html needs a file path, e.g. --html execution.html.", "inspect");
  const target = resolve(text);
  if (!existsSync(dirname(target))) throw new UsageError(`--html: directory ${dirname(target)} does not exist; create it first.`, "inspect");
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`--html: ${target} is a directory; give a file path.`, "inspect");
  return target;
}
