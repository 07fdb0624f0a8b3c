import type {
  CheckpointDurableExecutionRequest,
  CheckpointDurableExecutionResponse,
  GetDurableExecutionStateRequest,
  GetDurableExecutionStateResponse,
} from "./wire.js";

/**
 * The only thing the engine knows about storage. Memory, file, DynamoDB and the Lambda service
 * all sit behind it, so one replay engine serves every store.
 *
 * Same shape as the AWS SDK's `DurableExecutionClient`, so either can be passed where the other is
 * expected.
 */
export interface CheckpointBackend {
  /**
   * Reads a page of the execution's checkpointed operations (the pages after the invocation input's
   * first).
   */
  getExecutionState(request: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse>;
  /**
   * Stores updates and returns the next checkpoint token and what changed on the service side (waits
   * that ended, callbacks answered). A rejection stops the invocation with a CheckpointFailedError; it fails the execution only when the error says retrying cannot help.
   */
  checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse>;
}

/**
 * The AWS SDK's name for the same interface. Its methods also take an optional logger, which a
 * client may declare: Cairn calls them with the request only.
 */
export type DurableExecutionClient = CheckpointBackend;
