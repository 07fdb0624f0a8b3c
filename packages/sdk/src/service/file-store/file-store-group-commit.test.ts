// Group commit against real processes: a child commits on many executions at once (their commits
// share fdatasyncs) and is killed with SIGKILL at a random moment; some rounds then also simulate
// a power loss (execution-log tails that were never fsynced are cut, the dead writer's
// write-ahead log gets a torn tail). Every acknowledged checkpoint of every execution must survive,
// and so must every execution whose start was acknowledged (its first record goes through the
// write-ahead log too). And a process that never pauses must still hand an execution over to
// another process.
import { access, appendFile, mkdtemp, readdir, readFile, rm, truncate, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { executionIdOfArn } from "../ids.js";
import { buildChildScript, startChild } from "../test-support/child-process.js";
import { FileExecutionStore } from "./file-store.js";
import { claimPath } from "./name-claims.js";
import { scanWal } from "./wal-format.js";

let script: string;
let dir: string;
beforeAll(async () => {
  script = await buildChildScript();
  dir = await mkdtemp(join(tmpdir(), "cairn-group-commit-"));
}, 30_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(script, ".."), { recursive: true, force: true });
});

/**
 * What a power loss may leave after the writer died: an execution log keeps at least every record
 * before the earliest one its write-ahead log still holds (those were fsynced when an older segment
 * was checkpointed, or at creation); anything after may be gone, down to a torn record.
 */
async function losePageCache(storeDir: string): Promise<number> {
  const walDir = join(storeDir, "wal");
  const earliest = new Map<string, number>();
  for (const name of (await readdir(walDir).catch(() => [])).filter((n) => n.endsWith(".wal"))) {
    const path = join(walDir, name);
    for (const record of scanWal(await readFile(path), path).records) {
      earliest.set(record.executionId, Math.min(earliest.get(record.executionId) ?? Infinity, record.seq));
    }
    await appendFile(path, "0123456789abcdef 01ARZ3NDEKTSV4RRFFQ69G5FAV 0123"); // torn: the write was cut short
  }
  let cut = 0;
  for (const [id, seq] of earliest) {
    const logPath = join(storeDir, "executions", id, "log");
    const bytes = await readFile(logPath);
    let offset = 0;
    for (let n = 1; n < seq; n++) offset = bytes.indexOf(0x0a, offset) + 1;
    const keep = offset + Math.floor(Math.random() * (bytes.length - offset));
    await truncate(logPath, keep);
    cut += bytes.length - keep;
  }
  return cut;
}

/** The first record of each execution a dead writer's log holds, by execution id. */
async function createdInWal(storeDir: string): Promise<Set<string>> {
  const walDir = join(storeDir, "wal");
  const created = new Set<string>();
  for (const name of (await readdir(walDir).catch(() => [])).filter((n) => n.endsWith(".wal"))) {
    const path = join(walDir, name);
    for (const record of scanWal(await readFile(path), path).records) if (record.seq === 1) created.add(record.executionId);
  }
  return created;
}

const exists = (path: string) => access(path).then(
  () => true,
  () => false,
);

