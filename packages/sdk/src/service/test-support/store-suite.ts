// One behavioural suite for every ExecutionStore: whatever the store, the service must behave
// identically. Each store's test file calls describeStoreBehaviour with a factory.
import { afterEach, describe, expect, it } from "vitest";
import { InvocationStatus } from "../../protocol/invocation.js";
import type { OperationUpdate } from "../../protocol/wire.js";
import { CheckpointService } from "../checkpoint-service.js";
import {
  ExecutionAlreadyExistsError,
  ExecutionNotFoundError,
  InvalidCheckpointError,
  InvalidRequestError,
  StaleCheckpointTokenError,
} from "../errors.js";
import { EXECUTION_OPERATION_ID } from "../execution-record.js";
import type { ExecutionStore } from "../execution-store.js";
import { VirtualClock } from "../clock.js";

export interface StoreHarness {
  store: ExecutionStore;
  /** A fresh store over the same backing data (a new process, for durable stores). */
  reopen(): ExecutionStore;
  cleanup(): Promise<void>;
}

const step = (id: string, action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
  Id: id,
  Type: "STEP",
  SubType: "Step",
  Action: action,
  ...extra,
});

export function describeStoreBehaviour(storeName: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`CheckpointService on ${storeName}`, () => {
    let harness: StoreHarness | undefined;
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
    });

    async function setup() {
      harness = await makeHarness();
      const clock = new VirtualClock(new Date("2025-01-01T00:00:00.000Z"));
      const service = new CheckpointService({ store: harness.store, clock });
      return { service, clock, harness };
    }

    it("starts executions idempotently by name", async () => {
      const { service } = await setup();
      const a = await service.startExecution({ executionName: "order-1", input: '{"n":1}', functionName: "fn" });
      expect(a).toMatchObject({ executionName: "order-1", status: "RUNNING", invocationCount: 0, functionName: "fn" });
      expect(a.executionArn).toMatch(/^arn:cairn:local:execution\/order-1\/[0-9A-Z]{26}$/);
      const again = await service.startExecution({ executionName: "order-1", input: '{"n":1}' });
      expect(again.executionArn).toBe(a.executionArn);
      await expect(service.startExecution({ executionName: "order-1", input: '{"n":2}' })).rejects.toThrow(
        ExecutionAlreadyExistsError,
      );
      const unnamed = await service.startExecution({});
      expect(unnamed.executionArn).not.toBe(a.executionArn);
      const list = await service.listExecutions();
      expect(list.map((s) => s.executionArn)).toEqual([a.executionArn, unnamed.executionArn]);
      await expect(service.startExecution({ executionName: "a/b" })).rejects.toThrow(InvalidRequestError);
    });

    it("looks a name up only when one was given, and create alone keeps a taken name its owner's", async () => {
      const { harness, clock } = await setup();
      let lookups = 0;
      let lookupsMiss = false;
      // The store as the service sees it, with findByName counted (and, later, made to miss).
      const counted = new Proxy(harness.store, {
        get(target, key) {
          if (key === "findByName") {
            return async (name: string) => {
              lookups++;
              return lookupsMiss ? undefined : target.findByName(name);
            };
          }
          const value = Reflect.get(target, key) as unknown;
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const service = new CheckpointService({ store: counted, clock });
      await service.startExecution({ input: "{}" });
      expect(lookups).toBe(0);
      const owner = await service.startExecution({ executionName: "taken", input: '"a"' });
      expect(lookups).toBe(1);
      // A lookup that misses (as for a fresh name, which skips it) leaves the claim to create.
      lookupsMiss = true;
      expect((await service.startExecution({ executionName: "taken", input: '"a"' })).executionArn).toBe(owner.executionArn);
      await expect(service.startExecution({ executionName: "taken", input: '"b"' })).rejects.toThrow(ExecutionAlreadyExistsError);
      expect((await service.getExecution(owner.executionArn)).input).toBe('"a"');
      expect(await service.listExecutions()).toHaveLength(2);
    });

    it("reports unknown executions", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({ executionName: "x" });
      await expect(service.getExecution("arn:cairn:local:execution/x/nope")).rejects.toThrow(ExecutionNotFoundError);
      await expect(service.getExecution(executionArn.replace("/x/", "/y/"))).rejects.toThrow(ExecutionNotFoundError);
      await expect(service.beginInvocation("arn:cairn:local:execution/x/01JAAAAAAAAAAAAAAAAAAAAAAA")).rejects.toThrow(
        ExecutionNotFoundError,
      );
    });

    it("runs a whole execution and keeps it across a reopen", async () => {
      const { service, clock, harness } = await setup();
      const { executionArn } = await service.startExecution({ executionName: "run", input: '"in"' });
      const ticket = await service.beginInvocation(executionArn);
      expect(ticket.input.InitialExecutionState.Operations).toEqual([
        expect.objectContaining({ Id: EXECUTION_OPERATION_ID, Type: "EXECUTION", ExecutionDetails: { InputPayload: '"in"' } }),
      ]);
      clock.advance(1_000);
      const response = await service.checkpoint({
        DurableExecutionArn: executionArn,
        CheckpointToken: ticket.input.CheckpointToken,
        Updates: [step("1", "START"), step("1", "SUCCEED", { Payload: '"one"' })],
      });
      expect(response.CheckpointToken).toBeTruthy();
      // The caller knows what it wrote; only service-assigned values come back.
      expect(response.NewExecutionState?.Operations).toEqual([]);

      clock.advance(1_000);
      const summary = await service.endInvocation(executionArn, ticket, {
        kind: "returned",
        output: { Status: InvocationStatus.SUCCEEDED, Result: '"done"' },
      });
      expect(summary).toMatchObject({ status: "SUCCEEDED", result: '"done"', invocationCount: 1 });

      const fresh = new CheckpointService({ store: harness.reopen(), clock });
      const history = await fresh.getHistory(executionArn);
      expect(history.map((e) => e.EventType)).toEqual([
        "ExecutionStarted",
        "StepStarted",
        "StepSucceeded",
        "InvocationCompleted",
        "ExecutionSucceeded",
      ]);
      expect(history.every((e) => e.EventTimestamp instanceof Date)).toBe(true);
      expect(history[3]?.InvocationCompletedDetails?.StartTimestamp).toEqual(new Date("2025-01-01T00:00:00.000Z"));
      const ops = await fresh.getOperations(executionArn);
      expect(ops.map((op) => [op.Id, op.Status])).toEqual([
        [EXECUTION_OPERATION_ID, "SUCCEEDED"],
        ["1", "SUCCEEDED"],
      ]);
      expect(ops[1]?.EndTimestamp).toEqual(new Date("2025-01-01T00:00:01.000Z"));
      expect(await fresh.getExecution(executionArn)).toEqual(summary);
    });

    it("fences stale tokens and tickets", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({});
      const first = await service.beginInvocation(executionArn);
      const second = await service.beginInvocation(executionArn);
      await expect(
        service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: first.input.CheckpointToken, Updates: [step("1", "START")] }),
      ).rejects.toThrow(StaleCheckpointTokenError);
      await expect(service.endInvocation(executionArn, first, { kind: "crashed", error: {} })).rejects.toThrow(
        StaleCheckpointTokenError,
      );
      const r1 = await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: second.input.CheckpointToken });
      await expect(
        service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: second.input.CheckpointToken }),
      ).rejects.toThrow(StaleCheckpointTokenError);
      await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: r1.CheckpointToken! });
      await expect(
        service.getExecutionState({ DurableExecutionArn: executionArn, CheckpointToken: first.input.CheckpointToken }),
      ).rejects.toThrow(StaleCheckpointTokenError);
      const state = await service.getExecutionState({ DurableExecutionArn: executionArn, CheckpointToken: second.input.CheckpointToken });
      expect(state.Operations).toHaveLength(1);
    });

    it("lets exactly one of several concurrent checkpoints with the same token win", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({});
      const ticket = await service.beginInvocation(executionArn);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          service.checkpoint({
            DurableExecutionArn: executionArn,
            CheckpointToken: ticket.input.CheckpointToken,
            Updates: [step(String(i + 1), "START")],
          }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(StaleCheckpointTokenError);
      }
      expect(await service.getOperations(executionArn)).toHaveLength(2);
    });

    it("stores nothing of a rejected batch", async () => {
      const { service, harness } = await setup();
      const { executionArn } = await service.startExecution({});
      const ticket = await service.beginInvocation(executionArn);
      await expect(
        service.checkpoint({
          DurableExecutionArn: executionArn,
          CheckpointToken: ticket.input.CheckpointToken,
          Updates: [step("1", "START"), step("2", "SUCCEED")],
        }),
      ).rejects.toThrow(InvalidCheckpointError);
      const fresh = new CheckpointService({ store: harness.reopen() });
      expect(await fresh.getOperations(executionArn)).toHaveLength(1);
      expect(await fresh.getHistory(executionArn)).toHaveLength(1);
      // The token was not consumed.
      await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: ticket.input.CheckpointToken });
    });

    it("answers a checkpoint with the values only the service assigns", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({});
      const ticket = await service.beginInvocation(executionArn);
      const response = await service.checkpoint({
        DurableExecutionArn: executionArn,
        CheckpointToken: ticket.input.CheckpointToken,
        Updates: [step("1", "START"), { Id: "2", Type: "CALLBACK", SubType: "Callback", Action: "START" }],
      });
      expect(response.NewExecutionState?.Operations).toEqual([
        expect.objectContaining({ Id: "2", Type: "CALLBACK", CallbackDetails: { CallbackId: expect.stringMatching(/^[0-9A-Z]{26}\.2\.[A-Za-z0-9_-]{22}$/) } }),
      ]);
    });

    it("reads the operations asked for by id", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({});
      const ticket = await service.beginInvocation(executionArn);
      await service.checkpoint({
        DurableExecutionArn: executionArn,
        CheckpointToken: ticket.input.CheckpointToken,
        Updates: [step("1", "START"), step("2", "START"), step("3", "START")],
      });
      const picked = await service.getOperations(executionArn, { ids: ["3", "nope", "1"] });
      expect(picked.map((op) => op.Id)).toEqual(["3", "1"]);
      expect((await service.getOperations(executionArn)).map((op) => op.Id)).toEqual([EXECUTION_OPERATION_ID, "1", "2", "3"]);
    });

    it("never hands out stored objects", async () => {
      const { service } = await setup();
      const { executionArn } = await service.startExecution({ input: "1" });
      const ticket = await service.beginInvocation(executionArn);
      const response = await service.checkpoint({
        DurableExecutionArn: executionArn,
        CheckpointToken: ticket.input.CheckpointToken,
        Updates: [step("1", "START"), { Id: "2", Type: "CALLBACK", SubType: "Callback", Action: "START" }],
      });
      response.NewExecutionState!.Operations![0]!.Status = "FAILED";
      ticket.input.InitialExecutionState.Operations[0]!.ExecutionDetails!.InputPayload = "evil";
      (await service.getOperations(executionArn))[1]!.StepDetails!.Attempt = 99;
      (await service.getHistory(executionArn))[0]!.ExecutionStartedDetails!.Input!.Payload = "evil";
      const summary = await service.getExecution(executionArn);
      summary.startTimestamp.setTime(0);

      const ops = await service.getOperations(executionArn);
      expect(ops[0]?.ExecutionDetails?.InputPayload).toBe("1");
      expect(ops[1]).toMatchObject({ Status: "STARTED", StepDetails: { Attempt: 1 } });
      expect(ops[2]).toMatchObject({ Type: "CALLBACK", Status: "STARTED" });
      expect((await service.getHistory(executionArn))[0]?.ExecutionStartedDetails?.Input?.Payload).toBe("1");
      expect((await service.getExecution(executionArn)).startTimestamp.getTime()).not.toBe(0);
    });

    it("pages state and fires timers on the service clock", async () => {
      const { service, clock, harness } = await setup();
      const { executionArn } = await service.startExecution({});
      let ticket = await service.beginInvocation(executionArn);
      const updates = Array.from({ length: 1500 }, (_, i) => step(String(i + 1), "START"));
      updates.push({ Id: "w", Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: 30 } });
      await service.checkpoint({ DurableExecutionArn: executionArn, CheckpointToken: ticket.input.CheckpointToken, Updates: updates });
      await service.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });

      expect(await service.nextTimer(executionArn)).toEqual(new Date("2025-01-01T00:00:30.000Z"));
      clock.advance(29_000);
      expect(await service.fireDueTimers(executionArn)).toEqual([]);
      clock.advance(1_000);
      expect(await service.fireDueTimers(executionArn)).toEqual(["w"]);
      expect(await service.nextTimer(executionArn)).toBeUndefined();

      ticket = await service.beginInvocation(executionArn);
      const { Operations, NextMarker } = ticket.input.InitialExecutionState;
      expect(Operations).toHaveLength(1000);
      const rest = await service.getExecutionState({
        DurableExecutionArn: executionArn,
        CheckpointToken: ticket.input.CheckpointToken,
        Marker: NextMarker,
      });
      expect(rest.NextMarker).toBeUndefined();
      expect([...Operations, ...rest.Operations].map((op) => op.Id).slice(-2)).toEqual(["1500", "w"]);
      expect(rest.Operations.at(-1)).toMatchObject({ Status: "SUCCEEDED" });

      const reopened = new CheckpointService({ store: harness.reopen(), clock });
      expect((await reopened.getHistory(executionArn)).map((e) => e.EventType).slice(-2)).toEqual([
        "InvocationCompleted",
        "WaitSucceeded",
      ]);
      expect(await reopened.getExecution(executionArn)).toMatchObject({ invocationCount: 2, status: "RUNNING" });
    });

    it("keeps a blocked execution's marker across a reopen, bumps it, and clears it when an invocation gets past it", async () => {
      const { service, clock, harness } = await setup();
      const { executionArn } = await service.startExecution({});
      const mismatch = { kind: "returned" as const, output: { Status: InvocationStatus.FAILED, Error: { ErrorType: "NonDeterministicExecutionError", ErrorMessage: "diverged" } } };
      let ticket = await service.beginInvocation(executionArn);
      await service.endInvocation(executionArn, ticket, { ...mismatch, blockedBy: { operationId: "2-1", message: "diverged" } });
      const since = clock.now();
      clock.advance(5_000);

      let reopened = new CheckpointService({ store: harness.reopen(), clock });
      const blocked = (await reopened.getExecution(executionArn)).blocked;
      expect(blocked).toEqual({
        reason: "NonDeterministicExecution",
        operationId: "2-1",
        message: "diverged",
        since,
        attempts: 1,
        retryAt: new Date(since.getTime() + 1000),
      });
      expect(blocked?.retryAt).toBeInstanceOf(Date);
      expect(await reopened.wakeAt(executionArn)).toEqual(new Date(since.getTime() + 1000));

      ticket = await reopened.beginInvocation(executionArn);
      await reopened.endInvocation(executionArn, ticket, { ...mismatch, blockedBy: { operationId: "2-1", message: "again" } });
      reopened = new CheckpointService({ store: harness.reopen(), clock });
      expect((await reopened.getExecution(executionArn)).blocked).toMatchObject({
        attempts: 2,
        message: "again",
        since,
        retryAt: new Date(clock.now().getTime() + 2000),
      });

      ticket = await reopened.beginInvocation(executionArn);
      await reopened.endInvocation(executionArn, ticket, { kind: "returned", output: { Status: InvocationStatus.PENDING } });
      reopened = new CheckpointService({ store: harness.reopen(), clock });
      const after = await reopened.getExecution(executionArn);
      expect(after.status).toBe("RUNNING");
      expect(after.blocked).toBeUndefined();
      expect((await reopened.listExecutions()).find((e) => e.executionArn === executionArn)?.blocked).toBeUndefined();
    });
  });
}
