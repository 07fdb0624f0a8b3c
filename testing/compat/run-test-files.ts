// Runs one copy of the ported test files under one test runner, in a child process of its own
// (as `npx jest` / `npx vitest run` would in the user's project), and reads back each test's
// outcome from the runner's JSON report. jest and vitest write the same report shape.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { SdkName } from "./generate.js";

export type TestRunnerName = "jest" | "vitest";

/** One test case of one file, keyed as `<file> > <describe…> > <title>`. */
export interface CaseOutcome {
  status: "passed" | "failed" | "pending" | "todo" | "skipped" | "disabled";
  failureMessages: string[];
}

export interface CopyRun {
  runner: TestRunnerName;
  sdk: SdkName;
  cases: Map<string, CaseOutcome>;
  /** Files that failed as a whole (did not load, did not compile): file -> message. */
  fileFailures: Map<string, string>;
  /** The runner's own output, for reading a failure. */
  output: string;
  exitCode: number | null;
  timedOut: boolean;
}

interface ReportAssertion {
  ancestorTitles: string[];
  title: string;
  status: CaseOutcome["status"];
  failureMessages?: string[];
}

interface ReportFile {
  name: string;
  status: string;
  message?: string;
  assertionResults: ReportAssertion[];
}

const require = createRequire(import.meta.url);
const bins: Record<TestRunnerName, string> = {
  jest: require.resolve("jest/bin/jest"),
  vitest: join(require.resolve("vitest/package.json"), "..", "vitest.mjs"),
};

/** A whole run (type-checking included) may take this long before it is killed. */
export const RUN_TIMEOUT_MS = 600_000;

export function caseKey(file: string, ancestors: string[], title: string): string {
  return [file, ...ancestors, title].join(" > ");
}

export async function runCopy(runner: TestRunnerName, sdk: SdkName, dir: string): Promise<CopyRun> {
  const reportFile = join(dir, `report-${runner}.json`);
  rmSync(reportFile, { force: true });
  const args =
    runner === "jest"
      ? // One worker: the AWS runner's checkpoint server is a per-process singleton, and the
        // machine is shared; --forceExit so a leaked handle cannot hold the run open.
        [bins.jest, "--config", join(dir, "jest.config.cjs"), "--runInBand", "--forceExit", "--json", "--outputFile", reportFile]
      : [bins.vitest, "run", "--config", join(dir, "vitest.config.mjs"), "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`];
  const { output, exitCode, timedOut } = await spawnWithTimeout(args, dir);
  const run: CopyRun = { runner, sdk, cases: new Map(), fileFailures: new Map(), output, exitCode, timedOut };
  if (!existsSync(reportFile)) return run;
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as { testResults: ReportFile[] };
  for (const file of report.testResults) {
    const name = file.name.slice(dir.length + 1);
    if (file.assertionResults.length === 0 && file.status === "failed") run.fileFailures.set(name, file.message ?? "the file failed");
    for (const test of file.assertionResults) {
      run.cases.set(caseKey(name, test.ancestorTitles, test.title), {
        status: test.status,
        failureMessages: test.failureMessages ?? [],
      });
    }
  }
  return run;
}

function spawnWithTimeout(args: string[], cwd: string): Promise<{ output: string; exitCode: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      // A clean environment for the child runner: no vitest worker state leaks into it.
      env: { ...process.env, VITEST: undefined, VITEST_WORKER_ID: undefined, VITEST_POOL_ID: undefined, NODE_ENV: "test", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      resolve({ output, exitCode, timedOut });
    });
  });
}
