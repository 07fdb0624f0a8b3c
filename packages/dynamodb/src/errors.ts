// Errors raised by the DynamoDB store, client and worker. Like the core's errors they carry a
// stable `name` and `errorType`, and their messages say what to do.
import { CheckpointServiceError } from "@cairn/sdk";

/** A value (an operation, a history event, the input or result) is larger than the store keeps. */
export class PayloadTooLargeError extends CheckpointServiceError {
  override readonly name = "PayloadTooLargeError";
  readonly errorType = "PayloadTooLarge";
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `${what} is ${bytes} bytes serialized; the DynamoDB store keeps at most ${limitBytes} bytes per value. ` +
        "Nothing of this write was stored. Keep large data elsewhere (e.g. S3) and checkpoint a reference to it.",
    );
  }
}

/** DynamoDB refused a request for a reason retrying cannot fix (missing table, permissions, validation). */
export class DynamoDbRequestError extends CheckpointServiceError {
  override readonly name = "DynamoDbRequestError";
  readonly errorType = "DynamoDbRequestFailed";
  constructor(
    readonly operation: string,
    readonly tableName: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} on DynamoDB table "${tableName}" failed: ${describeCause(cause)}${adviceFor(cause)}`);
  }
}

/** Transient errors kept coming back after every retry. */
export class DynamoDbUnavailableError extends CheckpointServiceError {
  override readonly name = "DynamoDbUnavailableError";
  readonly errorType = "DynamoDbUnavailable";
  constructor(
    readonly operation: string,
    readonly tableName: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `${operation} on DynamoDB table "${tableName}" still failed after ${attempts} attempts: ${describeCause(cause)}. ` +
        "The table is throttled or unreachable; raise its capacity (or use on-demand) and check the network, then retry.",
    );
  }
}

/** A read or write kept colliding with concurrent writers; the store gave up rather than spin. */
export class StoreContentionError extends CheckpointServiceError {
  override readonly name = "StoreContentionError";
  readonly errorType = "StoreContention";
  constructor(
    readonly executionId: string,
    readonly attempts: number,
  ) {
    super(
      `Execution ${executionId} changed under this process ${attempts} times in a row; giving up. ` +
        "Something is writing to it continuously; retry the call.",
    );
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

function adviceFor(cause: unknown): string {
  const name = cause instanceof Error ? cause.name : "";
  if (name === "ResourceNotFoundException") {
    return ". Create the table with createCairnTable() or with the definition in docs/dynamodb.md.";
  }
  if (name === "AccessDeniedException" || name === "UnrecognizedClientException") {
    return ". Check the credentials and that their policy allows the actions listed in docs/dynamodb.md.";
  }
  return "";
}
