import { FileExecutionStore } from "@cairn/sdk/service";
import { expectPositionals, parseCommand, stringOption } from "../args.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { removeExecution } from "../remove-execution.js";
import { openService, resolveExecution, shortIdOf, storeDirectory } from "../store.js";
import { EXIT } from "../usage-error.js";

/** `cairn delete <id>`: removes one ended execution from the store; a RUNNING one is refused. */
export async function deleteCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("delete", argv, { store: { type: "string" } });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.delete);
    return 0;
  }
  expectPositionals("delete", parsed, { required: ["<execution-id>"] });
  const directory = storeDirectory(stringOption(parsed, "store"));
  const summary = await resolveExecution(openService(directory), directory, parsed.positionals[0] as string);
  const id = shortIdOf(summary);
  const outcome = await removeExecution(new FileExecutionStore(directory), directory, summary);
  if (outcome === "running") {
    out.error(`cairn: execution ${id} is RUNNING; it is not deleted. End it first with "cairn stop ${id}" or "cairn fail ${id}".`);
    return EXIT.failed;
  }
  if (outcome === "gone") {
    out.error(`cairn: execution ${id} was removed meanwhile.`);
    return EXIT.failed;
  }
  out.line(`deleted execution ${id} (${summary.status}${summary.executionName === id ? "" : `, name "${summary.executionName}"`})`);
  return EXIT.succeeded;
}
