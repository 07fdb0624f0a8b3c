import { existsSync } from "node:fs";
import { flag, expectPositionals, parseCommand, stringOption } from "../args.js";
import { colorStatus, formatDuration, renderColumns } from "../format.js";
import { COMMAND_HELP } from "../help.js";
import type { Output } from "../output.js";
import { openService, shortIdOf, storeDirectory } from "../store.js";
import { matchesFilter, parseStatuses } from "../execution-filter.js";
import { UsageError } from "../usage-error.js";
import { statusLabel } from "../blocked-section.js";

export async function listCommand(argv: readonly string[], out: Output): Promise<number> {
  const parsed = parseCommand("list", argv, {
    store: { type: "string" },
    json: { type: "boolean" },
    status: { type: "string" },
    name: { type: "string" },
  });
  if (parsed.values.help) {
    out.line(COMMAND_HELP.list);
    return 0;
  }
  expectPositionals("list", parsed, { required: [] });
  const statusText = stringOption(parsed, "status");
  const statuses = statusText === undefined ? undefined : parseStatuses(statusText, "list");
  const nameContains = stringOption(parsed, "name");
  if (nameContains === "") throw new UsageError("--name must not be empty; leave it out to list every name.", "list");
  const filtered = statuses !== undefined || nameContains !== undefined;
  const directory = storeDirectory(stringOption(parsed, "store"));
  const all = existsSync(directory) ? await openService(directory).listExecutions() : [];
  const executions = all.filter((s) => matchesFilter(s, { statuses, nameContains }));
  executions.sort((a, b) => new Date(b.startTimestamp).getTime() - new Date(a.startTimestamp).getTime());
  if (flag(parsed, "json")) {
    const rows = executions.map((s) => ({
      id: shortIdOf(s),
      executionArn: s.executionArn,
      executionName: s.executionName,
      status: s.status,
      startTimestamp: s.startTimestamp,
      endTimestamp: s.endTimestamp,
      invocationCount: s.invocationCount,
      blocked: s.blocked,
    }));
    out.line(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (executions.length === 0 && filtered && all.length > 0) {
    out.line(`No executions match in ${directory} (${all.length} in all; "cairn list" without filters shows them).`);
    return 0;
  }
  if (executions.length === 0) {
    out.line(`No executions in ${directory}. Start one with: cairn run <handler-file>` +
      (stringOption(parsed, "store") === undefined ? " (or pass --store DIR to look elsewhere)" : ""));
    return 0;
  }
  const { color } = out;
  const now = Date.now();
  const rows = executions.map((s) => {
    const id = shortIdOf(s);
    const end = s.endTimestamp === undefined ? now : new Date(s.endTimestamp).getTime();
    const took = formatDuration(end - new Date(s.startTimestamp).getTime());
    return [
      id,
      s.blocked ? color.yellow(statusLabel(s)) : colorStatus(s.status, color),
      new Date(s.startTimestamp).toISOString(),
      s.endTimestamp === undefined ? color.dim(`${took}+`) : took,
      s.executionName === id ? color.dim("-") : s.executionName,
    ];
  });
  const header = ["ID", "STATUS", "STARTED", "DURATION", "NAME"].map((h) => color.dim(h));
  for (const line of renderColumns([header, ...rows])) out.line(line);
  return 0;
}
