import { rmSync } from "node:fs";
import { join } from "node:path";
import { FileExecutionStore, executionIdOfArn, type ExecutionSummary } from "@cairn/sdk/service";
import { shortIdOf } from "./store.js";

/** What removing one execution came to. */
export type RemoveOutcome = "removed" | "running" | "gone";

/**
 * Removes an ended execution's files from the store, and the CLI's record of its handler. The
 * status is checked again under the execution's lock, against its newest record, so a RUNNING
 * execution is never removed whatever a caller's listing said.
 */
export async function removeExecution(store: FileExecutionStore, directory: string, summary: ExecutionSummary): Promise<RemoveOutcome> {
  const id = executionIdOfArn(summary.executionArn) as string;
  const removed = await store.delete(id, (record) => record.summary.status !== "RUNNING");
  if (removed === undefined) return "gone";
  if (!removed) return "running";
  rmSync(join(directory, "cli", `${shortIdOf(summary)}.json`), { force: true });
  return "removed";
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses an age like `90s`, `30m`, `12h`, `7d` or `2w` into milliseconds; undefined if malformed. */
export function parseAge(text: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}
