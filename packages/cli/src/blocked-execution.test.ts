// End-to-end: a handler file changed under a RUNNING execution so that its replay diverges. The
// execution is blocked (exit 4), shown as such by list and inspect, carries on once the original
// code is back, and can be failed on purpose. Spawns the built CLI like cli.test.ts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXECUTION_ID, runCli, sideEffects, tempDir } from "./test-support/spawn-cli.js";

let dir: { path: string; cleanup: () => void };
let store: string;
let handlerFile: string;
let callbacks: string;

beforeEach(() => {
  dir = tempDir();
  store = join(dir.path, "store");
  handlerFile = join(dir.path, "handler.mjs");
  callbacks = join(dir.path, "callbacks.log");
  writeHandler("reserve");
});
afterEach(() => dir.cleanup());

const SPAWNS = { timeout: 60_000 };
const SDK = pathToFileURL(fileURLToPath(new URL("../../sdk/dist/index.js", import.meta.url))).href;
const env = () => ({ CAIRN_FIXTURE_LOG: callbacks });

/** The deployed handler: a step named `stepName`, then a wait for a manager's approval. */
function writeHandler(stepName: string): void {
  writeFileSync(
    handlerFile,
    `import { appendFileSync } from "node:fs";
import { withDurableExecution } from ${JSON.stringify(SDK)};
export const handler = withDurableExecution(async (event, ctx) => {
  const reserved = await ctx.step(${JSON.stringify(stepName)}, async () => "R-1");
  const approved = await ctx.waitForCallback("approval", async (id) => appendFileSync(process.env.CAIRN_FIXTURE_LOG, id + "\\n"));
  return { reserved, approved };
});
`,
  );
}

interface Blocked {
  reason: string;
  operationId: string;
  message: string;
  attempts: number;
  since: string;
  retryAt: string;
}

async function inspectJson(id: string): Promise<{ status: string; blocked?: Blocked }> {
  const result = await runCli(["inspect", id, "--store", store, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { status: string; blocked?: Blocked };
}

async function waitingExecution(name: string): Promise<string> {
  const run = await runCli(["run", handlerFile, "--store", store, "--name", name, "--no-wait"], { env: env() });
  expect(run.code, run.stdout + run.stderr).toBe(3);
  return EXECUTION_ID.exec(run.stdout)?.[1] as string;
}

describe("an execution whose replay diverges after the handler changed", () => {
  it("is blocked (exit 4), shown by list and inspect, and carries on once the original code is back", SPAWNS, async () => {
    const id = await waitingExecution("order-1");
    writeHandler("reserve-stock");

    const resumed = await runCli(["resume", id, "--store", store, "--no-wait"], { env: env() });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(4);
    expect(resumed.stdout).toContain("blocked replay diverged at operation 1");
    expect(resumed.stdout).toContain('"reserve"');
    expect(resumed.stdout).toContain(`cairn resume ${id} --store`);
    expect(resumed.stdout).toContain(`cairn fail ${id} --store`);
    const first = await inspectJson(id);
    expect(first.status).toBe("RUNNING");
    expect(first.blocked).toMatchObject({ reason: "NonDeterministicExecution", operationId: "1", attempts: 1 });
    expect(first.blocked?.message).toMatch(/"reserve".*"reserve-stock"/);

    const list = await runCli(["list", "--store", store]);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+RUNNING \\(blocked\\)`));
    const listed = JSON.parse((await runCli(["list", "--store", store, "--json"])).stdout) as { id: string; blocked?: Blocked }[];
    expect(listed.find((row) => row.id === id)?.blocked?.operationId).toBe("1");

    const inspected = await runCli(["inspect", id, "--store", store]);
    expect(inspected.stdout).toContain("blocked replay diverged at operation 1 — 1 attempt since");
    expect(inspected.stdout).toContain("next retry");
    expect(inspected.stdout).not.toContain("still RUNNING — no result yet");

    // `run` continuing the named execution blocks too; --json says so.
    const again = await runCli(["run", handlerFile, "--store", store, "--name", "order-1", "--json"], { env: env() });
    expect(again.code, again.stderr).toBe(4);
    const outcome = JSON.parse(again.stdout) as { outcome: string; exitCode: number; status: string; blocked?: Blocked };
    expect(outcome).toMatchObject({ outcome: "blocked", exitCode: 4, status: "RUNNING" });
    expect(outcome.blocked?.attempts).toBe(2);
    expect(outcome.blocked?.since).toBe(first.blocked?.since);

    writeHandler("reserve");
    const fixed = await runCli(["resume", id, "--store", store, "--no-wait"], { env: env() });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(3);
    expect((await inspectJson(id)).blocked).toBeUndefined();

    const callbackId = sideEffects(callbacks).at(-1) as string;
    const answered = await runCli(["callback", "succeed", callbackId, "--payload", '"yes"', "--store", store]);
    expect(answered.code, answered.stderr).toBe(0);
    const done = await runCli(["resume", id, "--store", store], { env: env() });
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(await inspectJson(id)).toMatchObject({ status: "SUCCEEDED" });
  });

  it("is ended on purpose by cairn fail; --on-nondeterminism fail fails it outright", SPAWNS, async () => {
    const blockedId = await waitingExecution("to-give-up");
    const failingId = await waitingExecution("to-fail");
    writeHandler("reserve-stock");

    expect((await runCli(["resume", blockedId, "--store", store, "--no-wait"], { env: env() })).code).toBe(4);
    const fail = await runCli(["fail", blockedId, "--store", store]);
    expect(fail.code, fail.stderr).toBe(0);
    const failed = await inspectJson(blockedId);
    expect(failed.status).toBe("FAILED");
    expect(failed.blocked).toBeUndefined();

    const outright = await runCli(["resume", failingId, "--store", store, "--on-nondeterminism", "fail"], { env: env() });
    expect(outright.code, outright.stdout + outright.stderr).toBe(1);
    expect(outright.stdout).toContain("NonDeterministicExecutionError");
    expect((await inspectJson(failingId)).status).toBe("FAILED");

    const bad = await runCli(["resume", failingId, "--store", store, "--on-nondeterminism", "retry"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--on-nondeterminism must be "block"');
  });
});
