// End-to-end: spawns the built `cairn` (dist/bin.js) on the fixture handlers in test-fixtures/.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  EXECUTION_ID,
  eventually,
  fixture,
  runCli,
  sideEffects,
  startCli,
} from "./test-support/spawn-cli.js";
import { storeEachTest } from "./test-support/store-each-test.js";

const dir = storeEachTest();
const env = () => ({ CAIRN_FIXTURE_LOG: dir.effects });

function idOf(stdout: string): string {
  const id = EXECUTION_ID.exec(stdout)?.[1];
  if (id === undefined) throw new Error(`no execution id in:\n${stdout}`);
  return id;
}

async function inspectJson(id: string, extra: string[] = []) {
  const result = await runCli(["inspect", id, "--store", dir.store, "--json", ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    id: string;
    status: string;
    result: unknown;
    operations: { Id: string; Name?: string; Status: string; StepDetails?: { Result?: string } }[];
    history?: { EventType: string; Name?: string }[];
  };
}

describe("cairn run", () => {
  it("drives a handler with a 1-second wait to success, printing progress, the tree and the result", async () => {
    const run = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--input", '{"sku":"A-1","qty":2}']);
    expect(run.code, run.stderr).toBe(0);
    const id = idOf(run.stdout);
    expect(run.stdout).toMatch(/^execution [0-9A-Z]{26} started/);
    expect(run.stdout).toContain("✓ step reserve-stock (1)");
    expect(run.stdout).toMatch(/waiting \d+s for "cool-down" \(op 2\)/);
    expect(run.stdout).toContain("✓ wait cool-down (2)");
    expect(run.stdout).toContain("✓ parallel notify (3)");
    expect(run.stdout).toContain("✓ step email (3-1-1)");
    expect(run.stdout).toContain("INFO charging A-1");
    // The final tree: header, nesting by parent, type/sub-type, status, attempt.
    expect(run.stdout).toMatch(/OPERATION\s+ID\s+TYPE\s+STATUS\s+ATTEMPT\s+DURATION/);
    expect(run.stdout).toMatch(/\n {2}✓ reserve-stock\s+1\s+STEP\/Step\s+SUCCEEDED\s+1\s/);
    expect(run.stdout).toMatch(/\n {6}✓ email\s+3-1-1\s+STEP\/Step\s+SUCCEEDED/);
    expect(run.stdout).toMatch(/\n {4}✓ parallel-branch-0\s+3-1\s+CONTEXT\/ParallelBranch/);
    expect(run.stdout).toMatch(new RegExp(`execution ${id}\\s+SUCCEEDED`));
    expect(run.stdout).toContain('"amount": 20');

    const inspected = await inspectJson(id);
    expect(inspected.status).toBe("SUCCEEDED");
    expect(inspected.result).toEqual({
      reservation: { sku: "A-1", qty: 2 },
      notified: ["emailed", "texted"],
      charge: { amount: 20 },
    });
  });

  it("exits 1 when the handler fails, showing the failed step and the error", async () => {
    const run = await runCli(["run", fixture("failing.mjs"), "--store", dir.store]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ step validate (1)");
    expect(run.stdout).toMatch(/✗ step charge \(2\).*PaymentDeclined: card declined/);
    expect(run.stdout).toMatch(/FAILED/);
    expect(run.stdout).toMatch(/error .*card declined/);
    // The step's error wraps the handler's: its frame in the fixture comes first, marked.
    expect(run.stdout).toMatch(/error StepError: card declined\n\s+at .*failing\.mjs:16:\d+\) ← your code\n/);
    const inspected = await inspectJson(idOf(run.stdout));
    expect(inspected.status).toBe("FAILED");
  });

  it("stops on SIGINT during a wait with exit 130, and resume finishes with the same result", async () => {
    const running = startCli(["run", fixture("interruptible.mjs"), "--store", dir.store], { env: env() });
    await running.waitForOutput(/waiting \d+s for "cool-down"/);
    running.child.kill("SIGINT");
    const interrupted = await running.done;
    expect(interrupted.code).toBe(130);
    const id = idOf(interrupted.stdout);
    expect(interrupted.stdout).toContain(`interrupted — resume with: cairn resume ${id}`);

    const before = await inspectJson(id);
    expect(before.status).toBe("RUNNING");
    const token = JSON.parse(before.operations.find((op) => op.Name === "issue-token")?.StepDetails?.Result ?? "null");
    expect(typeof token).toBe("string");

    // No handler file: the one recorded by `run` is used.
    const resumed = await runCli(["resume", id, "--store", dir.store], { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resuming execution ${id}`);
    expect(resumed.stdout).toContain("✓ wait cool-down (2)");
    expect(resumed.stdout).toContain("✓ step finish (3)");
    expect(resumed.stdout).not.toContain("step issue-token");
    const after = await inspectJson(id);
    expect(after.result).toEqual({ token, done: "finished" });
    expect(sideEffects(dir.effects)).toEqual(["issue-token", "finish"]);
  }, 20_000); // the 4-second wait really passes; on a loaded machine the whole test nears 5 s

  it("survives kill -9 in a step body: resume re-runs only the unfinished step", async () => {
    const running = startCli(["run", fixture("crashable.mjs"), "--store", dir.store, "--input", '{"amount":5}'], {
      env: env(),
    });
    const [, id] = await running.waitForOutput(EXECUTION_ID);
    await eventually(() => sideEffects(dir.effects).includes("ship-start"));
    running.child.kill("SIGKILL");
    const killed = await running.done;
    expect(killed.signal).toBe("SIGKILL");

    const resumed = await runCli(["resume", id as string, fixture("crashable.mjs"), "--store", dir.store], { env: env() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("✓ step ship (2)");
    expect(resumed.stdout).toMatch(/result \{/);
    // charge-card succeeded before the kill, so it ran once; ship's first attempt was cut short.
    expect(sideEffects(dir.effects)).toEqual(["charge-card", "ship-start", "ship-start", "ship-done"]);
    const inspected = await inspectJson(id as string);
    expect(inspected.status).toBe("SUCCEEDED");
    expect(inspected.result).toEqual({ charged: { amount: 5 }, shipped: "shipped" });
  });

  it("resuming a finished execution just prints its tree and result", async () => {
    const run = await runCli(["run", fixture("failing.mjs"), "--store", dir.store]);
    const id = idOf(run.stdout);
    const resumed = await runCli(["resume", id, "--store", dir.store]);
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toContain("already finished (FAILED)");
    expect(resumed.stdout).toMatch(/✗ charge\s+2\s+STEP\/Step\s+FAILED/);
  });
});

describe("cairn inspect and list", () => {
  it("lists executions and inspects one as text, with history, and as JSON", async () => {
    const ok = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--input", '{"sku":"B"}', "--name", "order-b"]);
    const failed = await runCli(["run", fixture("failing.mjs"), "--store", dir.store]);
    const okId = idOf(ok.stdout);
    const failedId = idOf(failed.stdout);
    expect(ok.stdout).toContain('(name "order-b")');

    const list = await runCli(["list", "--store", dir.store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ID\s+STATUS\s+STARTED\s+DURATION\s+NAME/);
    expect(list.stdout).toMatch(new RegExp(`${okId}\\s+SUCCEEDED\\s+\\d{4}-\\d\\d-\\d\\dT.*order-b`));
    expect(list.stdout).toMatch(new RegExp(`${failedId}\\s+FAILED`));
    const listJson = JSON.parse((await runCli(["list", "--store", dir.store, "--json"])).stdout) as { id: string }[];
    expect(listJson.map((e) => e.id).sort()).toEqual([okId, failedId].sort());

    // By name, with history.
    const text = await runCli(["inspect", "order-b", "--store", dir.store, "--history"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`execution ${okId}\\s+SUCCEEDED`));
    expect(text.stdout).toMatch(/✓ cool-down\s+2\s+WAIT\/Wait\s+SUCCEEDED/);
    expect(text.stdout).toMatch(/#\s+TIME\s+EVENT\s+ID\s+NAME\s+DETAILS/);
    expect(text.stdout).toMatch(/1\s+\S+Z\s+ExecutionStarted\s+0\s+input=\{"sku":"B"\}/);
    expect(text.stdout).toMatch(/WaitStarted \(Wait\)\s+2\s+cool-down\s+duration=1s/);
    expect(text.stdout).toMatch(/StepSucceeded \(Step\)\s+1\s+reserve-stock\s+attempt=1/);
    expect(text.stdout).toContain("ExecutionSucceeded");

    // By id prefix, as JSON with history.
    const json = await inspectJson(okId.slice(0, 20), ["--history"]);
    expect(json.id).toBe(okId);
    expect(json.operations.map((op) => op.Id)).toContain("3-2-1");
    expect(json.history?.[0]?.EventType).toBe("ExecutionStarted");
    expect(json.history?.at(-1)?.EventType).toBe("ExecutionSucceeded");
  });

  it("explains an unknown execution id and how to find ids", async () => {
    await runCli(["run", fixture("failing.mjs"), "--store", dir.store]);
    const result = await runCli(["inspect", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "--store", dir.store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No execution "01ZZZZZZZZZZZZZZZZZZZZZZZZ"');
    expect(result.stderr).toContain("cairn list");
  });

  it("refuses an empty --store (an unset variable) instead of using the working directory", async () => {
    for (const args of [["run", fixture("order.mjs")], ["list"], ["prune", "--older-than", "1d"]]) {
      const result = await runCli([...args, "--store", ""], { cwd: dir.path });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain("--store needs a directory (it was empty); leave it out to use ./.cairn.");
    }
    for (const made of ["executions", "names", "wal"]) expect(existsSync(join(dir.path, made)), made).toBe(false);
    expect(sideEffects(dir.effects)).toEqual([]);
  });

  it("says when the store does not exist", async () => {
    const inspect = await runCli(["inspect", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "--store", join(dir.path, "nowhere")]);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toContain("No Cairn store at");
    const list = await runCli(["list", "--store", join(dir.path, "nowhere")]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("No executions in");
  });
});

describe("usage errors", () => {
  it("rejects invalid --input JSON with the reason and an example, before starting anything", async () => {
    const result = await runCli(["run", fixture("order.mjs"), "--store", dir.store, "--input", "{sku: 1}"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--input is not valid JSON");
    expect(result.stderr).toContain(`--input '{"orderId":"ord-1001"}'`);
    expect(result.stderr).toContain('"cairn run --help"');
    const list = await runCli(["list", "--store", dir.store]);
    expect(list.stdout).toContain("No executions");
  });

  it.each([
    [["frob"], /Unknown command "frob"/],
    [["run"], /Missing <handler-file>/],
    [["run", "missing-handler.mjs"], /Handler file not found: .*missing-handler\.mjs/],
    [["run", "FIXTURE", "--bogus"], /Unknown option --bogus/],
    [["run", "FIXTURE", "--input"], /Option --input needs a value/],
    [["run", "FIXTURE", "--export", "nope"], /has no export "nope"\. It exports: handler\./],
    [["run", "README.md"], /must be a JavaScript \(\.js, \.mjs, \.cjs\) or TypeScript \(\.ts, \.mts, \.cts, \.tsx\) module/],
    [["inspect"], /Missing <execution-id>/],
    [["list", "extra"], /Unexpected argument "extra"/],
  ])("cairn %j exits 2 with a clear message", async (args, message) => {
    const resolved = args.map((a) => (a === "FIXTURE" ? fixture("order.mjs") : a));
    const result = await runCli([...resolved, ...(args[0] === "frob" ? [] : ["--store", dir.store])], {
      cwd: join(fixture("order.mjs"), "..", ".."),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Run "cairn (\w+ )?--help" for usage\./);
  });

  it("refuses an export that is not a durable handler at load, exit 2, starting no execution", async () => {
    const result = await runCli(["run", fixture("not-durable.mjs"), "--store", dir.store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Export "handler" of');
    expect(result.stderr).toContain("is not a durable handler");
    expect(result.stderr).toContain("export const handler = withDurableExecution(async (event, ctx)");
    expect(result.stdout).toBe("");
    const list = await runCli(["list", "--store", dir.store, "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("refuses a non-durable handler for resume too, leaving the execution as it was", async () => {
    const run = await runCli(["run", fixture("approval.mjs"), "--store", dir.store, "--no-wait"]);
    expect(run.code, run.stderr).toBe(3);
    const id = idOf(run.stdout);
    const resumed = await runCli(["resume", id, fixture("not-durable.mjs"), "--store", dir.store]);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("is not a durable handler");
    expect((await inspectJson(id)).status).toBe("RUNNING");
  });

  it("prints help for the tool and for each command", async () => {
    const main = await runCli(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Usage:\n {2}cairn run <handler-file>/);
    for (const command of ["run", "resume", "inspect", "list", "stop", "fail", "export", "delete", "prune"]) {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: cairn ${command}`);
      expect(help.stdout).toContain("--store DIR");
    }
  });

  it("asks for the handler when resuming an execution it has no record of", async () => {
    const running = startCli(["run", fixture("interruptible.mjs"), "--store", dir.store], { env: env() });
    await running.waitForOutput(/waiting \d+s for "cool-down"/);
    running.child.kill("SIGINT");
    const id = idOf((await running.done).stdout);
    const { rmSync } = await import("node:fs");
    rmSync(join(dir.store, "cli"), { recursive: true, force: true });
    const result = await runCli(["resume", id, "--store", dir.store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Pass the handler file: cairn resume ${id} path/to/handler.js`);
  });
});
