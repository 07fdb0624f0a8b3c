import { colorStatus, formatDuration, formatErrorObject, payloadValue, truncate } from "./format.js";
import { renderHistory } from "./history-format.js";
import { renderOperationTree } from "./operation-tree.js";
import type { Output } from "./output.js";
import type { DurableExecutionService, ExecutionSummary } from "@cairn/sdk/service";
import type { ErrorObject, HistoryEvent, Operation } from "@cairn/sdk";
import { shortIdOf } from "./store.js";
import { callbacksJson, renderCallbacks } from "./callbacks-section.js";
import { firstUserFrame } from "./user-frame.js";
import { renderBlocked, statusLabel } from "./blocked-section.js";
import { describeDistributedMap, distributedMapProgress } from "@cairn/sdk/progress";

export function formatValue(payload: string | undefined): string {
  if (payload === undefined) return "undefined";
  const value = payloadValue(payload);
  return typeof value === "string" && value === payload ? value : JSON.stringify(value, null, 2);
}

/** Header, operation tree, optional history, then the result or error. */
export async function showExecution(
  out: Output,
  service: DurableExecutionService,
  summary: ExecutionSummary,
  options: { history?: boolean; directory?: string } = {},
): Promise<void> {
  const operations = await service.getOperations(summary.executionArn);
  const { color } = out;
  const end = summary.endTimestamp ?? new Date();
  const took = formatDuration(new Date(end).getTime() - new Date(summary.startTimestamp).getTime());
  out.line();
  out.line(
    `${color.bold(`execution ${shortIdOf(summary)}`)}  ${summary.blocked ? color.yellow(statusLabel(summary)) : colorStatus(summary.status, color)}  ` +
      color.dim(`${took}${summary.endTimestamp ? "" : " so far"}, ${summary.invocationCount} invocation${summary.invocationCount === 1 ? "" : "s"}`),
  );
  if (summary.executionName !== shortIdOf(summary)) out.line(`  name     ${summary.executionName}`);
  out.line(`  started  ${new Date(summary.startTimestamp).toISOString()}`);
  if (summary.input !== undefined) out.line(`  input    ${oneLine(summary.input)}`);
  out.line();
  for (const line of renderOperationTree(operations, { color })) out.line(line);
  const maps = distributedMapProgress(operations, payloadValue);
  if (maps.length > 0) out.line();
  for (const map of maps) out.line(`${color.bold(`distributed map ${map.name}`)}  ${describeDistributedMap(map)}`);
  const callbacks = renderCallbacks(operations, summary.status === "RUNNING" ? options.directory : undefined, color);
  if (callbacks.length > 0) {
    out.line();
    for (const line of callbacks) out.line(line);
  }
  if (options.history) {
    out.line();
    out.line(color.bold("history"));
    for (const line of renderHistory(await service.getHistory(summary.executionArn), { color })) out.line(line);
  }
  out.line();
  const blocked = renderBlocked(summary, options.directory, color);
  for (const line of blocked) out.line(line);
  if (blocked.length === 0) printOutcome(out, summary);
}

function oneLine(payload: string): string {
  const value = payloadValue(payload);
  return typeof value === "string" && value === payload ? value : JSON.stringify(value);
}

export function printOutcome(out: Output, summary: ExecutionSummary): void {
  const { color } = out;
  if (summary.status === "SUCCEEDED") {
    out.line(`${color.green("result")} ${formatValue(summary.result)}`);
  } else if (summary.error !== undefined) {
    out.line(`${color.red("error")} ${formatErrorObject(summary.error)}`);
    if (summary.error.ErrorData !== undefined) out.line(`  data: ${summary.error.ErrorData}`);
    // The user's own frame first (often only in a wrapped cause): that is where to look.
    const frame = firstUserFrame(summary.error.StackTrace);
    const own = frame === undefined ? undefined : truncate(frame, 160);
    if (own !== undefined) out.line(`  ${own} ${color.dim("← your code")}`);
    for (const line of stackLines(summary.error.StackTrace)) {
      if (line !== own) out.line(color.dim(`  ${line}`));
    }
  } else if (summary.status === "RUNNING") {
    out.line(color.dim("still RUNNING — no result yet"));
  } else {
    out.line(`${color.red(summary.status)}`);
  }
}

/**
 * A few frames of the stored stack, with a serialized `cause: {...}` entry turned into a readable
 * "caused by" line (a step's error wraps the handler's own).
 */
function stackLines(stack: readonly string[] | undefined, frames = 4): string[] {
  const lines: string[] = [];
  let shown = 0;
  for (const raw of stack ?? []) {
    const entry = raw.trim();
    if (entry.startsWith("cause:")) {
      lines.push(`caused by ${describeCause(entry.slice("cause:".length).trim())}`);
    } else if (shown < frames) {
      lines.push(truncate(entry, 160));
      shown++;
    }
  }
  return lines;
}

function describeCause(text: string): string {
  try {
    const cause = JSON.parse(text) as ErrorObject;
    if (typeof cause === "object" && cause !== null) return formatErrorObject(cause);
  } catch {
    // not JSON: show as is
  }
  return truncate(text, 160);
}

/** What `inspect --json` prints: the summary with payloads decoded, operations and history as stored. */
export function executionJson(
  summary: ExecutionSummary,
  operations: Operation[],
  history?: HistoryEvent[],
): Record<string, unknown> {
  return {
    id: shortIdOf(summary),
    executionArn: summary.executionArn,
    executionName: summary.executionName,
    status: summary.status,
    startTimestamp: summary.startTimestamp,
    endTimestamp: summary.endTimestamp,
    invocationCount: summary.invocationCount,
    input: payloadValue(summary.input),
    result: payloadValue(summary.result),
    error: summary.error,
    blocked: summary.blocked,
    callbacks: callbacksJson(operations),
    operations,
    ...(history === undefined ? {} : { history }),
  };
}
