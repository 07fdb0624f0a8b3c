// The AWS SDK's name for the Lambda checkpoint backend, with its constructor, so code that builds
// one ports by changing its import.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { LambdaCheckpointBackend } from "./lambda-checkpoint-backend.js";

/**
 * A {@link LambdaCheckpointBackend} made the way the AWS SDK makes its `DurableExecutionApiClient`:
 * from an optional `LambdaClient` (default: the process's shared client). Pass it as
 * `durableExecutionClient` (or `backend`), or hand it to a harness in a
 * `DurableExecutionInvocationInputWithClient`.
 *
 * @example
 * ```ts
 * const client = new DurableExecutionApiClient(new LambdaClient({ region: "eu-west-1" }));
 * export const handler = withDurableExecution(workflow, { durableExecutionClient: client });
 * ```
 */
export class DurableExecutionApiClient extends LambdaCheckpointBackend {
  constructor(client?: LambdaClient) {
    super(client === undefined ? {} : { client });
  }
}
