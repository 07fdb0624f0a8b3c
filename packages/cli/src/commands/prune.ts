import { existsSync } from "node:fs";
import { FileExecutionStore } from "@cairn/sdk/service";
import { expectPositionals, flag, parseCommand, stringOption } from "../args.js";
import { matchesFilter, parseStatuses } from "../execution-filter.js";
import { formatDuration } from "../format.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { parseAge, removeExecution } from "../remove-execution.js";
import { openService, shortIdOf, storeDirectory } from "../store.js";
import { EXIT, UsageError } from "../usage-error.js";

/**
 * `cairn prune --older-than AGE [--status S] [--name TEXT] [--dry-run]`: removes the executions
 * that ended more than AGE ago. RUNNING executions are never removed, whatever the filters say.
 */
export async function pruneCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("prune", argv, {
    "older-than": { type: "string" },
    status: { type: "string" },
    name: { type: "string" },
    "dry-run": { type: "boolean" },
    store: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.prune);
    return 0;
  }
  expectPositionals("prune", parsed, { required: [] });
  const ageText = stringOption(parsed, "older-than");
  if (ageText === undefined) throw new UsageError("--older-than is required, e.g. --older-than 7d (units s, m, h, d, w).", "prune");
  const age = parseAge(ageText);
  if (age === undefined) throw new UsageError(`--older-than "${ageText}" is not an age; write a whole number and a unit s, m, h, d or w, e.g. 7d or 12h.`, "prune");
  const statusText = stringOption(parsed, "status");
  const statuses = statusText === undefined ? undefined : parseStatuses(statusText, "prune");
  if (statuses?.has("RUNNING")) throw new UsageError("--status RUNNING: prune never removes a RUNNING execution; end it first with cairn stop or cairn fail.", "prune");
  const nameContains = stringOption(parsed, "name");
  if (nameContains === "") throw new UsageError("--name must not be empty; leave it out to prune every name.", "prune");
  const dryRun = flag(parsed, "dry-run");

  const directory = storeDirectory(stringOption(parsed, "store"));
  const all = existsSync(directory) ? await openService(directory).listExecutions() : [];
  const cutoff = Date.now() - age;
  const candidates = all.filter(
    (s) =>
      s.status !== "RUNNING" &&
      s.endTimestamp !== undefined &&
      new Date(s.endTimestamp).getTime() <= cutoff &&
      matchesFilter(s, { statuses, nameContains }),
  );
  const store = new FileExecutionStore(directory);
  let removed = 0;
  for (const summary of candidates) {
    const id = shortIdOf(summary);
    const ago = formatDuration(Date.now() - new Date(summary.endTimestamp as Date).getTime());
    const what = `${id}  ${summary.status}  ended ${ago} ago${summary.executionName === id ? "" : `  ${summary.executionName}`}`;
    if (dryRun) {
      out.line(`would remove ${what}`);
      removed++;
      continue;
    }
    const outcome = await removeExecution(store, directory, summary);
    if (outcome === "removed") {
      out.line(`removed ${what}`);
      removed++;
    } else if (outcome === "running") {
      out.line(out.color.dim(`kept ${id}: it is RUNNING`));
    }
  }
  out.line(
    `${dryRun ? "would remove" : "removed"} ${removed} execution${removed === 1 ? "" : "s"}` +
      ` (of ${all.length} in ${directory}; RUNNING ones are never removed)` +
      (dryRun && removed > 0 ? " — run again without --dry-run to remove them" : ""),
  );
  return EXIT.succeeded;
}
