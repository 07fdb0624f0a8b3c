// Runs one measurement in a fresh `node` (so heap, JIT and RSS start from nothing) and reads back
// the one line it prints with its result.
import { spawn } from "node:child_process";
import { now } from "./clock.mjs";

/**
 * Runs `node nodeArgs script args` with `cwd`, killing it after `timeoutMs`. Resolves (never rejects) with
 * `{ result, wallMs }` when a stdout line starts with `prefix` (the rest parsed as JSON), else
 * `{ error, timedOut, wallMs }` with the last lines of its output as the reason.
 */
export function runResultChild({ script, args, cwd, prefix, timeoutMs, nodeArgs = [] }) {
  return new Promise((resolve) => {
    const started = now();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-8000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = Math.round(now() - started);
      if (timedOut) return resolve({ error: `timeout after ${timeoutMs / 1000} s`, timedOut, wallMs });
      const line = stdout.split("\n").find((l) => l.startsWith(prefix));
      if (line) return resolve({ result: JSON.parse(line.slice(prefix.length)), wallMs });
      const why = lastLines(stderr) || lastLines(stdout) || `exit code ${code}${signal ? `, signal ${signal}` : ""}`;
      resolve({ error: `no result: ${why}`, timedOut, wallMs });
    });
  });
}

/** The last `count` non-empty lines of `text`, joined for a one-line error message. */
export function lastLines(text, count = 3) {
  return text.trim().split("\n").filter(Boolean).slice(-count).join(" | ").slice(0, 400);
}
