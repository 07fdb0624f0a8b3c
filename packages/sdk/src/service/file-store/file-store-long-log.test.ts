// A log longer than one read (log-reader.ts reads 1 MB at a time): records that straddle chunk
// boundaries, history read back from disk rather than kept in memory, torn tails and damage found
// past the first chunk.
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointService } from "../checkpoint-service.js";
import { CorruptLogError } from "../errors.js";
import { executionIdOfArn } from "../ids.js";
import { MemoryExecutionStore } from "../memory-store.js";
import { step } from "../test-support/step-update.js";
import { FileExecutionStore } from "./file-store.js";
import { LogFile } from "./log-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-long-log-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});


/** 40 steps with payloads of 37–237 KB (odd sizes, so records land across 1 MB boundaries): ~5.5 MB of log. */
async function longExecution(service: CheckpointService) {
  const { executionArn } = await service.startExecution({ executionName: "long" });
  const ticket = await service.beginInvocation(executionArn);
  let token = ticket.input.CheckpointToken;
  for (let i = 1; i <= 40; i++) {
    const payload = JSON.stringify(`${i}:`.padEnd(37_000 + ((i * 7919) % 200_000), "x"));
    const r = await service.checkpoint({
      DurableExecutionArn: executionArn,
      CheckpointToken: token,
      Updates: [step(String(i), "START"), step(String(i), "SUCCEED", payload)],
    });
    token = r.CheckpointToken!;
  }
  // What the writer appends within milliseconds of acknowledging it reaches the file before the
  // tests below look at it or damage it.
  LogFile.flushPath(join(dir, "executions", executionIdOfArn(executionArn)!, "log"));
  return { executionArn, token };
}

describe("FileExecutionStore with a long log", () => {
  it("reads the history back from the log, the same as a store that keeps it in memory", async () => {
    const memory = new CheckpointService({ store: new MemoryExecutionStore() });
    const file = new CheckpointService({ store: new FileExecutionStore(dir) });
    const inMemory = await longExecution(memory);
    const onDisk = await longExecution(file);
    const logPath = join(dir, "executions", executionIdOfArn(onDisk.executionArn)!, "log");
    expect((await stat(logPath)).size).toBeGreaterThan(4 * 1024 * 1024);

    const expected = (await memory.getHistory(inMemory.executionArn)).map(({ EventType, Id, EventId, StepSucceededDetails }) => ({ EventType, Id, EventId, StepSucceededDetails }));
    const comparable = (events: Awaited<ReturnType<CheckpointService["getHistory"]>>) =>
      events.map(({ EventType, Id, EventId, StepSucceededDetails }) => ({ EventType, Id, EventId, StepSucceededDetails }));
    expect(expected).toHaveLength(1 + 40 * 2);
    expect(comparable(await file.getHistory(onDisk.executionArn))).toEqual(expected);
    // Another instance (it rebuilds the record a chunk at a time) reads the same, and every operation.
    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect(comparable(await reopened.getHistory(onDisk.executionArn))).toEqual(expected);
    const ops = await reopened.getOperations(onDisk.executionArn);
    expect(ops.map((op) => op.Id)).toEqual(["0", ...Array.from({ length: 40 }, (_, i) => String(i + 1))]);
    expect(ops.at(-1)?.StepDetails?.Result).toBe((await memory.getOperations(inMemory.executionArn)).at(-1)?.StepDetails?.Result);
    // The record keeps a count, not the events.
    const store = new FileExecutionStore(dir);
    const record = await store.read(executionIdOfArn(onDisk.executionArn)!, (r) => ({ history: r.history, eventCount: r.eventCount }));
    expect(record).toEqual({ history: undefined, eventCount: 81 });
  });

  it("cuts a torn tail after several chunks and keeps every record before it", async () => {
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    const { executionArn, token } = await longExecution(service);
    const logPath = join(dir, "executions", executionIdOfArn(executionArn)!, "log");
    const goodSize = (await stat(logPath)).size;
    await appendFile(logPath, `0123456789abcdef {"seq":43,"operations":[{"Id":"x","Payload":"${"y".repeat(300_000)}`);

    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect(await reopened.getOperations(executionArn)).toHaveLength(41);
    expect((await reopened.getHistory(executionArn)).length).toBe(81);
    await reopened.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates: [step("41", "START")] });
    LogFile.flushPath(logPath);
    const after = await stat(logPath);
    expect(after.size).toBeGreaterThan(goodSize);
    expect(after.size).toBeLessThan(goodSize + 10_000);
    expect((await new CheckpointService({ store: new FileExecutionStore(dir) }).getOperations(executionArn)).map((op) => op.Id).at(-1)).toBe("41");
  });

  it("reports damage in the middle of a long log, not a torn tail", async () => {
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    const { executionArn } = await longExecution(service);
    const logPath = join(dir, "executions", executionIdOfArn(executionArn)!, "log");
    const bytes = await readFile(logPath);
    // Flip a byte about 2.5 MB in: inside some record, with valid records after it.
    const at = 2_500_000;
    bytes[at] = bytes[at] === 0x78 ? 0x79 : 0x78;
    await writeFile(logPath, bytes);
    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    await expect(reopened.getOperations(executionArn)).rejects.toBeInstanceOf(CorruptLogError);
    await expect(reopened.getHistory(executionArn)).rejects.toBeInstanceOf(CorruptLogError);
  });
});
