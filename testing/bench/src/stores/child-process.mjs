// Starting and stopping the servers the stores group needs, with their output kept for errors.
import { spawn } from "node:child_process";
import { sleep } from "../clock.mjs";

const KEEP_OUTPUT_CHARS = 20_000;

/**
 * Spawns `command` with its stdout and stderr kept (the last 20 000 characters) for error
 * messages. `onLine` sees each stdout line.
 */
export function startProcess(what, command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-KEEP_OUTPUT_CHARS);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.once("error", (error) => keep(`\n${what}: ${error.message}\n`));
  return {
    what,
    child,
    pid: child.pid,
    exited,
    output: () => output,
    /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Polls `probe` (resolving true when ready) every 100 ms until `timeoutMs`; fails with the process's output. */
export async function waitUntilReady(proc, probe, timeoutMs, what = proc.what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${what} exited (code ${proc.child.exitCode}, signal ${proc.child.signalCode}) before it was ready:\n${proc.output()}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${proc.output()}`);
}