describe("FileExecutionStore group commit across processes", () => {
  it("keeps every acknowledged start through SIGKILL and simulated power loss, and makes none that was never claimed", async () => {
    const storeDir = join(dir, "starts");
    const started = new Map<string, string>(); // name → arn, for starts that were acknowledged
    const acked = new Map<string, string[]>();
    let lostDirectories = 0;
    for (let round = 1; round <= 4; round++) {
      const child = startChild(script, ["create", storeDir, `r${round}`, "s"]);
      const target = 20 + Math.floor(Math.random() * 120);
      await child.waitFor((_line, all) => all.length >= target);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      child.process.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
      const announced = new Set<string>();
      for (const line of child.lines) {
        const [word, a, b] = line.split(" ");
        if (word === "created") {
          started.set(a!, b!);
          announced.add(a!);
        }
        if (word === "ack") acked.set(a!, [...(acked.get(a!) ?? []), b!]);
      }
      const inWal = await createdInWal(storeDir);
      expect(inWal.size, "starts went through the write-ahead log").toBeGreaterThan(0);
      if (round % 2 === 0) {
        // A power loss: what the write-ahead log still covers may be gone from the execution
        // directories — the directory itself (its entry never synced) or any tail of the log —
        // and a claim whose start was never acknowledged may be gone too (its names/ entry was
        // not synced yet). Acknowledged claims were synced, so they stay.
        for (const id of inWal) {
          const executionDir = join(storeDir, "executions", id);
          if (Math.random() < 0.5) {
            await rm(executionDir, { recursive: true, force: true });
            lostDirectories++;
          } else if (await exists(join(executionDir, "log"))) {
            const bytes = await readFile(join(executionDir, "log"));
            await truncate(join(executionDir, "log"), Math.floor(Math.random() * bytes.length));
          }
        }
        for (let wave = 1; wave < 100; wave++) {
          for (let n = 0; n < 8; n++) {
            const name = `r${round}-${wave}-${n}`;
            if (!announced.has(name) && Math.random() < 0.5) await unlink(claimPath(storeDir, name)).catch(() => undefined);
          }
        }
      }

      const reopened = new CheckpointService({ store: new FileExecutionStore(storeDir) });
      for (const [name, arn] of started) {
        const operations = await reopened.getOperations(arn);
        expect(operations[0], `the start of ${name} is acknowledged but gone after round ${round}`).toMatchObject({
          Id: "0",
          ExecutionDetails: { InputPayload: JSON.stringify(name) },
        });
        const ids = operations.map((op) => op.Id);
        for (const id of acked.get(arn) ?? []) expect(ids, `acknowledged ${id} of ${name} missing after round ${round}`).toContain(id);
      }
      // Every execution listed is whole, and none was made again that was never claimed.
      const summaries = await reopened.listExecutions();
      for (const summary of summaries) expect((await reopened.getOperations(summary.executionArn))[0]?.Id).toBe("0");
      const listed = new Set(summaries.map((summary) => executionIdOfArn(summary.executionArn)));
      for (const id of inWal) {
        if (!listed.has(id)) expect(await exists(join(storeDir, "executions", id)), `unclaimed ${id} left behind`).toBe(false);
      }
      expect((await readdir(join(storeDir, "wal"))).filter((name) => name.endsWith(".wal"))).toEqual([]);
    }
    expect(started.size).toBeGreaterThan(8);
    expect(lostDirectories, "the power-loss rounds took whole execution directories away").toBeGreaterThan(0);
  }, 120_000);


  it("keeps every acknowledged checkpoint of every execution through SIGKILL and simulated power loss", async () => {
    const storeDir = join(dir, "many");
    const service = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const arns: string[] = [];
    for (let i = 0; i < 8; i++) arns.push((await service.startExecution({ executionName: `e${i}` })).executionArn);
    const acked = new Map<string, string[]>(arns.map((arn) => [arn, []]));
    let bytesCut = 0;

    // Four rounds, the even ones with a power loss; more (up to ten) until a power loss has cut
    // something only the write-ahead log could restore. A power loss cuts nothing when the child
    // was killed before it appended any record of its current segment to the execution logs
    // (they are appended every 20 ms): a short round, or one that began a fresh segment just
    // before the kill. That happened once in both power-loss rounds on a loaded CI machine.
    let round = 0;
    while (round < 4 || (bytesCut === 0 && round < 10)) {
      round++;
      const child = startChild(script, ["many", storeDir, arns.join(","), `r${round}`]);
      const target = 40 + Math.floor(Math.random() * 200);
      await child.waitFor((_line, all) => all.length >= target);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      child.process.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
      for (const line of child.lines) {
        const [word, arn, id] = line.split(" ");
        if (word === "ack") acked.get(arn!)!.push(id!);
      }
      if (round % 2 === 0) bytesCut += await losePageCache(storeDir);

      const reopened = new CheckpointService({ store: new FileExecutionStore(storeDir) });
      for (const arn of arns) {
        const ops = new Map((await reopened.getOperations(arn)).map((op) => [op.Id, op]));
        for (const id of acked.get(arn)!) {
          expect(ops.get(id), `acknowledged ${id} of ${executionIdOfArn(arn)} missing after round ${round}`).toMatchObject({
            Status: "SUCCEEDED",
            StepDetails: { Result: JSON.stringify(id) },
          });
        }
      }
      const leftovers = (await readdir(join(storeDir, "wal"))).filter((name) => name.endsWith(".wal"));
      expect(leftovers, "the dead writer's log is recovered and removed").toEqual([]);
    }
    // The power-loss rounds did take something away that only the write-ahead log could restore.
    expect(bytesCut).toBeGreaterThan(0);
    const final = new CheckpointService({ store: new FileExecutionStore(storeDir) });
    const ticket = await final.beginInvocation(arns[0]!);
    await final.checkpoint({
      DurableExecutionArn: arns[0]!,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [{ Id: "final", Type: "STEP", Action: "START" }],
    });
    expect((await final.getExecution(arns[0]!)).invocationCount).toBe(round + 1);
  }, 120_000);

  it("hands an execution over from a process that never pauses to another process", async () => {
    const storeDir = join(dir, "busy");
    const service = new CheckpointService({ store: new FileExecutionStore(storeDir, { lockTimeoutMs: 10_000 }) });
    const { executionArn } = await service.startExecution({ executionName: "busy" });
    const child = startChild(script, ["busy", storeDir, executionArn, "child"]);
    await child.waitFor((line) => line === "ack child-20");

    // The child keeps the lock while it writes without pause; asking for it makes it hand over.
    const ticket = await service.beginInvocation(executionArn);
    await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: ticket.input.CheckpointToken,
      Updates: [{ Id: "parent", Type: "STEP", Action: "START" }],
    });
    const exit = await child.exited;
    expect(exit, exit.stderr).toMatchObject({ code: 0 });
    expect(child.lines.at(-1)).toMatch(/^stale child-\d+$/);

    const ackedIds = child.lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));
    const ids = (await new CheckpointService({ store: new FileExecutionStore(storeDir) }).getOperations(executionArn)).map(
      (op) => op.Id,
    );
    expect(ids).toEqual(["0", ...ackedIds, "parent"]);
  }, 60_000);
});
