// scripts/watchdog.mjs, which every workspace's `npm test` runs vitest under: a run that goes silent
// or overstays is stopped with a message, its whole process tree with it; a run that keeps making
// progress is left alone. The runs here are small vitest-like scripts that report progress through
// the same reporter module vitest loads (scripts/watchdog-reporter.mjs).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const watchdog = fileURLToPath(new URL("../../scripts/watchdog.mjs", import.meta.url));
const reporter = new URL("../../scripts/watchdog-reporter.mjs", import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), "watchdog-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in for `vitest run`: lists two test files, starts the first, and spawns two long-lived
// processes that ignore SIGTERM (one in its process group, one in a group of its own, as a
// detached child would be), printing their pids. Then, by its first argument:
//   silent   one test finishes, another starts and never ends;
//   steady   a test finishes every 100 ms for --for ms, then it exits 0;
//   exit=N   it exits with code N at once.
const fakeRun = join(dir, "fake-run.mjs");
writeFileSync(
  fakeRun,
  `
import { spawn } from "node:child_process";
import Reporter from ${JSON.stringify(reporter)};
const [mode, duration] = process.argv.slice(2);
if (mode.startsWith("exit=")) process.exit(Number(mode.slice(5)));
const reporter = new Reporter();
const files = ["/suite/first.test.ts", "/suite/second.test.ts"];
reporter.onTestRunStart(files.map((moduleId) => ({ moduleId })));
const first = { type: "module", moduleId: files[0] };
reporter.onTestModuleQueued(first);
const stubborn = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);";
const inGroup = spawn(process.execPath, ["-e", stubborn], { stdio: "ignore" });
const ownGroup = spawn(process.execPath, ["-e", stubborn], { stdio: "ignore", detached: true });
console.log(JSON.stringify({ descendants: [inGroup.pid, ownGroup.pid] }));
const test = (name) => ({ type: "test", module: first, fullName: name, result: () => ({ state: "passed" }) });
if (mode === "silent") {
  reporter.onTestCaseResult(test("first test"));
  reporter.onTestCaseReady(test("the stuck test"));
  setInterval(() => {}, 1000);
} else {
  const until = Date.now() + Number(duration);
  let n = 0;
  const timer = setInterval(() => {
    reporter.onTestCaseResult(test("test " + ++n));
    if (Date.now() < until) return;
    clearInterval(timer);
    inGroup.kill("SIGKILL");
    ownGroup.kill("SIGKILL");
  }, 100);
}
`,
);

// A real vitest project whose worker process never comes up, as under heavy load once: the fork
// blocks before vitest's worker code runs, and vitest 3 waits for it forever.
const stuckProject = join(dir, "stuck-worker");
mkdirSync(stuckProject);
symlinkSync(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(stuckProject, "node_modules"), "dir");
writeFileSync(join(stuckProject, "package.json"), JSON.stringify({ type: "module" }));
writeFileSync(
  join(stuckProject, "block-worker.cjs"),
  "if (process.env.TINYPOOL_WORKER_ID) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n",
);
writeFileSync(
  join(stuckProject, "vitest.config.mjs"),
  `export default { test: { include: ["*.test.mjs"], poolOptions: { forks: { execArgv: ["--require", ${JSON.stringify(join(stuckProject, "block-worker.cjs"))}] } } } };\n`,
);
writeFileSync(join(stuckProject, "never.test.mjs"), 'import { it } from "vitest";\nit("never runs", () => {});\n');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  descendants: number[];
}

function runUnderWatchdog(options: string[], args: string[], command = [process.execPath, fakeRun], cwd = fileURLToPath(new URL(".", import.meta.url))): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [watchdog, ...options, "--", ...command, ...args], {
    // The workspace the message names.
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) =>
    child.on("close", (code) => {
      const printed = /^\{"descendants".*$/m.exec(stdout)?.[0];
      const descendants = printed ? (JSON.parse(printed) as { descendants: number[] }).descendants : [];
      done({ code, stdout, stderr, elapsedMs: Date.now() - started, descendants });
    }),
  );
}

