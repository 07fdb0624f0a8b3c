import { ValidationError } from "../errors/validation-error.js";
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

/** Rejects a configured backend that lacks either method, naming the config field. */
export function checkBackend(value: unknown, field: "backend" | "durableExecutionClient"): void {
  if (value === undefined) return;
  const candidate = value as Partial<Record<keyof CheckpointBackend, unknown>> | null;
  const missing = (["getExecutionState", "checkpoint"] as const).filter((m) => typeof candidate?.[m] !== "function");
  if (typeof value !== "object" || value === null || missing.length > 0) {
    throw new ValidationError(
      `withDurableExecution: ${field} must be an object with getExecutionState(request) and checkpoint(request) methods` +
        (missing.length > 0 && typeof value === "object" && value !== null ? ` (missing ${missing.join(", ")}).` : `; got ${value === null ? "null" : typeof value}.`),
    );
  }
}
