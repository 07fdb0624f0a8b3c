import type { ErrorObject, Operation } from "./wire.js";

/** What the orchestrator (Lambda, the local runner, a worker) passes to a durable handler. */
export interface DurableExecutionInvocationInput {
  DurableExecutionArn: string;
  CheckpointToken: string;
  UpdatedOperationIds?: string[] | undefined;
  InitialExecutionState: {
    Operations: Operation[];
    NextMarker?: string | undefined;
  };
}

export enum InvocationStatus {
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  PENDING = "PENDING",
}

export type DurableExecutionInvocationOutput =
  | { Status: InvocationStatus.SUCCEEDED; Result?: string | undefined }
  | { Status: InvocationStatus.FAILED; Error: ErrorObject }
  | { Status: InvocationStatus.PENDING };
