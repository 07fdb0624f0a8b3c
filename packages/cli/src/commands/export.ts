import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { expectPositionals, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { executionJson } from "../show-execution.js";
import { openService, resolveExecution, shortIdOf, storeDirectory } from "../store.js";
import { UsageError } from "../usage-error.js";
import { writeFileWhole } from "../write-whole.js";

/**
 * `cairn export <id> [--out FILE]`: the execution's history file — the JSON of
 * `inspect --json --history`, so a replay test gets the operations (what replay starts from) and
 * the events (the order things happened in) from one file.
 */
export async function exportCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("export", argv, { out: { type: "string" }, store: { type: "string" } });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.export);
    return 0;
  }
  expectPositionals("export", parsed, { required: ["<execution-id>"] });
  const outText = stringOption(parsed, "out");
  const target = outText === undefined ? undefined : resolve(outText);
  if (target !== undefined) {
    if (outText === "") throw new UsageError("--out needs a file path.", "export");
    if (!existsSync(dirname(target))) throw new UsageError(`--out: directory ${dirname(target)} does not exist; create it first.`, "export");
    if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`--out: ${target} is a directory; give a file path.`, "export");
  }
  const directory = storeDirectory(stringOption(parsed, "store"));
  const service = openService(directory);
  const summary = await resolveExecution(service, directory, parsed.positionals[0] as string);
  const [operations, events] = await Promise.all([
    service.getOperations(summary.executionArn),
    service.getHistory(summary.executionArn),
  ]);
  const text = `${JSON.stringify(executionJson(summary, operations, events), null, 2)}\n`;
  if (target === undefined) {
    out.line(text.trimEnd());
    return 0;
  }
  // Written whole or not at all: a fixture half-written by an interrupted export would fail replay tests confusingly.
  writeFileWhole(target, text);
  out.error(`exported execution ${shortIdOf(summary)} (${summary.status}, ${operations.length} operations, ${events.length} events) to ${target}`);
  return 0;
}
