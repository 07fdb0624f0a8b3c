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
  getExecutionState(request: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse>;
  checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse>;
}

/**
 * The AWS SDK's name for the same interface. Its methods also take an optional logger, which a
 * client may declare: Cairn calls them with the request only.
 */
export type DurableExecutionClient = CheckpointBackend;
