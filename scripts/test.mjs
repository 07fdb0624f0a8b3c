#!/usr/bin/env node
// `npm test`: build, typecheck and lint every workspace, run every workspace's tests (the
// conformance run included), then print one total over all of them as `N passed, M failed`.
// Each vitest run writes a JSON report next to its package (.vitest-report*.json), read here.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspaces = ["packages/sdk", "packages/testing", "packages/cli", "packages/aws-lambda", "packages/dynamodb", "examples", "testing"];

function reports() {
  return workspaces.flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => /^\.vitest-report.*\.json$/.test(f))
          .map((f) => join(root, dir, f))
      : [],
  );
}

function run(args) {
  const result = spawnSync("npx", ["turbo", ...args], { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

for (const file of reports()) rmSync(file);
let status = run(["run", "build", "typecheck", "lint"]);
if (status === 0) status = run(["run", "test", "--concurrency=1"]);

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
