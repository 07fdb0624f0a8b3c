#!/usr/bin/env node
// Runs a test command (a `vitest run ...`) so that it cannot stall the test run: when it makes no
// progress for --silence-limit, or runs longer than --time-limit, it is stopped with a message
// naming the workspace, the run, the files still running or never started and how long it was
// silent, and the watchdog exits 124 (as `timeout` does).
//
//   node scripts/watchdog.mjs [--silence-limit=5m] [--time-limit=20m] [--name=label] -- vitest run ...
//
// Progress is reported by scripts/watchdog-reporter.mjs, which the watchdog adds to a `vitest`
// command line: the run's file list, a file starting or ending, a test or hook starting or
// finishing. The watchdog is a parent process rather than only a reporter so that it catches what a
// reporter cannot: a worker that never starts (vitest 3 has no worker start timeout and waits for
// it forever), a main process that hangs before the run or after it, a teardown that never ends.
//
// The command runs in a process group of its own, and stopping it stops the whole group and every
// descendant found in the process table (vitest's forks, the CLI processes tests spawn, DynamoDB
// Local's JVM): SIGTERM, then SIGKILL after a grace period. Processes still in the group after a
// normal exit are stopped too, and named.
//
// When the command line has `--outputFile.json=<file>` and vitest was stopped before writing it,
// the watchdog writes a jest-format report there with the results seen so far and one failure for
// the stop, so the totals of `npm test` (scripts/test.mjs) count it.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { constants, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EVENTS_FILE_VARIABLE } from "./watchdog-reporter.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const reporterPath = fileURLToPath(new URL("./watchdog-reporter.mjs", import.meta.url));
const EXIT_STOPPED = 124;

const usage =
  "usage: node scripts/watchdog.mjs [--silence-limit=5m] [--time-limit=20m] [--grace=5s] [--name=label] -- <command> [args...]";

