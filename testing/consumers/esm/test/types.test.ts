// The project type-checks against the packages' ESM declarations: under nodenext (the packages'
// own declarations checked too) and under bundler resolution, the @cairn/testing/vitest matcher
// types included.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const project = fileURLToPath(new URL("..", import.meta.url));

describe("declarations", () => {
  it.each([
    ["nodenext", []],
    ["bundler", ["--module", "preserve", "--moduleResolution", "bundler", "--skipLibCheck"]],
  ])("type-check under %s resolution", async (_name, flags) => {
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.json", ...flags], { cwd: project, timeout: 180_000 }).catch(
      (error: { stdout?: string; message: string }) => ({ stdout: error.stdout ?? error.message }),
    );
    expect(result.stdout).toBe("");
  });
});
