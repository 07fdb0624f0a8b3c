/**
 * How the cloud runner invokes the function, with the members of `InvocationType` in
 * `@aws-sdk/client-lambda` (which the AWS testing library re-exports).
 * - `RequestResponse`: Invoke answers when the durable execution has finished (the default).
 * - `Event`: Invoke answers at once; the runner then follows the execution by polling, so a test
 *   can wait for operations and answer callbacks while it runs.
 * - `DryRun`: only checks the request; starts no execution (so `run` fails: there is no ARN).
 */
export const InvocationType = {
  /** Only checks the request; starts no execution. */
  DryRun: "DryRun",
  /** Answers at once; the runner follows the execution by polling its history. */
  Event: "Event",
  /** Answers when the execution has finished (the default). */
  RequestResponse: "RequestResponse",
} as const;
/** One of {@link InvocationType}'s values. */
export type InvocationType = (typeof InvocationType)[keyof typeof InvocationType];
