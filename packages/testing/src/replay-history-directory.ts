// Replays every recorded execution in a folder: the fixtures a project commits (one JSON file per
// execution, from `cairn export`) checked against the current handler in one test.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DurableLambdaHandler } from "@cairn/sdk";
import { readRecordedExecution } from "./recorded-history.js";
import { replayRecorded, type ReplayHistoryResult } from "./replay-history.js";

/** What {@link replayHistoryDirectory} and {@link expectHistoriesReplay} take. */
export interface ReplayHistoryDirectoryParameters {
  /** The handler as the module exports it: the function `withDurableExecution` returned. */
  handler: DurableLambdaHandler;
  /** A folder of recorded executions, one `.json` file each (other files are ignored). */
  directory: string;
}

/** One file's replay. */
export interface ReplayedHistoryFile {
  /** The file's path (the directory joined with its name). */
  file: string;
  /** How its replay ended. */
  result: ReplayHistoryResult;
}

/**
 * Replays `handler` against every `.json` file in `directory`, in name order (see
 * {@link replayHistory}). A file that is not a recorded execution throws, naming the file.
 */
export async function replayHistoryDirectory(params: ReplayHistoryDirectoryParameters): Promise<ReplayedHistoryFile[]> {
  const names = (await readdir(params.directory)).filter((name) => name.endsWith(".json")).sort();
  const results: ReplayedHistoryFile[] = [];
  for (const name of names) {
    const file = join(params.directory, name);
    const recording = readRecordedExecution(await readFile(file, "utf8"), file);
    results.push({ file, result: await replayRecorded(params.handler, recording) });
  }
  return results;
}

/**
 * Replays every `.json` file in `directory` and throws one error listing each file that diverges
 * (its operation, what was recorded and what the handler now calls); resolves with the results
 * when all replay. Throws too when the folder holds no `.json` file, so a wrong path cannot pass.
 *
 * @example
 * ```ts
 * import { test } from "vitest";
 * import { expectHistoriesReplay } from "@cairn/testing";
 * import { handler } from "../src/order-workflow.js";
 *
 * test("the handler replays every recorded execution", async () => {
 *   await expectHistoriesReplay({ handler, directory: new URL("./histories", import.meta.url).pathname });
 * });
 * ```
 */
export async function expectHistoriesReplay(params: ReplayHistoryDirectoryParameters): Promise<ReplayedHistoryFile[]> {
  const results = await replayHistoryDirectory(params);
  if (results.length === 0) {
    throw new Error(`${params.directory} holds no .json history: export some with \`cairn export <id>\` first.`);
  }
  const failures = results.flatMap(({ file, result }) => (result.ok ? [] : [`${file}: ${result.divergence.message}`]));
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${results.length} recorded executions diverge:\n${failures.join("\n")}`);
  }
  return results;
}
