// Helpers for driving the pure core directly in tests.
import type { OperationUpdate } from "../../protocol/wire.js";
import { planCheckpoint, type CheckpointPlan } from "../apply-checkpoint.js";
import type { CoreContext } from "../core-context.js";
import { applyMutation, createEmptyRecord, type ExecutionRecord } from "../execution-record.js";
import type { IdSource } from "../ids.js";
import { planBeginInvocation, planStartExecution } from "../invocation-lifecycle.js";
import type { InvocationTicket } from "../service-api.js";

export const T0 = new Date("2025-01-01T00:00:00.000Z");
export const EXECUTION_ID = "01JAAAAAAAAAAAAAAAAAAAAAAA";

/** Deterministic, readable ids: tok-1, req-1, cb-1, ... */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    invocationKey: () => `inv${++n}`,
    tokenSecret: () => `secret${++n}`,
    requestId: () => `req-${++n}`,
    callbackSecret: () => `cb${++n}`,
  };
}

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

/** A record driven through the core, tracking the current token like an engine would. */
export class CoreHarness {
  readonly record: ExecutionRecord = createEmptyRecord(EXECUTION_ID);
  readonly ids = sequentialIds();
  token = "";
  ticket: InvocationTicket | undefined;

  constructor(input: string | undefined = '"hello"') {
    applyMutation(
      this.record,
      planStartExecution({ executionId: EXECUTION_ID, executionName: "test", input }, this.ctx(0)),
    );
  }

  ctx(seconds: number): CoreContext {
    return { now: at(seconds), ids: this.ids };
  }

  begin(seconds = 0): InvocationTicket {
    const { mutation, ticket } = planBeginInvocation(this.record, this.ctx(seconds));
    applyMutation(this.record, mutation);
    this.token = ticket.input.CheckpointToken;
    this.ticket = ticket;
    return ticket;
  }

  checkpoint(updates: OperationUpdate[], seconds = 0): CheckpointPlan {
    const plan = planCheckpoint(this.record, this.token, updates, this.ctx(seconds));
    applyMutation(this.record, plan.mutation);
    this.token = plan.checkpointToken;
    return plan;
  }

  op(id: string) {
    return this.record.operations.get(id);
  }

  eventTypes(): string[] {
    return this.record.history!.map((e) => e.EventType);
  }
}

export const step = (id: string, action: OperationUpdate["Action"], extra: Partial<OperationUpdate> = {}): OperationUpdate => ({
  Id: id,
  Type: "STEP",
  SubType: "Step",
  Action: action,
  ...extra,
});

export const context = (
  id: string,
  action: OperationUpdate["Action"],
  extra: Partial<OperationUpdate> = {},
): OperationUpdate => ({ Id: id, Type: "CONTEXT", SubType: "RunInChildContext", Action: action, ...extra });

export const wait = (id: string, action: OperationUpdate["Action"], seconds?: number): OperationUpdate => ({
  Id: id,
  Type: "WAIT",
  SubType: "Wait",
  Action: action,
  ...(seconds === undefined ? {} : { WaitOptions: { WaitSeconds: seconds } }),
});
