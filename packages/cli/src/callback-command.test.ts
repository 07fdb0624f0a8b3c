// End-to-end: a `cairn run` waiting for a callback, answered by a separate `cairn callback`
// process through the shared file store (spawns the built CLI, like cli.test.ts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXECUTION_ID, eventually, fixture, runCli, sideEffects, startCli } from "./test-support/spawn-cli.js";
import { storeEachTest } from "./test-support/store-each-test.js";

const dir = storeEachTest();
const env = () => ({ CAIRN_FIXTURE_LOG: dir.effects });

// Each test spawns several CLI processes one after another.
const SPAWNS = { timeout: 30_000 };

/** The callback id the fixture's submitter wrote, once it has. */
async function submittedCallbackId(): Promise<string> {
  await eventually(() => sideEffects(dir.effects).length > 0);
  return sideEffects(dir.effects)[0] as string;
}

async function inspectJson(id: string) {
  const result = await runCli(["inspect", id, "--store", dir.store, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    status: string;
    result: unknown;
    callbacks: { operationId: string; name?: string; status: string; callbackId?: string }[];
  };
}

describe("cairn run waiting for a callback", () => {
  it.each([
    ["with a callback timeout (a timer is pending too)", '{"timeoutHours":1}'],
    ["with no timer at all", "{}"],
  ])("%s: shows the id and how to answer, and carries on when another process answers", SPAWNS, async (_what, input) => {
    const running = startCli(["run", fixture("approval.mjs"), "--store", dir.store, "--input", input], { env: env() });
    const callbackId = await submittedCallbackId();
    await running.waitForOutput(/answer it from another terminal/);

    const answer = await runCli(["callback", "succeed", callbackId, "--payload", '{"approved":true,"by":"dana"}', "--store", dir.store]);
    expect(answer.code, answer.stderr).toBe(0);
    expect(answer.stdout).toMatch(/callback succeeded — execution [0-9A-Z]{26}, operation 1-1/);

    const run = await running.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`waiting for callback "manager-approval" (op 1-1) — id ${callbackId}`);
    expect(run.stdout).toContain(`cairn callback succeed ${callbackId} --payload '<json>' --store ${JSON.stringify(dir.store)}`);
    expect(run.stdout).toContain("✓ step book (2)");
    expect(run.stdout).toMatch(/"by": "dana"/);
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const inspected = await inspectJson(id);
    expect(inspected.status).toBe("SUCCEEDED");
    expect(inspected.result).toEqual({ decision: { approved: true, by: "dana" }, booked: true });
    expect(inspected.callbacks).toEqual([{ operationId: "1-1", name: "manager-approval", status: "SUCCEEDED", callbackId }]);
  });

  it("--no-wait stops with exit 3; inspect lists the callback; a failure answer and resume finish it", SPAWNS, async () => {
    const run = await runCli(["run", fixture("approval.mjs"), "--store", dir.store, "--no-wait"], { env: env() });
    expect(run.code, run.stderr).toBe(3);
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const callbackId = await submittedCallbackId();
    expect(run.stdout).toContain(`id ${callbackId}`);
    expect(run.stdout).toContain(`Answer it with "cairn callback", then continue with: cairn resume ${id}`);

    const waiting = await runCli(["inspect", id, "--store", dir.store]);
    expect(waiting.stdout).toMatch(new RegExp(`callbacks\\n\\s+… manager-approval\\s+op 1-1\\s+STARTED\\s+id ${callbackId.replace(/[.]/g, "\\.")}`));
    expect(waiting.stdout).toContain(`cairn callback fail ${callbackId}`);

    const heartbeat = await runCli(["callback", "heartbeat", callbackId, "--store", dir.store]);
    expect(heartbeat.code, heartbeat.stderr).toBe(0);
    expect(heartbeat.stdout).toContain("heartbeat sent to");
    const fail = await runCli(["callback", "fail", callbackId, "--error", '{"ErrorType":"Rejected","ErrorMessage":"over budget"}', "--store", dir.store]);
    expect(fail.code, fail.stderr).toBe(0);

    const resumed = await runCli(["resume", id, "--store", dir.store], { env: env() });
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toContain("over budget");
    expect((await inspectJson(id)).callbacks[0]?.status).toBe("FAILED");

    // Completed: refused, nothing changes.
    const again = await runCli(["callback", "succeed", callbackId, "--payload", "1", "--store", dir.store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is already FAILED");
  });
});

describe("--no-wait stops as soon as a callback waits, whether or not it has a timeout", () => {
  it.each([
    ["waitForCallback", "approval.mjs", "{}"],
    ["waitForCallback with a timeout", "approval.mjs", '{"timeoutHours":1}'],
    ["createCallback", "invoice.mjs", "{}"],
    ["createCallback with a timeout", "invoice.mjs", '{"timeoutHours":1}'],
  ])("%s: run and resume exit 3 and leave it RUNNING; answered, resume finishes it", SPAWNS, async (_what, file, input) => {
    const run = await runCli(["run", fixture(file), "--store", dir.store, "--input", input, "--no-wait"], { env: env() });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toContain("waiting for an external event");
    expect(run.stdout).not.toContain("interrupted");
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    const callbackId = /— id (\S+)/.exec(run.stdout)?.[1] as string;
    expect((await inspectJson(id)).status).toBe("RUNNING");

    const resumed = await runCli(["resume", id, "--store", dir.store, "--no-wait"], { env: env() });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(3);
    expect(resumed.stdout).toContain("waiting for an external event");

    const answer = await runCli(["callback", "succeed", callbackId, "--payload", '{"approved":true}', "--store", dir.store]);
    expect(answer.code, answer.stderr).toBe(0);
    const finished = await runCli(["resume", id, "--store", dir.store, "--no-wait"], { env: env() });
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
    expect((await inspectJson(id)).status).toBe("SUCCEEDED");
  });
});

describe("cairn callback refuses bad input before changing anything", () => {
  it("malformed and unknown ids, bad JSON, and options of the wrong action", SPAWNS, async () => {
    const run = await runCli(["run", fixture("approval.mjs"), "--store", dir.store, "--no-wait"], { env: env() });
    expect(run.code).toBe(3);
    const callbackId = await submittedCallbackId();
    const forged = `${callbackId.slice(0, callbackId.lastIndexOf(".") + 1)}${"A".repeat(22)}`;

    const cases: [string[], number, RegExp][] = [
      [["callback", "succeed", "not-a-callback-id"], 2, /Invalid callback id "not-a-callback-id"/],
      [["callback", "succeed", forged], 2, /No callback .* in this store[\s\S]*cairn inspect/],
      [["callback", "succeed", callbackId, "--payload", "{approved: true}"], 2, /--payload is not valid JSON/],
      [["callback", "fail", callbackId, "--error", '"just text"'], 2, /--error must be a JSON object/],
      [["callback", "fail", callbackId, "--error", '{"Message":"x"}'], 2, /--error has unknown field Message/],
      [["callback", "fail", callbackId, "--payload", "1"], 2, /--payload goes with "cairn callback succeed"/],
      [["callback", "approve", callbackId], 2, /Unknown callback action "approve"/],
      [["callback", "succeed"], 2, /Missing <callback-id>/],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCli([...args, "--store", dir.store]);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(code);
      expect(result.stderr).toMatch(message);
    }
    const missingStore = await runCli(["callback", "heartbeat", callbackId, "--store", join(dir.path, "nowhere")]);
    expect(missingStore.code).toBe(2);
    expect(missingStore.stderr).toContain("No Cairn store at");

    // Still waiting, unchanged: the right answer is accepted.
    const id = EXECUTION_ID.exec(run.stdout)?.[1] as string;
    expect((await inspectJson(id)).callbacks[0]?.status).toBe("STARTED");
    const ok = await runCli(["callback", "succeed", callbackId, "--payload", '{"approved":false}', "--store", dir.store]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("prints its help", async () => {
    const help = await runCli(["callback", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: cairn callback succeed|fail|heartbeat <callback-id>");
    expect(help.stdout).toContain("--store DIR");
  });
});
