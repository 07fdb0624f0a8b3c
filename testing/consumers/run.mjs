#!/usr/bin/env node
// Consumer fixtures: the packages as a user installs them. Packs every package (`npm pack`, after
// the build), installs the tarballs into two projects copied to a temporary folder outside the
// repo (so Node cannot resolve anything through the monorepo's node_modules), and runs each
// project's tests under every supported Node major (node-versions.mjs: the machine's Node, and
// the others fetched from the npm registry once and cached in node_modules/.cache):
//
//   cjs/  "type": "commonjs", jest + ts-jest's default preset (type-checked), module: commonjs
//   esm/  "type": "module", vitest, module: nodenext; plus the handler and the test that
//         docs/getting-started.md tells a new user to write, taken from the guide (doc-fixtures.mjs)
//
// Each run writes a jest-format JSON report beside this file (.jest-report-cjs-node20.json,
// .vitest-report-esm-node22.json, ...; .jest-report-getting-started.json for the guide's check)
// that scripts/test.mjs adds to the total; a failed install, a Node that cannot be fetched or a
// run that hangs writes a report with one failure naming the step.
//
// Usage: npm run build && node testing/consumers/run.mjs   (CAIRN_KEEP_CONSUMERS=1 keeps the folder)
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyGuide } from "./doc-fixtures.mjs";
import { SUPPORTED_NODE_MAJORS, nodeBinary, pathWith } from "./node-versions.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const guide = join(root, "docs", "getting-started.md");
const nodeCache = join(root, "node_modules", ".cache", "cairn-consumers");
/** Every publishable package (packages/*, not private). */
const packages = readdirSync(join(root, "packages")).filter((name) => {
  const manifest = join(root, "packages", name, "package.json");
  return existsSync(manifest) && !JSON.parse(readFileSync(manifest, "utf8")).private;
});
const INSTALL_TIMEOUT_MS = 6 * 60_000;
const TEST_TIMEOUT_MS = 8 * 60_000;

const fixtures = [
  {
    name: "cjs",
    report: (major) => join(here, `.jest-report-cjs-node${major}.json`),
    command: (dir, report) => [join(dir, "node_modules/jest/bin/jest.js"), "--ci", "--json", `--outputFile=${report}`],
  },
  {
    name: "esm",
    report: (major) => join(here, `.vitest-report-esm-node${major}.json`),
    command: (dir, report) => [
      join(dir, "node_modules/vitest/vitest.mjs"),
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
  },
];
const guideReport = join(here, ".jest-report-getting-started.json");

// npm sets these for the script that runs us; a nested install must not think it is in the repo.
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_(package|lifecycle)_|^npm_config_(local_prefix|workspaces?|include_workspace_root|global|prefix)$/i.test(key),
  ),
);

/** Runs a command, streaming its output with a prefix; resolves with its exit code (or "timeout"). */
function run(label, command, args, cwd, timeoutMs, env = childEnv) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
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

/** A jest-format report of named checks, so the total shows each one (a failure names the step). */
function writeReport(file, checks) {
  const failed = checks.filter((check) => check.failure);
  for (const check of failed) console.error(`consumers: ${check.failure}`);
  const assertionResults = checks.map(({ title, failure }) => ({
    fullName: title,
    title,
    status: failure ? "failed" : "passed",
    failureMessages: failure ? [failure] : [],
  }));
  writeFileSync(
    file,
    JSON.stringify({
      success: failed.length === 0,
      numPassedTests: checks.length - failed.length,
      numFailedTests: failed.length,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [{ name: "consumers", status: failed.length ? "failed" : "passed", message: failed.map((c) => c.failure).join("\n"), assertionResults }],
    }),
  );
}

/** A report with one failure naming the step that broke. */
function failureReport(file, message) {
  writeReport(file, [{ title: message, failure: message }]);
}

for (const file of readdirSync(here).filter((f) => /^\.(vitest|jest)-report.*\.json$/.test(f))) rmSync(join(here, file));

const unbuilt = packages.filter((name) => !existsSync(join(root, "packages", name, "dist", "cjs", "index.js")));
if (unbuilt.length > 0) {
  for (const fixture of fixtures) failureReport(fixture.report(SUPPORTED_NODE_MAJORS[0]), `${fixture.name}: packages not built (${unbuilt.join(", ")}); run \`npm run build\` first`);
  process.exit(1);
}

