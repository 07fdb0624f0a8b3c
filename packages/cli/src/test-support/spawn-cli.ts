// Runs the built CLI (dist/bin.js) as a child process, the way a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test-fixtures/${name}`, import.meta.url));
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stdout matches `pattern`; rejects if the process ends first. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

export function startCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" in packages/cli first.`);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const check of watchers) check();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      for (const check of watchers) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let ended = false;
  void done.then(() => (ended = true));
  return {
    child,
    done,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = stdout.match(pattern);
          if (match) {
            watchers.delete(check);
            resolve(match);
          } else if (ended || child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(check);
            reject(new Error(`CLI ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        watchers.add(check);
        check();
      });
    },
  };
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "cairn-cli-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Lines of a side-effect log written by the fixtures ($CAIRN_FIXTURE_LOG). */
export function sideEffects(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
}

/** Polls until `condition` holds; no wall-clock assertion, only a generous give-up. */
export async function eventually(condition: () => boolean, giveUpMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > giveUpMs) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const EXECUTION_ID = /execution ([0-9A-HJKMNP-TV-Z]{26})/;
