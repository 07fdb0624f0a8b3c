import type { ErrorObject, Operation } from "./wire.js";

/** What the orchestrator (Lambda, the local runner, a worker) passes to a durable handler. */
export interface DurableExecutionInvocationInput {
  /** The execution to run. */
  DurableExecutionArn: string;
  /** The token for the invocation's first checkpoint. */
  CheckpointToken: string;
  /** Operations completed outside any invocation since the last one (a wait ended, a callback answered); plugins are told about them. */
  UpdatedOperationIds?: string[] | undefined;
  /** The checkpointed operations, first page; the engine reads further pages through the backend. */
  InitialExecutionState: {
    /** The operations of this page, the EXECUTION first. */
    Operations: Operation[];
    /** Present when more pages follow. */
    NextMarker?: string | undefined;
  };
}

/** How an invocation ended. */
export enum InvocationStatus {
  /** The handler returned: the execution succeeded. */
  SUCCEEDED = "SUCCEEDED",
  /** The handler threw (or the execution failed): the execution failed. */
  FAILED = "FAILED",
  /**
   * The execution suspended (a wait, a retry, a callback, an invoke, a yield before the timeout); a
   * later invocation carries on.
   */
  PENDING = "PENDING",
}

/** What a durable handler returns to the orchestrator. */
export type DurableExecutionInvocationOutput =
  | {
      /** The execution succeeded. */
      Status: InvocationStatus.SUCCEEDED;
      /** The handler's result as JSON (absent for `undefined`). */
      Result?: string | undefined;
    }
  | {
      /** The execution failed. */
      Status: InvocationStatus.FAILED;
      /** Why. */
      Error: ErrorObject;
    }
  | {
      /** Invoke again later. */
      Status: InvocationStatus.PENDING;
    };