// A Node binary per supported major; one that cannot be had fails that major's runs, loudly.
const nodes = SUPPORTED_NODE_MAJORS.map((major) => {
  try {
    const binary = nodeBinary(major, nodeCache);
    const version = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.trim();
    console.log(`consumers: Node ${major}: ${version} (${binary})`);
    return { major, binary, version };
  } catch (error) {
    const message = `Node ${major} is a supported version, but no Node ${major} binary could be had to test it: ${error.message}`;
    console.error(`consumers: ${message}`);
    return { major, error: message };
  }
});

const work = mkdtempSync(join(tmpdir(), "cairn-consumers-"));
const timings = [];
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
    for (const fixture of fixtures) failureReport(fixture.report(SUPPORTED_NODE_MAJORS[0]), `${fixture.name}: npm pack failed: ${pack.stderr.trim()}`);
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
  for (const file of readdirSync(tarballs)) {
    renameSync(join(tarballs, file), join(tarballs, file.replace(/-\d+\.\d+\.\d+(-[\w.]+)?\.tgz$/, ".tgz")));
  }
  console.log(`consumers: packed ${readdirSync(tarballs).join(", ")} into ${work}`);

  for (const fixture of fixtures) {
    cpSync(join(here, fixture.name), join(work, fixture.name), { recursive: true, filter: (source) => basename(source) !== "node_modules" });
  }
  // The guide's handler and test join the esm fixture, and its install commands must match it.
  const problems = applyGuide(guide, work, fixtures.map((fixture) => fixture.name));
  writeReport(
    guideReport,
    problems.length > 0
      ? problems.map((problem) => ({ title: "docs/getting-started.md matches the consumer fixtures", failure: problem }))
      : [{ title: "docs/getting-started.md matches the consumer fixtures" }],
  );
  if (problems.length > 0) status = 1;

  // Both installs at once (mostly waiting on the cache and the network), then the runs in turn.
  const installed = await Promise.all(
    fixtures.map(async (fixture) => {
      const started = Date.now();
      // The npm cache serves what `npm ci` at the root already fetched; the rest comes from the registry.
      const code = await run(
        `${fixture.name} install`,
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        join(work, fixture.name),
        INSTALL_TIMEOUT_MS,
      );
      if (code === 0) console.log(`consumers: ${fixture.name} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return code;
    }),
  );
  for (const [index, fixture] of fixtures.entries()) {
    const dir = join(work, fixture.name);
    const install = installed[index];
    for (const node of nodes) {
      const report = fixture.report(node.major);
      if (install !== 0) {
        failureReport(
          report,
          install === "timeout"
            ? `${fixture.name}: npm install did not finish within ${INSTALL_TIMEOUT_MS / 60_000} min (registry unreachable?)`
            : `${fixture.name}: npm install failed with exit code ${install} (see the output above)`,
        );
        status = 1;
        continue;
      }
      if (node.error) {
        failureReport(report, `${fixture.name} on Node ${node.major}: ${node.error}`);
        status = 1;
        continue;
      }
      // The test runner's own workers and the fixtures' child processes use this Node too
      // (process.execPath, or `node` from PATH); each fixture checks the version it runs on.
      const env = { ...childEnv, PATH: pathWith(node.binary, childEnv.PATH), CAIRN_EXPECT_NODE_MAJOR: String(node.major) };
      const label = `${fixture.name} node${node.major}`;
      const started = Date.now();
      const tests = await run(label, node.binary, fixture.command(dir, report), dir, TEST_TIMEOUT_MS, env);
      const seconds = (Date.now() - started) / 1000;
      timings.push(`${fixture.name} on Node ${node.version}: ${seconds.toFixed(1)} s, ${tests === 0 ? "passed" : "FAILED"}`);
      if (tests === "timeout") {
        failureReport(report, `${label}: tests did not finish within ${TEST_TIMEOUT_MS / 60_000} min`);
        status = 1;
      } else if (tests !== 0) {
        if (!existsSync(report)) failureReport(report, `${label}: test run exited with ${tests} and wrote no report`);
        status = 1;
      }
    }
  }
} finally {
  if (timings.length > 0) console.log(`consumers:\n  ${timings.join("\n  ")}`);
  if (process.env.CAIRN_KEEP_CONSUMERS) console.log(`consumers: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(status);
