#!/usr/bin/env node
// `npm test`: build, typecheck and lint every workspace, run every workspace's tests (the
// conformance run included) and the consumer fixtures (testing/consumers: the packed packages
// installed into a CommonJS jest project and an ESM vitest project), then print one total over
// all of them as `N passed, M failed`. Each run writes a jest-format JSON report next to its
// package (.vitest-report*.json, .jest-report*.json), read here. Every vitest run goes through
// scripts/watchdog.mjs (the workspaces' `test` scripts), so a run that stops making progress is
// stopped with a message and counted as a failure here instead of stalling `npm test`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspaces = [
  "packages/sdk",
  "packages/testing",
  "packages/cli",
  "packages/aws-lambda",
  "packages/dynamodb",
  "packages/eslint-plugin",
  "packages/otel",
  "packages/sources",
  "examples",
  "testing",
  "testing/consumers",
  "testing/publish",
  "testing/bench",
  "testing/ui",
];
// Packing, two npm installs and four test runs (CommonJS and ESM, each on Node 20 and 22); run.mjs
// has its own per-step timeouts (at most 6 min for installs and 8 min a run) below this.
const CONSUMERS_TIMEOUT_MS = 40 * 60_000;

function reports() {
  return workspaces.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => /^\.(vitest|jest)-report.*\.json$/.test(f))
          .map((f) => join(root, dir, f))
      : [],
  );
}

function run(args) {
  const result = spawnSync("npx", ["turbo", ...args], { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

function runConsumers() {
  const result = spawnSync(process.execPath, ["testing/consumers/run.mjs"], { cwd: root, stdio: "inherit", timeout: CONSUMERS_TIMEOUT_MS });
  if (result.error?.code === "ETIMEDOUT") {
    console.error(`\nConsumer fixtures (testing/consumers/run.mjs) did not finish within ${CONSUMERS_TIMEOUT_MS / 60_000} min: stopped.`);
    return 1;
  }
  return result.status ?? 1;
}

for (const file of reports()) rmSync(file);
let status = run(["run", "build", "typecheck", "lint"]);
if (status === 0) {
  const tests = run(["run", "test", "--concurrency=1"]);
  console.log("\n== consumer fixtures: packed packages in a CommonJS (jest) and an ESM (vitest) project");
  const consumers = runConsumers();
  status = tests !== 0 ? tests : consumers;
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports()) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`\nAll workspaces (${reports().length} test runs):`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
