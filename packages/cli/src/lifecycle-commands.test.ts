// End-to-end: the lifecycle and scripting commands (stop, fail, list filters, run --json, export),
// spawning the built CLI on the fixture handlers like cli.test.ts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXECUTION_ID, eventually, fixture, runCli, sideEffects, startCli } from "./test-support/spawn-cli.js";
import { storeEachTest } from "./test-support/store-each-test.js";

const dir = storeEachTest();

const ORDER = ["--input", '{"sku":"A-1","qty":2}'];

// Each test spawns several CLI processes one after another.
const SPAWNS = { timeout: 30_000 };

interface Inspected {
  id: string;
  status: string;
  result: unknown;
  error?: { ErrorType?: string; ErrorMessage?: string };
  operations: { Id: string; Type: string; Status: string }[];
  history?: { EventType: string; EventId: number }[];
}

async function inspectJson(id: string): Promise<Inspected> {
  const result = await runCli(["inspect", id, "--store", dir.store, "--json", "--history"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Inspected;
}

/** An execution left RUNNING, waiting for a callback (run --no-wait exits 3). */
async function waitingExecution(name: string): Promise<string> {
  const run = await runCli(["run", fixture("approval.mjs"), "--store", dir.store, "--name", name, "--no-wait"]);
  expect(run.code, run.stderr).toBe(3);
  return EXECUTION_ID.exec(run.stdout)?.[1] as string;
}

describe("cairn stop and cairn fail", () => {
  it("stop ends a RUNNING execution as STOPPED with the given reason, and refuses a second time", SPAWNS, async () => {
    const id = await waitingExecution("to-stop");
    const stop = await runCli(["stop", "to-stop", "--store", dir.store, "--error-message", "no longer needed"]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`execution ${id} stopped (STOPPED)`);
    const inspected = await inspectJson(id);
    expect(inspected.status).toBe("STOPPED");
    expect(inspected.error).toEqual({ ErrorType: "Execution.Stopped", ErrorMessage: "no longer needed" });
    expect(inspected.operations.find((op) => op.Type === "EXECUTION")?.Status).toBe("STOPPED");
    expect(inspected.history?.at(-1)?.EventType).toBe("ExecutionStopped");

    const again = await runCli(["stop", id, "--store", dir.store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`execution ${id} already ended (STOPPED); nothing to stop.`);
    expect((await inspectJson(id)).history?.length).toBe(inspected.history?.length);
  });

  it("fail ends a RUNNING execution as FAILED with ExecutionFailed, and refuses an ended one", SPAWNS, async () => {
    const id = await waitingExecution("to-fail");
    const fail = await runCli(["fail", id, "--store", dir.store, "--error-message", "cannot replay", "--error-type", "Ops.GaveUp"]);
    expect(fail.code, fail.stderr).toBe(0);
    expect(fail.stdout).toContain(`execution ${id} failed (FAILED)`);
    expect(fail.stdout).toContain("error Ops.GaveUp: cannot replay");
    const inspected = await inspectJson(id);
    expect(inspected.status).toBe("FAILED");
    expect(inspected.error).toEqual({ ErrorType: "Ops.GaveUp", ErrorMessage: "cannot replay" });
    expect(inspected.history?.at(-1)?.EventType).toBe("ExecutionFailed");

    const succeeded = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--name", "done", ...ORDER]);
    expect(succeeded.code, succeeded.stderr).toBe(0);
    const late = await runCli(["fail", "done", "--store", dir.store]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/already ended \(SUCCEEDED\); nothing to fail\./);
    expect((await inspectJson("done")).status).toBe("SUCCEEDED");
  });

  it("a cairn run waiting on a callback ends (exit 1) when another process stops its execution", SPAWNS, async () => {
    const running = startCli(["run", fixture("approval.mjs"), "--store", dir.store, "--name", "live"], {
      env: { CAIRN_FIXTURE_LOG: dir.effects },
    });
    await running.waitForOutput(/answer it from another terminal/);
    await eventually(() => sideEffects(dir.effects).length > 0);
    const stop = await runCli(["stop", "live", "--store", dir.store]);
    expect(stop.code, stop.stderr).toBe(0);
    const run = await running.done;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/was ended from outside \(STOPPED\)/);
  });

  it.each([
    [["stop"], 2, /Missing <execution-id>/],
    [["fail", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"], 2, /No execution "01ZZZZZZZZZZZZZZZZZZZZZZZZ"/],
    [["stop", "x", "--error-message"], 2, /Option --error-message needs a value/],
    [["fail", "x", "--error-type", "not a name"], 2, /--error-type must be a name/],
    [["fail", "x", "--error-message", " "], 2, /--error-message must not be empty/],
    [["stop", "x", "--force"], 2, /Unknown option --force/],
  ])("cairn %j exits %i with a message naming the problem", SPAWNS, async (args, code, message) => {
    await waitingExecution("x");
    const result = await runCli([...args, "--store", dir.store]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect((await inspectJson("x")).status).toBe("RUNNING");
  });
});

describe("cairn list filters", () => {
  it("--status and --name select executions; bad values name the flag", SPAWNS, async () => {
    const waiting = await waitingExecution("order-waiting");
    const ok = EXECUTION_ID.exec((await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--name", "order-ok", ...ORDER])).stdout)?.[1];
    const failed = EXECUTION_ID.exec((await runCli(["run", fixture("failing.mjs"), "--store", dir.store, "--name", "refund"])).stdout)?.[1];
    const ids = async (...args: string[]): Promise<string[]> => {
      const result = await runCli(["list", "--store", dir.store, "--json", ...args]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { id: string }[]).map((e) => e.id).sort();
    };
    expect(await ids("--status", "running")).toEqual([waiting]);
    expect(await ids("--status", "SUCCEEDED,failed")).toEqual([ok, failed].sort());
    expect(await ids("--name", "order-")).toEqual([waiting, ok].sort());
    expect(await ids("--name", "order-", "--status", "SUCCEEDED")).toEqual([ok]);
    expect(await ids("--name", "ORDER")).toEqual([]);

    const text = await runCli(["list", "--store", dir.store, "--status", "TIMED_OUT"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("No executions match");
    const bad = await runCli(["list", "--store", dir.store, "--status", "DONE"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status "DONE" is not a status; use one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED');
    const empty = await runCli(["list", "--store", dir.store, "--name="]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--name must not be empty");
  });
});

describe("cairn run --json", () => {
  it.each([
    ["order.mjs", ORDER, 0, "SUCCEEDED", "succeeded"],
    ["failing.mjs", [], 1, "FAILED", "failed"],
    ["approval.mjs", ["--no-wait"], 3, "RUNNING", "waiting"],
  ] as const)("%s prints one JSON object on stdout", SPAWNS, async (file, extra, code, status, outcome) => {
    const run = await runCli(["run", fixture(file), "--store", dir.store, "--json", ...extra]);
    expect(run.code, run.stderr).toBe(code);
    const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(parsed).toMatchObject({ status, outcome, exitCode: code });
    expect(parsed.executionArn).toMatch(new RegExp(`/${parsed.id as string}$`));
    // Progress still goes somewhere a person sees it.
    expect(run.stderr).toContain(`execution ${parsed.id as string}`);
    if (status === "SUCCEEDED") expect(parsed.result).toMatchObject({ charge: { amount: 20 } });
    if (status === "FAILED") expect(parsed.error).toMatchObject({ ErrorMessage: "card declined" });
  });

  it("prints nothing on stdout for a usage error", async () => {
    const run = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--json", "--input", "{bad"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });
});

describe("cairn export", () => {
  it("writes the operations and history events of an execution to --out, or to stdout", SPAWNS, async () => {
    const run = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--name", "to-export", ...ORDER]);
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const file = join(dir.path, "fixtures", "order.json");
    const missingDir = await runCli(["export", id, "--store", dir.store, "--out", file]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toContain("--out: directory");
    expect(existsSync(file)).toBe(false);

    const toStdout = await runCli(["export", "to-export", "--store", dir.store]);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir.path, "fixtures"));
    const toFile = await runCli(["export", id, "--store", dir.store, "--out", file]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe("");
    expect(toFile.stderr).toMatch(/exported execution .* \(SUCCEEDED, \d+ operations, \d+ events\)/);

    const exported = JSON.parse(readFileSync(file, "utf8")) as Inspected;
    expect(JSON.parse(toStdout.stdout)).toEqual(exported);
    expect(exported).toEqual(await inspectJson(id));
    expect(exported.operations[0]?.Type).toBe("EXECUTION");
    expect(exported.operations.map((op) => op.Id)).toContain("3-2-1");
    expect(exported.history?.[0]?.EventType).toBe("ExecutionStarted");
    expect(exported.history?.at(-1)?.EventType).toBe("ExecutionSucceeded");

    const unknown = await runCli(["export", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "--store", dir.store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
  });
});

describe("cairn delete and cairn prune", () => {
  it("delete removes an ended execution and frees its name, and refuses a RUNNING one", SPAWNS, async () => {
    const waiting = await waitingExecution("keep-me");
    const done = await runCli(["run", fixture("failing.mjs"), "--store", dir.store, "--name", "old-run"]);
    const doneId = EXECUTION_ID.exec(done.stdout)?.[1] as string;

    const refused = await runCli(["delete", "keep-me", "--store", dir.store]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`execution ${waiting} is RUNNING; it is not deleted. End it first with "cairn stop ${waiting}"`);
    expect((await inspectJson(waiting)).status).toBe("RUNNING");

    const deleted = await runCli(["delete", doneId, "--store", dir.store]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`deleted execution ${doneId} (FAILED, name "old-run")`);
    const gone = await runCli(["inspect", doneId, "--store", dir.store]);
    expect(gone.code).toBe(2);
    expect(existsSync(join(dir.store, "executions", doneId))).toBe(false);
    expect(existsSync(join(dir.store, "cli", `${doneId}.json`))).toBe(false);
    // The name is free again: a new run with it is a new execution.
    const again = await runCli(["run", fixture("failing.mjs"), "--store", dir.store, "--name", "old-run"]);
    expect(EXECUTION_ID.exec(again.stdout)?.[1]).not.toBe(doneId);
    expect(again.stdout).not.toContain("already exists");

    const unknown = await runCli(["delete", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "--store", dir.store]);
    expect(unknown.code).toBe(2);
  });

  it("prune removes ended executions past the age and status, never a RUNNING one; --dry-run removes nothing", SPAWNS, async () => {
    const waiting = await waitingExecution("still-running");
    const ok = EXECUTION_ID.exec((await runCli(["run", fixture("order.mjs"), "--store", dir.store, ...ORDER])).stdout)?.[1] as string;
    const failed = EXECUTION_ID.exec((await runCli(["run", fixture("failing.mjs"), "--store", dir.store])).stdout)?.[1] as string;
    const listed = async (): Promise<string[]> =>
      (JSON.parse((await runCli(["list", "--store", dir.store, "--json"])).stdout) as { id: string }[]).map((e) => e.id).sort();

    const young = await runCli(["prune", "--older-than", "1d", "--store", dir.store]);
    expect(young.code, young.stderr).toBe(0);
    expect(young.stdout).toContain("removed 0 executions");
    expect(await listed()).toEqual([waiting, ok, failed].sort());

    const dry = await runCli(["prune", "--older-than", "0s", "--status", "succeeded", "--dry-run", "--store", dir.store]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`would remove ${ok}\\s+SUCCEEDED`));
    expect(dry.stdout).not.toContain(failed);
    expect(await listed()).toEqual([waiting, ok, failed].sort());

    const pruned = await runCli(["prune", "--older-than", "0s", "--store", dir.store]);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(new RegExp(`removed ${ok}\\s+SUCCEEDED`));
    expect(pruned.stdout).toMatch(new RegExp(`removed ${failed}\\s+FAILED`));
    expect(pruned.stdout).toContain("removed 2 executions (of 3");
    expect(await listed()).toEqual([waiting]);
  });

  it.each([
    [["prune"], /--older-than is required/],
    [["prune", "--older-than", "7 days"], /--older-than "7 days" is not an age/],
    [["prune", "--older-than", "7d", "--status", "RUNNING"], /prune never removes a RUNNING execution/],
    [["prune", "--older-than", "7d", "--status", "old"], /--status "old" is not a status/],
    [["delete"], /Missing <execution-id>/],
  ])("cairn %j exits 2 naming the flag", async (args, message) => {
    const result = await runCli([...args, "--store", dir.store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
