// An invocation input that brings its own checkpoint backend: how a harness that calls an already
// configured handler (it cannot change the handler's config) points it at a backend of its own.
import type { DurableExecutionClient } from "../protocol/backend.js";
import type { DurableExecutionInvocationInput } from "../protocol/invocation.js";

const TAG = "DurableExecutionInvocationInputWithClient";

/**
 * An invocation input carrying the backend its invocation checkpoints through. The handler uses
 * that backend instead of its config's `backend` / `durableExecutionClient` (an in-process
 * orchestrator's own backend still comes first).
 *
 * @example
 * ```ts
 * const output = await handler(new DurableExecutionInvocationInputWithClient(input, myBackend), lambdaContext);
 * ```
 */
export class DurableExecutionInvocationInputWithClient implements DurableExecutionInvocationInput {
  /** Where this invocation's checkpoints go. */
  readonly durableExecutionClient: DurableExecutionClient;
  /** As DurableExecutionInvocationInput. */
  readonly InitialExecutionState: DurableExecutionInvocationInput["InitialExecutionState"];
  /** As DurableExecutionInvocationInput. */
  readonly DurableExecutionArn: string;
  /** As DurableExecutionInvocationInput. */
  readonly CheckpointToken: string;
  /** As DurableExecutionInvocationInput. */
  readonly UpdatedOperationIds?: string[] | undefined;

  constructor(params: DurableExecutionInvocationInput, durableExecutionClient: DurableExecutionClient) {
    this.durableExecutionClient = durableExecutionClient;
    this.InitialExecutionState = params.InitialExecutionState;
    this.DurableExecutionArn = params.DurableExecutionArn;
    this.CheckpointToken = params.CheckpointToken;
    if (params.UpdatedOperationIds !== undefined) this.UpdatedOperationIds = params.UpdatedOperationIds;
  }

  /**
   * Whether `event` is one: an instance of this class, or of a copy of it loaded twice (a bundle
   * beside a `node_modules` copy), or of the AWS SDK's class of the same name.
   */
  static isInstance(event: unknown): event is DurableExecutionInvocationInputWithClient {
    if (event instanceof DurableExecutionInvocationInputWithClient) return true;
    return (
      typeof event === "object" &&
      event !== null &&
      Object.prototype.toString.call(event) === `[object ${TAG}]` &&
      "durableExecutionClient" in event
    );
  }

  /** `"DurableExecutionInvocationInputWithClient"`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return TAG;
  }
}
