// Real processes against one store directory: kill -9 in the middle of checkpointing, and two
// processes fighting over one execution.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { buildChildScript, startChild } from "../test-support/child-process.js";
import { FileExecutionStore } from "./file-store.js";

let script: string;
let dir: string;
beforeAll(async () => {
  script = await buildChildScript();
  dir = await mkdtemp(join(tmpdir(), "cairn-processes-"));
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(script, ".."), { recursive: true, force: true });
});

const acked = (lines: string[]) => lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));

describe("FileExecutionStore across processes", () => {
  it("keeps every acknowledged checkpoint when the writer is killed with SIGKILL", async () => {
    const storeDir = join(dir, "kill");
    const service = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const { executionArn } = await service.startExecution({ executionName: "crashy" });
    const allAcked: string[] = [];

    for (let round = 1; round <= 4; round++) {
      const child = startChild(script, ["loop", storeDir, executionArn, `r${round}`]);
      const target = 5 + Math.floor(Math.random() * 30);
      await child.waitFor((_line, all) => acked(all).length >= target);
      // Kill at an arbitrary moment, often in the middle of the next append.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      child.process.kill("SIGKILL");
      const exit = await child.exited;
      expect(exit.signal).toBe("SIGKILL");
      allAcked.push(...acked(child.lines));

      const reopened = new CheckpointService({ store: new FileExecutionStore(storeDir) });
      const ops = new Map((await reopened.getOperations(executionArn)).map((op) => [op.Id, op]));
      for (const id of allAcked) {
        expect(ops.get(id), `acknowledged ${id} missing after round ${round}`).toMatchObject({
          Status: "SUCCEEDED",
          StepDetails: { Result: JSON.stringify(id) },
        });
      }
    }
    // The store stays writable after all the kills (a torn tail is cut, a dead writer's lock broken).
    const final = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const ticket = await final.beginInvocation(executionArn);
    await final.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [{ Id: "final", Type: "STEP", Action: "START" }],
    });
    expect((await final.getExecution(executionArn)).invocationCount).toBe(5);
  }, 60_000);

  it("rejects a stale invocation in another process instead of letting it overwrite", async () => {
    const storeDir = join(dir, "fence");
    const service = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const { executionArn } = await service.startExecution({ executionName: "fenced" });
    const child = startChild(script, ["fence", storeDir, executionArn, "old"]);
    await child.waitFor((line) => line === "ready");
    child.process.stdin.write("go\n");
    await child.waitFor((line) => line.startsWith("ack old-1"));

    // A newer invocation starts here; the child's token is now stale.
    const ticket = await service.beginInvocation(executionArn);
    child.process.stdin.write("go\n");
    const answer = await child.waitFor((line) => line.includes("old-2"));
    expect(answer).toMatch(/^stale old-2 .*newer invocation owns the execution/);
    child.process.stdin.end();
    await child.exited;

    await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [{ Id: "new-1", Type: "STEP", Action: "START" }],
    });
    const ids = (await new CheckpointService({ store: new FileExecutionStore(storeDir) }).getOperations(executionArn)).map(
      (op) => op.Id,
    );
    expect(ids).toEqual(["0", "old-1", "new-1"]);
  }, 30_000);

  it("serializes two processes writing one execution: every ack stored, nothing else", async () => {
    const storeDir = join(dir, "race");
    const service = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const { executionArn } = await service.startExecution({ executionName: "raced" });
    const children = ["a", "b"].map((tag) => startChild(script, ["race", storeDir, executionArn, tag, "40"]));
    const exits = await Promise.all(children.map((c) => c.exited));
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });
    const ackedIds = children.flatMap((c) => acked(c.lines));
    const staleCount = children.flatMap((c) => c.lines.filter((l) => l.startsWith("stale "))).length;
    expect(ackedIds.length + staleCount).toBe(80);

    const ops = await new CheckpointService({ store: new FileExecutionStore(storeDir) }).getOperations(executionArn);
    expect(ops.slice(1).map((op) => op.Id).sort()).toEqual([...ackedIds].sort());
    expect((await service.getExecution(executionArn)).invocationCount).toBe(80);
  }, 60_000);
});
