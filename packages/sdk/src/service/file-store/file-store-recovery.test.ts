import { spawnSync } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { CorruptLogError, StaleCheckpointTokenError, StoreLockTimeoutError } from "../errors.js";
import { executionIdOfArn } from "../ids.js";
import { step } from "../test-support/step-update.js";
import { FileExecutionStore } from "./file-store.js";
import { LogFile } from "./log-file.js";


let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-recovery-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function executionWithSteps(count: number) {
  const service = new CheckpointService({ store: new FileExecutionStore(dir) });
  const { executionArn } = await service.startExecution({ executionName: "e" });
  const ticket = await service.beginInvocation(executionArn);
  let token = ticket.input.CheckpointToken;
  for (let i = 1; i <= count; i++) {
    const r = await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: token,
      Updates: [step(String(i), "START"), step(String(i), "SUCCEED", `"${i}"`)],
    });
    token = r.CheckpointToken!;
  }
  const logPath = join(dir, "executions", executionIdOfArn(executionArn)!, "log");
  // What the writer appends within milliseconds of acknowledging it reaches the file before the
  // damage these tests do to it.
  LogFile.flushPath(logPath);
  return { service, executionArn, token, logPath };
}

describe("FileExecutionStore recovery", () => {
  it.each([
    ["half a record", '0123456789abcdef {"seq":99,"operations":[{"Id":"x"'],
    ["garbage lines", "garbage\n\u0000\u0000\u0000\n"],
  ])("ignores %s at the end of the log and repairs it on the next write", async (_label, tail) => {
    const { executionArn, token, logPath } = await executionWithSteps(3);
    const goodSize = (await stat(logPath)).size;
    await appendFile(logPath, tail);

    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await reopened.getOperations(executionArn)).map((op) => op.Id)).toEqual(["0", "1", "2", "3"]);
    // Reads never cut the file (the tail could be another process's write in progress)...
    expect((await stat(logPath)).size).toBe(goodSize + Buffer.byteLength(tail));
    // ...the next write, under the lock, does.
    await reopened.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("4", "START")] });
    const again = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await again.getOperations(executionArn)).map((op) => op.Id)).toEqual(["0", "1", "2", "3", "4"]);
    expect((await readFile(logPath, "utf8")).includes("garbage")).toBe(false);
  });

  it("fails loudly on damage in the middle of the log", async () => {
    const { executionArn, logPath } = await executionWithSteps(3);
    const bytes = await readFile(logPath);
    const secondLine = bytes.indexOf(0x0a) + 1;
    bytes[secondLine + 40] = bytes[secondLine + 40] === 0x41 ? 0x42 : 0x41;
    await writeFile(logPath, bytes);
    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    const error = await reopened.getOperations(executionArn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptLogError);
    expect(error).toMatchObject({ file: logPath, offset: secondLine });
  });

  it("reads only what was appended since it last looked", async () => {
    const { service, executionArn, token, logPath } = await executionWithSteps(2);
    // Damage an already-loaded record: the warm instance must not re-read it; a cold one must.
    const bytes = await readFile(logPath);
    bytes[30] = bytes[30] === 0x41 ? 0x42 : 0x41;
    await writeFile(logPath, bytes);
    await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("3", "START")] });
    expect(await service.getOperations(executionArn)).toHaveLength(4);
    await expect(new CheckpointService({ store: new FileExecutionStore(dir) }).getOperations(executionArn)).rejects.toThrow(
      CorruptLogError,
    );
  });

  it("sees writes of another store instance and fences its stale tokens", async () => {
    const a = new CheckpointService({ store: new FileExecutionStore(dir) });
    const b = new CheckpointService({ store: new FileExecutionStore(dir) });
    const { executionArn } = await a.startExecution({ executionName: "shared" });
    const ticketA = await a.beginInvocation(executionArn);
    const r = await a.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: ticketA.input.CheckpointToken, Updates: [step("1", "START")] });
    const ticketB = await b.beginInvocation(executionArn);
    expect(ticketB.input.InitialExecutionState.Operations.map((op) => op.Id)).toEqual(["0", "1"]);
    await expect(
      a.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: r.CheckpointToken!, Updates: [step("2", "START")] }),
    ).rejects.toThrow(StaleCheckpointTokenError);
    await b.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: ticketB.input.CheckpointToken, Updates: [step("1", "SUCCEED")] });
    expect((await a.getOperations(executionArn)).map((op) => [op.Id, op.Status])).toEqual([
      ["0", "STARTED"],
      ["1", "SUCCEEDED"],
    ]);
    expect((await a.startExecution({ executionName: "shared" })).executionArn).toBe(executionArn);
  });

  it("breaks a lock left by a dead process", async () => {
    const { executionArn, token, logPath } = await executionWithSteps(1);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const lock = join(logPath, "..", "lock");
    await writeFile(lock, JSON.stringify({ pid: dead, host: hostname(), nonce: "x" }));
    // A store that finds the execution locked by a process that is gone.
    const next = new CheckpointService({ store: new FileExecutionStore(dir) });
    await next.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("2", "START")] });
    await expect(stat(lock)).rejects.toThrow(/ENOENT/);
  });

  it("waits for a live holder and times out with a clear error", async () => {
    const { executionArn, token, logPath } = await executionWithSteps(1);
    const lock = join(logPath, "..", "lock");
    // A live process (this one's parent) that is not us.
    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), nonce: "x" }));
    const service = new CheckpointService({ store: new FileExecutionStore(dir, { lockTimeoutMs: 50 }) });
    const error = await service
      .checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("2", "START")] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockTimeoutError);
    expect((error as Error).message).toContain(lock);
    await rm(lock);
    await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("2", "START")] });
  });
});
