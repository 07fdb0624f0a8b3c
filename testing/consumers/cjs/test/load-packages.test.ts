// Every package, loaded as a user's project loads it: plain Node `require` and `import` of the
// installed tarballs (same export names either way), the TypeScript declarations under both
// CommonJS resolutions, and the packaged `cairn` bin running a CommonJS handler file.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
// Type-only imports of every package: ts-jest resolves them under node10 (main/types).
import type { DurableContext } from "@cairn/sdk";
import type { LocalDurableTestRunner } from "@cairn/testing";
import type { DynamoDbCheckpointStore } from "@cairn/dynamodb";
import type { LambdaCheckpointBackend } from "@cairn/aws-lambda";
import type { OperationNode } from "@cairn/cli";

export type EveryPackage = [DurableContext, LocalDurableTestRunner, DynamoDbCheckpointStore, LambdaCheckpointBackend, OperationNode];

const run = promisify(execFile);
const project = join(__dirname, "..");

// @cairn/sources loads without its optional peer @aws-sdk/client-s3 (not installed here): the
// S3 sources load it on first use.
const entries = ["@cairn/sdk", "@cairn/testing", "@cairn/dynamodb", "@cairn/aws-lambda", "@cairn/cli", "@cairn/sources"];

async function exportNames(loader: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, ["--input-type=commonjs", "-e", loader], { cwd: project, timeout: 60_000 });
  return JSON.parse(stdout) as string[];
}

describe.each(entries)("%s in plain Node", (entry) => {
  it("loads through require and import, with the same export names", async () => {
    const required = await exportNames(
      `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(entry)})).filter((k) => k !== "__esModule").sort()))`,
    );
    const imported = await exportNames(
      `import(${JSON.stringify(entry)}).then((m) => process.stdout.write(JSON.stringify(Object.keys(m).filter((k) => k !== "default" && k !== "module.exports").sort())))`,
    );
    expect(required.length).toBeGreaterThan(0);
    expect(imported).toEqual(required);
  });
});

describe("declarations", () => {
  // ts-jest already checks these files under node10 resolution (tsconfig.json); node16 reads the
  // exports map's \`require\` types, and the check includes the packages' own declarations.
  it("type-check under node16 resolution as CommonJS, declarations included", async () => {
    const tsc = require.resolve("typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.node16.json", "--noEmit"], { cwd: project, timeout: 180_000 }).catch(
      (error: { stdout?: string; message: string }) => ({ stdout: error.stdout ?? error.message }),
    );
    expect(result.stdout).toBe("");
  });
});

describe("the packaged cairn bin", () => {
  it("runs a CommonJS handler file", async () => {
    const store = mkdtempSync(join(tmpdir(), "cairn-consumer-store-"));
    try {
      const bin = join(project, "node_modules", "@cairn", "cli", "dist", "bin.js");
      const handler = join(__dirname, "fixtures", "cli-handler.cjs");
      const { stdout } = await run(process.execPath, [bin, "run", handler, "--store", store, "--input", '{"name":"cjs"}'], {
        cwd: project,
        timeout: 60_000,
      });
      expect(stdout).toContain('"greeting": "hello cjs"');
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
