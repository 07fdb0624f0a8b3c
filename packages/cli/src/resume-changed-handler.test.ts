// End-to-end: `cairn resume` warns when the handler file changed since the execution started,
// and goes on all the same (spawns the built CLI, like cli.test.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXECUTION_ID, fixture, runCli, tempDir } from "./test-support/spawn-cli.js";

let dir: { path: string; cleanup: () => void };
let store: string;
let handlerFile: string;

beforeEach(() => {
  dir = tempDir();
  store = join(dir.path, "store");
  handlerFile = join(dir.path, "handler.mjs");
  writeHandler("first version");
});
afterEach(() => dir.cleanup());

// Each test spawns several CLI processes one after another.
const SPAWNS = { timeout: 30_000 };

/**
 * A handler module of its own (so its content can change) that re-exports the approval fixture:
 * only the comment differs between versions, which is enough to change the file's hash.
 */
function writeHandler(version: string): void {
  writeFileSync(handlerFile, `// ${version}\nexport { handler } from ${JSON.stringify(pathToFileURL(fixture("approval.mjs")).href)};\n`);
}

function sidecarFile(id: string): string {
  return join(store, "cli", `${id}.json`);
}

/** A RUNNING execution of the handler file, waiting for a callback. */
async function waitingExecution(): Promise<string> {
  const run = await runCli(["run", handlerFile, "--store", store, "--no-wait"]);
  expect(run.code, run.stdout + run.stderr).toBe(3);
  return EXECUTION_ID.exec(run.stdout)?.[1] as string;
}

async function resume(id: string) {
  const resumed = await runCli(["resume", id, "--store", store, "--no-wait"]);
  expect(resumed.code, resumed.stdout + resumed.stderr).toBe(3);
  expect(resumed.stdout).toContain(`resuming execution ${id}`);
  return resumed;
}

describe("cairn resume with a changed handler file", () => {
  it("is silent while the file is unchanged; warns, says what happens and how to check, and resumes once it changed", SPAWNS, async () => {
    const id = await waitingExecution();
    const recorded = JSON.parse(readFileSync(sidecarFile(id), "utf8")) as { handlerSha256?: string };
    expect(recorded.handlerSha256).toMatch(/^[0-9a-f]{64}$/);

    expect((await resume(id)).stderr).not.toContain("has changed");

    writeHandler("second version");
    const changed = await resume(id);
    expect(changed.stderr).toContain(`warning: ${handlerFile} has changed since execution ${id} started`);
    expect(changed.stderr).toContain("The execution replays under the new code");
    expect(changed.stderr).toContain("NonDeterministicExecutionError");
    expect(changed.stderr).toContain("replayHistory from @cairn/testing");
    expect(changed.stderr).toContain(`cairn export ${id} --out ${id}.history.json --store ${JSON.stringify(store)}`);

    // The record keeps the hash of the code the execution started with: the next resume warns too.
    expect((JSON.parse(readFileSync(sidecarFile(id), "utf8")) as { handlerSha256?: string }).handlerSha256).toBe(recorded.handlerSha256);
    expect((await resume(id)).stderr).toContain("has changed since execution");
  });

  it("says nothing for a record written before hashes were kept, and does not start one on resume", SPAWNS, async () => {
    const id = await waitingExecution();
    const { handlerSha256: _dropped, ...old } = JSON.parse(readFileSync(sidecarFile(id), "utf8")) as Record<string, unknown>;
    writeFileSync(sidecarFile(id), JSON.stringify(old));

    writeHandler("second version");
    expect((await resume(id)).stderr).not.toContain("has changed");
    expect(JSON.parse(readFileSync(sidecarFile(id), "utf8"))).not.toHaveProperty("handlerSha256");
  });
});
