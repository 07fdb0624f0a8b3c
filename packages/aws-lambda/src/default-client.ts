import { LambdaClient } from "@aws-sdk/client-lambda";

let shared: LambdaClient | undefined;

/**
 * One client per process, created on first use and kept across invocations of a warm function.
 * Region and credentials come from the Lambda environment as usual. The client's own retries are
 * off: the backend retries throttling and server errors itself, so that it alone decides when
 * to give up and end the invocation.
 */
export function defaultLambdaClient(): LambdaClient {
  shared ??= new LambdaClient({ maxAttempts: 1 });
  return shared;
}
