// Settled operations let go of from memory (resident-operations.ts): the record stays small while
// a long execution runs, and everything that needs them — an invocation's initial state, listing,
// a stray update naming one — answers exactly as with every operation held.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvocationStatus } from "../../protocol/invocation.js";
import type { OperationUpdate } from "../../protocol/wire.js";
import { CheckpointService } from "../checkpoint-service.js";
import { VirtualClock } from "../clock.js";
import { executionIdOfArn } from "../ids.js";
import { MemoryExecutionStore } from "../memory-store.js";
import { evictedIdsFootprint } from "../evicted-ids/evicted-operation-ids.js";
import { FileExecutionStore } from "./file-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-file-resident-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const update = (Id: string, Type: OperationUpdate["Type"], Action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
  Id,
  Type,
  Action,
  SubType: Type === "CONTEXT" ? "MapIteration" : Type === "STEP" ? "Step" : Type === "WAIT" ? "Wait" : "Callback",
  ...extra,
});

/** A map-shaped execution: context "1", 300 item contexts each with one step, item 7 failed; then a wait. */
async function mapExecution(service: CheckpointService) {
  const { executionArn } = await service.startExecution({ executionName: "map" });
  const ticket = await service.beginInvocation(executionArn);
  let token = ticket.input.CheckpointToken;
  const send = async (Updates: OperationUpdate[]) => {
    const r = await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: token, Updates });
    token = r.CheckpointToken!;
  };
  await send([update("1", "CONTEXT", "START", { SubType: "Map" })]);
  for (let i = 1; i <= 300; i++) {
    const item = `1-${i}`;
    const step = `${item}-1`;
    const failed = i === 7;
    await send([
      update(item, "CONTEXT", "START", { ParentId: "1" }),
      update(step, "STEP", "START", { ParentId: item }),
      failed ? update(step, "STEP", "FAIL", { Error: { ErrorType: "Boom", ErrorMessage: "item 7" } }) : update(step, "STEP", "SUCCEED", { Payload: String(i) }),
      failed ? update(item, "CONTEXT", "FAIL", { Error: { ErrorType: "Boom" } }) : update(item, "CONTEXT", "SUCCEED", { Payload: String(i) }),
    ]);
  }
  await send([update("1", "CONTEXT", "SUCCEED", { SubType: "Map", Payload: "done" }), update("2", "WAIT", "START", { WaitOptions: { WaitSeconds: 1 } })]);
  return { executionArn, ticket, token, send };
}

describe("FileExecutionStore letting go of settled operations", () => {
  it("holds few operations while a long execution runs, and reads answer as if it held them all", async () => {
    const store = new FileExecutionStore(dir, { residentOperations: 16 });
    // One standing clock for both, so the two executions' timestamps agree.
    const clock = new VirtualClock(new Date("2026-01-01T00:00:00Z"));
    const service = new CheckpointService({ store, clock });
    const memory = new CheckpointService({ store: new MemoryExecutionStore(), clock });
    const { executionArn, ticket } = await mapExecution(service);
    const expected = await mapExecution(memory);
    const id = executionIdOfArn(executionArn)!;

    const held = await store.read(id, (record) => ({
      size: record.operations.size,
      evicted: record.evicted?.size ?? 0,
      footprint: record.evicted && evictedIdsFootprint(record.evicted),
    }));
    expect(held!.size).toBeLessThanOrEqual(32);
    expect(held!.evicted).toBeGreaterThan(500);
    // The items' ids are kept as a few runs of positions, not one hash each.
    expect(held!.footprint!.hashed).toBe(0);
    expect(held!.footprint!.runs).toBeLessThanOrEqual(8);

    // Listing, lookups by id (held or not) and paging load the record whole.
    expect(await service.getOperations(executionArn)).toEqual(await memory.getOperations(expected.executionArn));
    expect((await service.getOperations(executionArn, { ids: ["1-7-1", "1-300", "nope"] })).map((op) => [op.Id, op.Status])).toEqual([
      ["1-7-1", "FAILED"],
      ["1-300", "SUCCEEDED"],
    ]);
    const pages: string[] = [];
    let marker: string | undefined;
    do {
      const page = await service.getExecutionState({ DurableExecutionArn: executionArn, CheckpointToken: ticket.input.CheckpointToken, Marker: marker, MaxItems: 100 });
      pages.push(...page.Operations!.map((op) => op.Id));
      marker = page.NextMarker;
    } while (marker);
    expect(pages).toEqual((await memory.getOperations(expected.executionArn)).map((op) => op.Id));
    expect(await service.getHistory(executionArn)).toHaveLength((await memory.getHistory(expected.executionArn)).length);
  });

  it("refuses a stray update naming a settled operation exactly as when it is held", async () => {
    const file = await mapExecution(new CheckpointService({ store: new FileExecutionStore(dir, { residentOperations: 0 }) }));
    const memory = await mapExecution(new CheckpointService({ store: new MemoryExecutionStore() }));
    const stray: OperationUpdate[][] = [
      [update("1-5-1", "STEP", "START", { ParentId: "1-5" })], // a settled step, under its settled item
      [update("1-5-1", "STEP", "START")], // the same without its parent: not a new root operation
      [update("1-9", "CONTEXT", "START", { ParentId: "1" })], // a settled context started again
      [update("1-7-2", "STEP", "START", { ParentId: "1-7" })], // a new step under a failed item
      [update("1-5-1", "WAIT", "START", { WaitOptions: { WaitSeconds: 1 } })], // another type
    ];
    for (const updates of stray) {
      const outcome = async (run: typeof file) => {
        try {
          await run.send(updates);
          return "accepted";
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      };
      const fromMemory = await outcome(memory);
      expect(fromMemory).not.toBe("accepted");
      expect(await outcome(file)).toBe(fromMemory.replace(memory.executionArn, file.executionArn));
    }
  });

  it("gives a resumed invocation every operation, then lets go of them again as it commits", async () => {
    const store = new FileExecutionStore(dir, { residentOperations: 16 });
    const service = new CheckpointService({ store });
    const { executionArn, ticket } = await mapExecution(service);
    await service.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });

    // Another process (a new store) resumes it.
    const resumed = new CheckpointService({ store: new FileExecutionStore(dir, { residentOperations: 16 }), initialPageSize: 50 });
    const next = await resumed.beginInvocation(executionArn);
    const seen = [...next.input.InitialExecutionState!.Operations!.map((op) => op.Id)];
    let marker = next.input.InitialExecutionState!.NextMarker;
    while (marker) {
      const page = await resumed.getExecutionState({ DurableExecutionArn: executionArn, CheckpointToken: next.input.CheckpointToken, Marker: marker });
      seen.push(...page.Operations!.map((op) => op.Id));
      marker = page.NextMarker;
    }
    expect(seen).toHaveLength(2 + 300 * 2 + 1);
    expect(new Set(seen).size).toBe(seen.length);
    await resumed.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: next.input.CheckpointToken, Updates: [update("3", "STEP", "START")] });
    const size = await (resumed as unknown as { store: FileExecutionStore }).store.read(executionIdOfArn(executionArn)!, (r) => r.operations.size);
    expect(size).toBeLessThanOrEqual(32);
  });

  it("rejects a bad residentOperations", () => {
    expect(() => new FileExecutionStore(dir, { residentOperations: -1 })).toThrow(/residentOperations must be a whole number >= 0/);
  });
});
