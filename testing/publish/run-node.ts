import { spawn } from "node:child_process";

/** The environment without what `npm test` sets for its own script, so a nested `npm pack` packs the folder it runs in. */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|workspaces?|include_workspace_root|global|prefix)$/i.test(key),
    ),
  );
}

export interface NodeRun {
  /** Exit code, or the signal that stopped the process. */
  exit: number | string;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command <args>` and collects its output. Asynchronous on purpose: a test worker blocked in
 * spawnSync for a minute stops answering vitest, which then reports an RPC timeout.
 */
export function runCommand(command: string, args: string[], cwd: string): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ exit: code ?? signal ?? "unknown", stdout, stderr }));
  });
}

/** Runs `node <args>` (this process's Node) and collects its output. */
export function runNode(args: string[], cwd: string): Promise<NodeRun> {
  return runCommand(process.execPath, args, cwd);
}
