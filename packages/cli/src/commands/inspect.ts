import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { executionJson, showExecution } from "../show-execution.js";
import { openService, resolveExecution, storeDirectory } from "../store.js";

export async function inspectCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("inspect", argv, {
    store: { type: "string" },
    history: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.inspect);
    return 0;
  }
  expectPositionals("inspect", parsed, { required: ["<execution-id>"] });
  const directory = storeDirectory(stringOption(parsed, "store"));
  const service = openService(directory);
  const summary = await resolveExecution(service, directory, parsed.positionals[0] as string);
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
