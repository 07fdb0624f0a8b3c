// The records a store instance keeps for executions it does not hold (record-cache.ts): a process
// that runs executions for days keeps a bounded number of them, never dropping a held execution's,
// and an execution whose record was dropped is read and written exactly as before.
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvocationStatus } from "../../protocol/invocation.js";
import type { OperationUpdate } from "../../protocol/wire.js";
import { CheckpointService } from "../checkpoint-service.js";
import { executionIdOfArn } from "../ids.js";
import { fileStoreStats, FileExecutionStore } from "./file-store.js";
import { eventually } from "../test-support/eventually.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-cache-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lockPathOf = (arn: string) => join(dir, "executions", executionIdOfArn(arn)!, "lock");
const released = (arn: string) => access(lockPathOf(arn)).then(() => false, () => true);

async function start(service: CheckpointService, names: string[]): Promise<string[]> {
  const arns: string[] = [];
  for (const executionName of names) arns.push((await service.startExecution({ executionName })).executionArn);
  return arns;
}

type Ticket = Awaited<ReturnType<CheckpointService["beginInvocation"]>>;

/**
 * One invocation (begun here unless `begun`) that checkpoints a step, then suspends on a 30 s
 * wait: the store lets go of the execution soon after.
 */
async function stepThenWait(service: CheckpointService, arn: string, step: string, begun?: Ticket): Promise<void> {
  const ticket = begun ?? (await service.beginInvocation(arn));
  const updates: OperationUpdate[] = [
    { Id: step, Type: "STEP", SubType: "Step", Action: "START" },
    { Id: step, Type: "STEP", SubType: "Step", Action: "SUCCEED", Payload: JSON.stringify(step) },
    { Id: `${step}-wait`, Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: 30 } },
  ];
  await service.checkpoint({ DurableExecutionArn: arn, CheckpointToken: ticket.input.CheckpointToken, Updates: updates });
  await service.endInvocation(arn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
}

describe("FileExecutionStore records in memory", () => {
  it("keeps at most cachedRecords records of executions it let go of, and reads and writes the others from their logs", async () => {
    const store = new FileExecutionStore(dir, { cachedRecords: 2 });
    const service = new CheckpointService({ store });
    const arns = await start(service, ["a", "b", "c", "d", "e", "f"]);
    for (const arn of arns) await stepThenWait(service, arn, "first");
    for (const arn of arns) await eventually(() => released(arn), "every suspended execution is let go of");
    expect(fileStoreStats(store).cachedRecords).toBe(2);

    // Every one answers as it should, and takes a second invocation's writes, cached or not.
    for (const arn of arns) await stepThenWait(service, arn, "second");
    for (const arn of arns) await eventually(() => released(arn), "every execution is let go of again");
    expect(fileStoreStats(store).cachedRecords).toBe(2);
    const fresh = new CheckpointService({ store: new FileExecutionStore(dir) });
    for (const arn of arns) {
      const expected = ["0", "first", "first-wait", "second", "second-wait"];
      expect((await service.getOperations(arn)).map((op) => op.Id)).toEqual(expected);
      expect((await fresh.getOperations(arn)).map((op) => op.Id)).toEqual(expected);
    }
    // Reading six executions kept two of them.
    expect(fileStoreStats(store).cachedRecords).toBe(2);
  });

  it("never drops a held execution's record to make room", async () => {
    const store = new FileExecutionStore(dir, { cachedRecords: 0 });
    const service = new CheckpointService({ store });
    const arns = await start(service, ["x", "y", "z"]);
    const tickets: Ticket[] = [];
    for (const arn of arns) tickets.push(await service.beginInvocation(arn));
    // All three are held (mid-invocation): their records stay whatever the limit.
    expect(fileStoreStats(store).cachedRecords).toBe(3);
    for (const [i, arn] of arns.entries()) await stepThenWait(service, arn, `s${i}`, tickets[i]);
    for (const arn of arns) await eventually(() => released(arn), "every suspended execution is let go of");
    expect(fileStoreStats(store).cachedRecords).toBe(0);
  });

  it("counts executions that ended against the limit, and reads them right whether kept or not", async () => {
    const store = new FileExecutionStore(dir, { cachedRecords: 1 });
    const service = new CheckpointService({ store });
    const arns = await start(service, ["w", "x", "y"]);
    for (const [i, arn] of arns.entries()) {
      const ticket = await service.beginInvocation(arn);
      await service.checkpoint({
        DurableExecutionArn: arn,
        CheckpointToken: ticket.input.CheckpointToken,
        Updates: [
          { Id: "s", Type: "STEP", SubType: "Step", Action: "START" },
          { Id: "s", Type: "STEP", SubType: "Step", Action: "SUCCEED", Payload: "1" },
        ],
      });
      await service.endInvocation(arn, ticket, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result: `"${i}"` } });
    }
    for (const arn of arns) await eventually(() => released(arn), "every execution is let go of");
    expect(fileStoreStats(store).cachedRecords).toBe(1);
    const ended = await Promise.all(arns.map((arn) => service.getExecution(arn)));
    expect(ended.map((e) => [e.status, e.result])).toEqual([
      ["SUCCEEDED", '"0"'],
      ["SUCCEEDED", '"1"'],
      ["SUCCEEDED", '"2"'],
    ]);
    expect(fileStoreStats(store).cachedRecords).toBe(1);
  });

  it("refuses a cachedRecords that is not a whole number >= 0", () => {
    expect(() => new FileExecutionStore(dir, { cachedRecords: -1 })).toThrow(/cachedRecords must be a whole number >= 0 \(got -1\)/);
    expect(() => new FileExecutionStore(dir, { cachedRecords: 1.5 })).toThrow(/cachedRecords/);
  });
});
