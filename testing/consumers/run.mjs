#!/usr/bin/env node
// Consumer fixtures: the packages as a user installs them. Packs every package (`npm pack`, after
// the build), installs the tarballs into two projects copied to a temporary folder outside the
// repo (so Node cannot resolve anything through the monorepo's node_modules), and runs them:
//
//   cjs/  "type": "commonjs", jest + ts-jest's default preset (type-checked), module: commonjs
//   esm/  "type": "module", vitest, module: nodenext
//
// Each run writes a jest-format JSON report beside this file (.jest-report-cjs.json,
// .vitest-report-esm.json) that scripts/test.mjs adds to the total; a failed install or a run
// that hangs writes a report with one failure naming the step.
//
// Usage: npm run build && node testing/consumers/run.mjs   (CAIRN_KEEP_CONSUMERS=1 keeps the folder)
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const packages = ["sdk", "testing", "dynamodb", "aws-lambda", "cli"];
const INSTALL_TIMEOUT_MS = 6 * 60_000;
const TEST_TIMEOUT_MS = 8 * 60_000;

const fixtures = [
  {
    name: "cjs",
    report: join(here, ".jest-report-cjs.json"),
    command: (dir, report) => [join(dir, "node_modules/jest/bin/jest.js"), "--ci", "--json", `--outputFile=${report}`],
  },
  {
    name: "esm",
    report: join(here, ".vitest-report-esm.json"),
    command: (dir, report) => [
      join(dir, "node_modules/vitest/vitest.mjs"),
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  },
];

// npm sets these for the script that runs us; a nested install must not think it is in the repo.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|workspaces?|include_workspace_root|global|prefix)$/i.test(key),
  ),
);

/** Runs a command, streaming its output with a prefix; resolves with its exit code (or "timeout"). */
function run(label, command, args, cwd, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    const prefix = (stream, out) => {
      let partial = "";
      stream.on("data", (chunk) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop();
        for (const line of lines) out.write(`[${label}] ${line}\n`);
      });
      stream.on("end", () => partial && out.write(`[${label}] ${partial}\n`));
    };
    prefix(child.stdout, process.stdout);
    prefix(child.stderr, process.stderr);
    const timer = setTimeout(() => {
      process.stderr.write(`[${label}] still running after ${timeoutMs / 1000} s: stopping it\n`);
      child.kill("SIGKILL");
      resolve("timeout");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      process.stderr.write(`[${label}] could not start ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

/** A jest-format report with one failure, so the total shows the step that broke. */
function failureReport(file, message) {
  console.error(`consumers: ${message}`);
  const result = { fullName: message, status: "failed", title: message, failureMessages: [message] };
  writeFileSync(
    file,
    JSON.stringify({
      success: false,
      numPassedTests: 0,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [{ name: "consumers", status: "failed", message, assertionResults: [result] }],
    }),
  );
}

for (const fixture of fixtures) rmSync(fixture.report, { force: true });

const unbuilt = packages.filter((name) => !existsSync(join(root, "packages", name, "dist", "cjs", "index.js")));
if (unbuilt.length > 0) {
  for (const fixture of fixtures) failureReport(fixture.report, `${fixture.name}: packages not built (${unbuilt.join(", ")}); run \`npm run build\` first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "cairn-consumers-"));
let status = 0;
try {
  // Pack every package; the fixtures name the tarballs without versions.
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const pack = spawnSync("npm", ["pack", "--silent", "--pack-destination", tarballs, ...packages.flatMap((name) => ["-w", `packages/${name}`])], {
    cwd: root,
    encoding: "utf8",
  });
  if (pack.status !== 0) {
    for (const fixture of fixtures) failureReport(fixture.report, `${fixture.name}: npm pack failed: ${pack.stderr.trim()}`);
    process.exit(1);
  }
  for (const file of readdirSync(tarballs)) {
    renameSync(join(tarballs, file), join(tarballs, file.replace(/-\d+\.\d+\.\d+(-[\w.]+)?\.tgz$/, ".tgz")));
  }
  console.log(`consumers: packed ${readdirSync(tarballs).join(", ")} into ${work}`);

  // Both installs at once (mostly waiting on the cache and the network), then the runs in turn.
  const installed = await Promise.all(
    fixtures.map(async (fixture) => {
      const dir = join(work, fixture.name);
      cpSync(join(here, fixture.name), dir, { recursive: true, filter: (source) => basename(source) !== "node_modules" });
      const started = Date.now();
      // The npm cache serves what `npm ci` at the root already fetched; the rest comes from the registry.
      const code = await run(
        `${fixture.name} install`,
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        dir,
        INSTALL_TIMEOUT_MS,
      );
      if (code === 0) console.log(`consumers: ${fixture.name} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return code;
    }),
  );
  for (const [index, fixture] of fixtures.entries()) {
    const dir = join(work, fixture.name);
    const install = installed[index];
    if (install !== 0) {
      failureReport(
        fixture.report,
        install === "timeout"
          ? `${fixture.name}: npm install did not finish within ${INSTALL_TIMEOUT_MS / 60_000} min (registry unreachable?)`
          : `${fixture.name}: npm install failed with exit code ${install} (see the output above)`,
      );
      status = 1;
      continue;
    }
    const tests = await run(fixture.name, process.execPath, fixture.command(dir, fixture.report), dir, TEST_TIMEOUT_MS);
    if (tests === "timeout") {
      failureReport(fixture.report, `${fixture.name}: tests did not finish within ${TEST_TIMEOUT_MS / 60_000} min`);
      status = 1;
    } else if (tests !== 0) {
      if (!existsSync(fixture.report)) failureReport(fixture.report, `${fixture.name}: test run exited with ${tests} and wrote no report`);
      status = 1;
    }
  }
} finally {
  if (process.env.CAIRN_KEEP_CONSUMERS) console.log(`consumers: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(status);
