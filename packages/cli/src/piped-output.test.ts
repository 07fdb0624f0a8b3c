// The CLI's output through a pipe: stdout is asynchronous there, and exiting before it drains
// would silently cut the JSON a script reads.
import { afterAll, describe, expect, it } from "vitest";
import { fixture, runCli, tempDir } from "./test-support/spawn-cli.js";

const dir = tempDir();
afterAll(() => dir.cleanup());

describe("output through a pipe", () => {
  it("prints all of a result larger than the pipe's buffer before exiting", async () => {
    const run = await runCli(["run", fixture("large-result.mjs"), "--store", dir.path, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(64 * 1024);
    const outcome = JSON.parse(run.stdout) as { id: string; result: { page: number }[] };
    expect(outcome.result).toHaveLength(1200);
    expect(outcome.result.at(-1)?.page).toBe(4);

    const inspect = await runCli(["inspect", outcome.id, "--json", "--history", "--store", dir.path]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout.length).toBeGreaterThan(256 * 1024);
    expect(() => JSON.parse(inspect.stdout)).not.toThrow();
  });
});