/** `90s`, `5m`, `1500ms`, `1h` or a number of milliseconds. */
function parseDuration(text, option) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new Error(`${option}: not a duration: ${text} (e.g. 90s, 5m)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? "ms"];
  return Number(match[1]) * unit;
}

function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

function parseArguments(argv) {
  const separator = argv.indexOf("--");
  if (separator < 0 || separator === argv.length - 1) throw new Error(usage);
  const options = { silenceLimit: 5 * 60_000, timeLimit: 20 * 60_000, grace: 5_000, name: undefined };
  for (const arg of argv.slice(0, separator)) {
    const [key, value] = arg.split(/=(.*)/s);
    if (value === undefined) throw new Error(`${arg}: expected --option=value\n${usage}`);
    if (key === "--silence-limit") options.silenceLimit = parseDuration(value, key);
    else if (key === "--time-limit") options.timeLimit = parseDuration(value, key);
    else if (key === "--grace") options.grace = parseDuration(value, key);
    else if (key === "--name") options.name = value;
    else throw new Error(`unknown option ${key}\n${usage}`);
  }
  return { options, command: argv[separator + 1], args: argv.slice(separator + 2) };
}

/** The value of `--flag=value` or `--flag value` on a command line. */
function flagValue(args, flag) {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
    if (args[i] === flag) return args[i + 1];
  }
  return undefined;
}

/**
 * How to start the command: `vitest` runs its own bin script with this node, found from the working
 * directory (no shell or npx shim between the watchdog and vitest's main process), with the progress
 * reporter added to the reporters the command line names.
 */
function commandLine(command, args, cwd) {
  if (command !== "vitest") return { file: command, args };
  const vitestPackage = createRequire(join(cwd, "package.json")).resolve("vitest/package.json");
  const bin = join(dirname(vitestPackage), "vitest.mjs");
  // Reporters on the command line replace the config's; one named there keeps the others.
  const reporters = args.some((a) => a === "--reporter" || a.startsWith("--reporter="))
    ? [`--reporter=${reporterPath}`]
    : ["--reporter=default", `--reporter=${reporterPath}`];
  return { file: process.execPath, args: [bin, ...args, ...reporters] };
}

/** Every live process as [pid, parent pid, process group], from `ps` (Linux, macOS). */
function processTable() {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat="], { encoding: "utf8" });
  if (ps.status !== 0) return [];
  return (
    ps.stdout
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      // A zombie has exited already; it waits for a parent (in a container perhaps no one) to reap it.
      .filter(([, , , stat]) => !stat?.startsWith("Z"))
      .map(([pid, ppid, pgid]) => [Number(pid), Number(ppid), Number(pgid)])
  );
}

/** The process, its descendants and the members of its process group that are still running. */
function processTree(pid) {
  const table = processTable();
  const tree = new Set([pid]);
  for (const [p, , group] of table) if (group === pid) tree.add(p);
  // Descendants that moved to a group of their own are still reachable through their parents.
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, parent] of table) {
      if (tree.has(parent) && !tree.has(p)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  const running = new Set(table.map(([p]) => p));
  return [...tree].filter((p) => running.has(p));
}

function signalTree(pid, pids, signal) {
  if (process.platform === "win32") {
    spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"]);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is empty.
  }
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** What the run has reported so far, from the reporter's events. */
class RunState {
  constructor() {
    this.listed = [];
    /** @type {Map<string, { startedAt: number, ended: boolean, last?: string }>} */
    this.files = new Map();
    this.runStartedAt = undefined;
    this.runEndedAt = undefined;
    this.counts = { passed: 0, failed: 0, skipped: 0 };
    this.lastProgress = undefined;
  }

  apply(event, now) {
    const file = event.file;
    const entry = file ? this.files.get(file) ?? { startedAt: now, ended: false } : undefined;
    if (file) this.files.set(file, entry);
    switch (event.event) {
      case "run-start":
        this.runStartedAt = now;
        this.listed = event.files ?? [];
        this.lastProgress = `the run started with ${this.listed.length} test file${this.listed.length === 1 ? "" : "s"}`;
        break;
      case "run-end":
        this.runEndedAt = now;
        this.lastProgress = `the run ended (${event.state})`;
        break;
      case "file-end":
        entry.ended = true;
        this.lastProgress = `${this.relative(file)} ended (${event.state})`;
        break;
      case "test-start":
        entry.last = `test "${event.name}" started`;
        this.lastProgress = `test "${event.name}" started (${this.relative(file)})`;
        break;
      case "test-end": {
        const state = event.state === "pending" ? "skipped" : event.state;
        if (state in this.counts) this.counts[state]++;
        entry.last = `test "${event.name}" ${state}`;
        this.lastProgress = `test "${event.name}" ${state} (${this.relative(file)})`;
        break;
      }
      case "hook-start":
      case "hook-end":
        entry.last = `${event.name} hook ${event.event === "hook-start" ? "started" : "ended"}`;
        this.lastProgress = `${entry.last} (${this.relative(file)})`;
        break;
      default:
        if (file) this.lastProgress = `${this.relative(file)} ${event.event.replace("file-", "")}`;
    }
  }

  relative(file) {
    return file ? relative(process.cwd(), file) || file : "?";
  }

  running() {
    return [...this.files].filter(([, f]) => !f.ended);
  }

  neverStarted() {
    return this.listed.filter((file) => !this.files.has(file));
  }

  finished() {
    return [...this.files.values()].filter((f) => f.ended).length;
  }
}

/** Appends-only JSON lines file, read from where the last read stopped. */
class EventsFile {
  constructor(path) {
    this.path = path;
    this.offset = 0;
    this.partial = "";
  }

  read() {
    const fd = openSync(this.path, "r");
    const chunks = [];
    try {
      const buffer = Buffer.alloc(64 * 1024);
      let n;
      while ((n = readSync(fd, buffer, 0, buffer.length, this.offset)) > 0) {
        chunks.push(Buffer.from(buffer.subarray(0, n)));
        this.offset += n;
      }
    } finally {
      closeSync(fd);
    }
    const lines = (this.partial + Buffer.concat(chunks).toString("utf8")).split("\n");
    this.partial = lines.pop() ?? "";
    return lines.flatMap((line) => {
      try {
        return line ? [JSON.parse(line)] : [];
      } catch {
        return [];
      }
    });
  }
}

async function main() {
  let parsed;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  const { options, command, args } = parsed;
  const cwd = process.cwd();
  const fromRoot = relative(root, cwd).replaceAll("\\", "/");
  const workspace = fromRoot.startsWith("..") ? cwd : fromRoot || ".";
  const config = flagValue(args, "--config");
  const run = command === "vitest" ? `vitest ${args[0] ?? ""}${config ? ` --config ${config}` : ""}` : [command, ...args].join(" ");
  const label = options.name ?? `${workspace}: ${run}`;

  const dir = mkdtempSync(join(tmpdir(), "cairn-watchdog-"));
  const events = new EventsFile(join(dir, "events.jsonl"));
  writeFileSync(events.path, "");
  const started = Date.now();
  const state = new RunState();
  let lastProgressAt = started;
  let longestSilence = { ms: 0, before: "" };

  const line = commandLine(command, args, cwd);
  const child = spawn(line.file, line.args, {
    cwd,
    env: { ...process.env, [EVENTS_FILE_VARIABLE]: events.path },
    // Not the terminal's stdin: a background process group reading it would be stopped.
    stdio: ["ignore", "inherit", "inherit"],
    detached: process.platform !== "win32",
  });
  const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })));
  child.once("error", (error) => {
    console.error(`watchdog: ${label}: could not start ${command}: ${error.message}`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(127);
  });

  const readProgress = () => {
    const now = Date.now();
    const read = events.read();
    for (const event of read) state.apply(event, now);
    if (read.length > 0) {
      if (now - lastProgressAt > longestSilence.ms) longestSilence = { ms: now - lastProgressAt, before: state.lastProgress };
      lastProgressAt = now;
    }
  };

  // The processes of the run: its tree now, and those seen in it before (a descendant in a group of
  // its own whose parent has died is no longer reachable through the tree).
  const seen = new Set();
  const runProcesses = () => {
    if (process.platform === "win32") return [];
    const live = new Set(processTable().map(([p]) => p));
    for (const p of processTree(child.pid)) seen.add(p);
    return [...seen].filter((p) => live.has(p));
  };

  // The command and every process of its tree gone, or the time is up.
  const exitedWithin = async (ms) => {
    const deadline = Date.now() + ms;
    await Promise.race([exited, sleep(ms)]);
    while (Date.now() < deadline && runProcesses().length > 0) await sleep(100);
  };

  let stopping = false;
  const stop = async (headline, exitCode, { report = true } = {}) => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    readProgress();
    const message = [headline, ...details()].join("\n");
    console.error(`\n${message}`);
    const before = runProcesses();
    signalTree(child.pid, before, "SIGTERM");
    await exitedWithin(options.grace);
    signalTree(child.pid, runProcesses(), "SIGKILL");
    await exitedWithin(options.grace);
    const left = runProcesses();
    console.error(
      left.length > 0
        ? `watchdog: could not stop processes ${left.join(", ")} of ${label}`
        : `watchdog: stopped ${label} (${before.length} processes).`,
    );
    if (report) writeStopReport(message);
    rmSync(dir, { recursive: true, force: true });
    process.exit(exitCode);
  };

  const details = () => {
    const now = Date.now();
    const lines = [];
    if (state.runStartedAt === undefined) {
      lines.push("  vitest never listed its test files: it did not get past loading its config and the global setup.");
    } else if (state.runEndedAt !== undefined) {
      lines.push(
        `  vitest reported the end of the run ${formatDuration(now - state.runEndedAt)} ago but has not exited` +
          " (an open handle, a global teardown or a worker that does not terminate).",
      );
    }
    const running = state.running();
    if (running.length > 0) {
      lines.push("  Still running:");
      for (const [file, f] of running) {
        lines.push(`    ${state.relative(file)} (for ${formatDuration(now - f.startedAt)}${f.last ? `; last: ${f.last}` : ""})`);
      }
    }
    const neverStarted = state.neverStarted();
    if (neverStarted.length > 0) {
      lines.push(`  Never started (no worker began them): ${neverStarted.map((f) => state.relative(f)).join(", ")}`);
    }
    if (state.runStartedAt !== undefined) {
      const { passed, failed, skipped } = state.counts;
      lines.push(`  Finished: ${state.finished()} of ${state.listed.length} test files; tests ${passed} passed, ${failed} failed, ${skipped} skipped.`);
    }
    lines.push(`  Last progress: ${state.lastProgress ? `${state.lastProgress}, ${formatDuration(now - lastProgressAt)} ago` : "none"}.`);
    return lines;
  };

  const writeStopReport = (message) => {
    const output = flagValue(args, "--outputFile.json");
    if (!output) return;
    const path = resolve(cwd, output);
    if (existsSync(path) && statSync(path).mtimeMs >= started) return;
    const { passed, failed, skipped } = state.counts;
    const failure = { title: "made progress", fullName: `${label} made progress`, status: "failed", failureMessages: [message] };
    writeFileSync(
      path,
      JSON.stringify({
        numFailedTests: failed + 1,
        numPassedTests: passed,
        numPendingTests: skipped,
        numTodoTests: 0,
        numTotalTests: passed + failed + skipped + 1,
        success: false,
        startTime: started,
        testResults: [{ name: label, status: "failed", message, startTime: started, endTime: Date.now(), assertionResults: [failure] }],
      }),
    );
  };

  const tick = Math.min(1_000, Math.max(50, options.silenceLimit / 20));
  const ticker = setInterval(() => {
    readProgress();
    const now = Date.now();
    if (now - started > options.timeLimit) {
      void stop(`watchdog: ${label} ran for ${formatDuration(now - started)}, over its time limit of ${formatDuration(options.timeLimit)}: stopping it.`, EXIT_STOPPED);
    } else if (now - lastProgressAt > options.silenceLimit) {
      void stop(
        `watchdog: ${label} made no progress for ${formatDuration(now - lastProgressAt)} (limit ${formatDuration(options.silenceLimit)}): stopping it.`,
        EXIT_STOPPED,
      );
    }
  }, tick);

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => void stop(`watchdog: ${signal}: stopping ${label}.`, 128 + constants.signals[signal], { report: false }));
  }

  const { code, signal } = await exited;
  if (stopping) return;
  clearInterval(ticker);
  readProgress();
  if (Date.now() - lastProgressAt > longestSilence.ms) longestSilence = { ms: Date.now() - lastProgressAt, before: "the exit" };
  // Anything the run left in its process group would outlive it (a DynamoDB Local, a CLI process).
  const left = runProcesses();
  if (left.length > 0) {
    console.error(`watchdog: ${label} left processes ${left.join(", ")} running after it exited: stopping them.`);
    signalTree(child.pid, left, "SIGKILL");
  }
  const silenceShare = longestSilence.ms / options.silenceLimit;
  if (process.env.CAIRN_WATCHDOG_VERBOSE || silenceShare > 0.5) {
    console.error(
      `watchdog: ${label}: ran ${formatDuration(Date.now() - started)} (limit ${formatDuration(options.timeLimit)}); ` +
        `longest silence ${formatDuration(longestSilence.ms)} (limit ${formatDuration(options.silenceLimit)}), until: ${longestSilence.before || "the end"}.`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}

await main();
