// The built `cairn` bin (packages/cli/dist/bin.js) run as a child process, as a user runs it.
// stdout goes to a file, not a pipe: bin.js ends with process.exit, which cuts a piped stdout
// off at 64 KiB, and `inspect --json` of a large execution is megabytes.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI's entry point; `npm test` builds it before the tests run. */
export const CAIRN_BIN = fileURLToPath(new URL("../../../../packages/cli/dist/bin.js", import.meta.url));

/** What a finished CLI run printed, and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function assertBuilt(): void {
  if (!existsSync(CAIRN_BIN)) throw new Error(`${CAIRN_BIN} is missing: build the CLI first ("npx turbo run build").`);
}

/** Runs `cairn <args>` to completion; gives up (kills it) after `timeoutMs`. */
export async function runCairn(args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), "cairn-ui-cli-"));
  const outFile = join(dir, "stdout");
  const fd = openSync(outFile, "w");
  try {
    const child = spawn(process.execPath, [CAIRN_BIN, ...args], { stdio: ["ignore", fd, "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`cairn ${args.join(" ")} did not finish within ${timeoutMs / 1000}s; stderr so far:\n${stderr}`));
      }, timeoutMs);
      child.on("error", reject);
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    return { code, stdout: readFileSync(outFile, "utf8"), stderr };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One operation as `cairn inspect --json` prints it (the fields the tests read). */
export interface InspectedOperation {
  Id: string;
  Type: string;
  SubType?: string;
  Name?: string;
  ParentId?: string;
  Status: string;
  StepDetails?: { Attempt?: number; Result?: string };
}

/** `cairn inspect <id> --json`, the CLI's view of an execution the page must agree with. */
export interface InspectedExecution {
  id: string;
  status: string;
  invocationCount: number;
  callbacks: { operationId: string; status: string; callbackId?: string }[];
  operations: InspectedOperation[];
}

/** Reads an execution back through `cairn inspect --json`. */
export async function inspect(store: string, id: string): Promise<InspectedExecution> {
  const result = await runCairn(["inspect", id, "--json", "--store", store]);
  if (result.code !== 0) throw new Error(`cairn inspect ${id} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as InspectedExecution;
}

/** A long-running `cairn` child (the ui server, a run that waits for a callback). */
export interface RunningCairn {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` on stdout; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  output(): string;
  /** Kills the process (SIGKILL if SIGTERM is not enough) and waits for it to end. */
  stop(): Promise<void>;
}

/** Starts `cairn <args>` and leaves it running. */
export function startCairn(args: readonly string[]): RunningCairn {
  assertBuilt();
  const child = spawn(process.execPath, [CAIRN_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: string): void => {
    out += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout?.setEncoding("utf8").on("data", onData);
  child.stderr?.setEncoding("utf8").on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });
  return {
    child,
    exited,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`cairn ${args.join(" ")} did not print ${pattern} within ${timeoutMs / 1000}s; output:\n${out}`));
        }, timeoutMs);
        function check(): void {
          const match = out.match(pattern);
          if (match === null && !ended) return;
          listeners.delete(check);
          clearTimeout(timer);
          if (match !== null) resolve(match);
          else reject(new Error(`cairn ${args.join(" ")} ended (exit ${child.exitCode}) before printing ${pattern}; output:\n${out}`));
        }
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (ended) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A `cairn ui` server on an ephemeral loopback port. */
export interface UiServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `cairn ui --store <store> --port 0` and waits for the line that gives its address. */
export async function startUi(store: string): Promise<UiServer> {
  const running = startCairn(["ui", "--store", store, "--port", "0"]);
  try {
    const match = await running.waitFor(/cairn ui: (http:\/\/127\.0\.0\.1:\d+\/)/, 30_000);
    return { url: match[1] as string, stop: () => running.stop() };
  } catch (error) {
    await running.stop();
    throw error;
  }
}
