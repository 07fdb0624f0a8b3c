// A new execution's name claim is its first lock file, linked into names/: one file created
// instead of two. What must hold: the claim says which execution owns the name before and after
// the lock is let go of, a later holder's lock is a file of its own, and stores written before
// (a separate claim file holding only {"id","name"}) read and remove as ever.
import { access, link, mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvocationStatus } from "../../protocol/invocation.js";
import { CheckpointService } from "../checkpoint-service.js";
import { executionIdOfArn } from "../ids.js";
import { eventually } from "../test-support/eventually.js";
import { step } from "../test-support/step-update.js";
import { fileStoreStats, FileExecutionStore } from "./file-store.js";
import { claimPath } from "./name-claims.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-claims-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const executionDir = (arn: string) => join(dir, "executions", executionIdOfArn(arn)!);
const lockPathOf = (arn: string) => join(executionDir(arn), "lock");
const released = (arn: string) => access(lockPathOf(arn)).then(() => false, () => true);

async function finish(service: CheckpointService, arn: string): Promise<void> {
  const ticket = await service.beginInvocation(arn);
  await service.checkpoint({
    DurableExecutionArn: arn,
    CheckpointToken: ticket.input.CheckpointToken,
    Updates: [step("s", "START"), step("s", "SUCCEED", '"ok"')],
  });
  await service.endInvocation(arn, ticket, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result: '"done"' } });
}

describe("FileExecutionStore name claims", () => {
  it("claims a new execution's name with its lock file, which stays the claim once the lock is let go of", async () => {
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    const { executionArn } = await service.startExecution({ executionName: "order-été-1" });
    const id = executionIdOfArn(executionArn)!;
    const claim = claimPath(dir, "order-été-1");

    // Held from creation: the claim and the lock are one file, and there is no other.
    const [claimStat, lockStat] = await Promise.all([stat(claim), stat(lockPathOf(executionArn))]);
    expect(claimStat.ino).toBe(lockStat.ino);
    expect(claimStat.nlink).toBe(2);
    expect((await readdir(executionDir(executionArn))).sort()).toEqual(["lock", "log"]);
    const content = JSON.parse(await readFile(claim, "utf8"));
    expect(content).toMatchObject({ id, name: "order-été-1", pid: process.pid });

    // Let go of (idle): the lock's entry goes, the claim stays as it was.
    await eventually(() => released(executionArn), "the idle execution's lock is let go of");
    expect(JSON.parse(await readFile(claim, "utf8"))).toEqual(content);
    expect((await stat(claim)).nlink).toBe(1);

    // Another instance finds it by name and takes a lock of its own: a new file, not the claim.
    const other = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await other.startExecution({ executionName: "order-été-1" })).executionArn).toBe(executionArn);
    const ticket = await other.beginInvocation(executionArn);
    expect((await stat(lockPathOf(executionArn))).ino).not.toBe(claimStat.ino);
    await other.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result: '"done"' } });
    await expect(access(lockPathOf(executionArn))).rejects.toThrow();
    expect(JSON.parse(await readFile(claim, "utf8"))).toEqual(content);
    expect((await other.getExecution(executionArn)).status).toBe("SUCCEEDED");
  });

  it("keeps a new execution held: linking its claim is not taken for a waiter's nudge", async () => {
    const store = new FileExecutionStore(dir);
    const service = new CheckpointService({ store });
    const { executionArn } = await service.startExecution({ executionName: "held" });
    const lockIno = (await stat(lockPathOf(executionArn))).ino;
    // A new execution is kept for a second while it waits for its first invocation. Touching the
    // store's nudge file makes the next sweep (20 ms) compare every held lock file with its stamp:
    // had the stamp been taken before the link (which changes the file's ctime), the sweep would
    // see a waiter and let go of the execution at once.
    await writeFile(join(dir, "nudge"), "");
    await eventually(async () => fileStoreStats(store).lockChecks > 0, "the held lock file is compared");
    expect((await stat(lockPathOf(executionArn))).ino).toBe(lockIno);
    const ticket = await service.beginInvocation(executionArn);
    expect(fileStoreStats(store).lockAcquisitions).toBe(0);
    await service.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.SUCCEEDED, Result: "1" } });
  });

  it("reads, runs and removes an execution whose claim was written by an earlier version", async () => {
    const service = new CheckpointService({ store: new FileExecutionStore(dir) });
    const { executionArn } = await service.startExecution({ executionName: "old-style" });
    const id = executionIdOfArn(executionArn)!;
    await eventually(() => released(executionArn), "the idle execution's lock is let go of");
    // The earlier layout: the claim is executions/<id>/name, holding only the id and the name.
    const claim = claimPath(dir, "old-style");
    const nameFile = join(executionDir(executionArn), "name");
    await unlink(claim);
    await writeFile(nameFile, JSON.stringify({ id, name: "old-style" }));
    await link(nameFile, claim);

    const reopened = new CheckpointService({ store: new FileExecutionStore(dir) });
    expect((await reopened.startExecution({ executionName: "old-style" })).executionArn).toBe(executionArn);
    await finish(reopened, executionArn);
    expect((await reopened.listExecutions()).map((e) => e.executionArn)).toEqual([executionArn]);
    expect((await reopened.getExecution(executionArn)).status).toBe("SUCCEEDED");
  });

  it("leaves nothing of a new execution whose name another took first", async () => {
    const first = new CheckpointService({ store: new FileExecutionStore(dir) });
    const winner = (await first.startExecution({ executionName: "taken" })).executionArn;
    // A second instance creates its own execution and only then meets the claim (create, not the
    // service's look-up by name first).
    const second = new FileExecutionStore(dir);
    const loser = await second.create("01J0000000000000000000ZZZZ", "taken", {
      seq: 1,
      summary: {
        executionArn: "arn:cairn:local:execution/taken/01J0000000000000000000ZZZZ",
        executionName: "taken",
        status: "RUNNING",
        startTimestamp: new Date(),
        invocationCount: 0,
      },
    } as never);
    expect(loser).toBe(executionIdOfArn(winner));
    expect(await readdir(join(dir, "executions"))).toEqual([executionIdOfArn(winner)]);
    expect(JSON.parse(await readFile(claimPath(dir, "taken"), "utf8"))).toMatchObject({ id: executionIdOfArn(winner) });
  });
});