/** Running, not a zombie waiting to be reaped (in a container nothing may ever reap it). */
function alive(pid: number): boolean {
  const ps = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  return ps.status === 0 && ps.stdout.trim() !== "" && !ps.stdout.trim().startsWith("Z");
}

describe.skipIf(process.platform === "win32")("the test watchdog", () => {
  it("stops a run that makes no progress within the silence limit, names what was running, and takes down its process tree", async () => {
    const report = join(dir, "silent-report.json");
    const run = await runUnderWatchdog(["--silence-limit=2s", "--grace=1s"], ["silent", `--outputFile.json=${report}`]);

    expect(run.code).toBe(124);
    expect(run.descendants).toHaveLength(2);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(2_000);
    // The limit, a grace period for SIGTERM, and room for a busy machine; far below a stall.
    expect(run.elapsedMs).toBeLessThan(20_000);
    expect(run.stderr).toMatch(/watchdog: testing\/publish: .*fake-run\.mjs silent .* made no progress for \d+s \(limit 2s\): stopping it\./);
    expect(run.stderr).toContain("Still running:");
    expect(run.stderr).toMatch(/suite\/first\.test\.ts \(for \d+s; last: test "the stuck test" started\)/);
    expect(run.stderr).toMatch(/Never started \(no worker began them\): .*suite\/second\.test\.ts/);
    expect(run.stderr).toContain("Finished: 0 of 2 test files; tests 1 passed, 0 failed, 0 skipped.");
    // Both ignore SIGTERM; the one in a process group of its own is found through its parent.
    for (const pid of run.descendants) expect(alive(pid), `process ${pid} is still running`).toBe(false);

    // `npm test` totals the jest-format reports: the stopped run counts as a failure.
    const written = JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number; success: boolean };
    expect(written).toMatchObject({ numPassedTests: 1, numFailedTests: 1, success: false });
  }, 60_000);

  it("stops a vitest run whose worker never starts, naming the file no worker began", async () => {
    const run = await runUnderWatchdog(["--silence-limit=30s", "--grace=2s"], ["run", "--reporter=default"], ["vitest"], stuckProject);

    expect(run.code).toBe(124);
    expect(run.stderr).toMatch(/: vitest run made no progress for \d+s \(limit 30s\): stopping it\./);
    expect(run.stderr).toContain("Never started (no worker began them): never.test.mjs");
    expect(run.stderr).toContain("Last progress: the run started with 1 test file,");
    const blocked = spawnSync("pgrep", ["-f", "block-worker.cjs"], { encoding: "utf8" });
    expect(blocked.stdout.split("\n").filter(Boolean).filter((pid) => alive(Number(pid)))).toEqual([]);
  }, 120_000);

  it("leaves a run alone that keeps reporting progress for longer than the silence limit", async () => {
    const run = await runUnderWatchdog(["--silence-limit=5s"], ["steady", "7000"]);

    expect(run.stderr).not.toContain("stopping it");
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(7_000);
  }, 60_000);

  it("stops a run that keeps making progress past its time limit", async () => {
    const run = await runUnderWatchdog(["--silence-limit=5s", "--time-limit=3s", "--grace=1s"], ["steady", "60000"]);

    expect(run.code).toBe(124);
    expect(run.stderr).toMatch(/ran for \d+s, over its time limit of 3s: stopping it\./);
    expect(run.stderr).toContain("Last progress: test");
    for (const pid of run.descendants) expect(alive(pid), `process ${pid} is still running`).toBe(false);
  }, 60_000);

  it("passes the run's own exit code through", async () => {
    expect((await runUnderWatchdog([], ["exit=3"])).code).toBe(3);
    expect((await runUnderWatchdog([], ["exit=0"])).code).toBe(0);
  }, 60_000);

  it("refuses a command line without a command", () => {
    const run = spawnSync(process.execPath, [watchdog, "--silence-limit=1m"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: node scripts/watchdog.mjs");
  });
});
