import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CheckpointService, FileExecutionStore, executionIdOfArn, type ExecutionSummary, type OrchestratorClock } from "@cairn/sdk/service";
import { UsageError } from "./usage-error.js";
import { writeFileWhole } from "./write-whole.js";

export const DEFAULT_STORE_DIR = ".cairn";

/**
 * The store's directory for `--store` (or `./.cairn` without it). An empty value — most likely an
 * unset variable, `--store "$CAIRN_STORE"` — is refused: it would resolve to the working
 * directory and scatter the store's folders there (and `prune` and `delete` would act on it).
 */
export function storeDirectory(option: string | undefined, cwd = process.cwd()): string {
  if (option === "") {
    throw new UsageError(`--store needs a directory (it was empty); leave it out to use ./${DEFAULT_STORE_DIR}.`);
  }
  return resolve(cwd, option ?? DEFAULT_STORE_DIR);
}

/** ` --store "<dir>"` for the commands the CLI suggests, or nothing for the default store. */
export function storeFlag(directory: string): string {
  return directory === storeDirectory(undefined) ? "" : ` --store ${JSON.stringify(directory)}`;
}

export function openService(directory: string, clock?: OrchestratorClock): CheckpointService {
  return new CheckpointService({ store: new FileExecutionStore(directory), clock });
}

/** The short id users type: the ULID at the end of the ARN (the ARN itself when it has none). */
export function shortIdOf(summary: Pick<ExecutionSummary, "executionArn">): string {
  return executionIdOfArn(summary.executionArn) ?? summary.executionArn;
}

/** Throws a UsageError for a store directory that was never created (a typo in --store, usually). */
export function requireStore(directory: string): void {
  if (!existsSync(directory)) {
    throw new UsageError(
      `No Cairn store at ${directory}. Executions live in the directory given by --store ` +
        `(default ./${DEFAULT_STORE_DIR} in the current directory); pass the one used by "cairn run".`,
    );
  }
}

/**
 * Finds an execution by its short id, ARN, name, or an unambiguous id prefix (at least 4
 * characters), so a user can type as little as they like.
 */
export async function resolveExecution(
  service: CheckpointService,
  directory: string,
  reference: string,
): Promise<ExecutionSummary> {
  requireStore(directory);
  const all = await service.listExecutions();
  const upper = reference.toUpperCase();
  const exact = all.find(
    (s) => shortIdOf(s) === upper || s.executionArn === reference || s.executionName === reference,
  );
  if (exact) return exact;
  const byPrefix = reference.length >= 4 ? all.filter((s) => shortIdOf(s).startsWith(upper)) : [];
  if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
  if (byPrefix.length > 1) {
    throw new UsageError(
      `"${reference}" matches ${byPrefix.length} executions (${byPrefix.map(shortIdOf).join(", ")}); type more of the id.`,
    );
  }
  throw new UsageError(
    `No execution "${reference}" in ${directory}. ` +
      `"cairn list --store ${directory}" lists the execution ids; "cairn run" prints the id when it starts.`,
  );
}

/** What the CLI remembers about an execution it started, so `resume` can omit the handler. */
export interface ExecutionSidecar {
  executionArn: string;
  /** Absolute path of the handler module. */
  handlerPath: string;
  exportName: string;
  startedAt: string;
  /**
   * sha256 (hex) of the handler file when the execution started; absent in records written
   * before it was kept (then `resume` cannot tell whether the code changed, and says nothing).
   */
  handlerSha256?: string | undefined;
}

function sidecarPath(directory: string, shortId: string): string {
  return join(directory, "cli", `${shortId}.json`);
}

/**
 * Written synchronously and atomically (temp file + rename) right when the execution starts, so
 * even a kill moments later leaves a usable record.
 */
export function writeSidecar(directory: string, sidecar: ExecutionSidecar): void {
  const path = sidecarPath(directory, shortIdOf(sidecar));
  mkdirSync(join(directory, "cli"), { recursive: true });
  writeFileWhole(path, `${JSON.stringify(sidecar, null, 2)}\n`);
}

export function readSidecar(directory: string, summary: ExecutionSummary): ExecutionSidecar | undefined {
  try {
    const parsed = JSON.parse(readFileSync(sidecarPath(directory, shortIdOf(summary)), "utf8")) as ExecutionSidecar;
    return parsed.executionArn === summary.executionArn ? parsed : undefined;
  } catch {
    return undefined;
  }
}
