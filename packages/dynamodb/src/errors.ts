// Errors raised by the DynamoDB store, client and worker. Like the core's errors they carry a
// stable `name` and `errorType`, and their messages say what to do.
import { CheckpointServiceError } from "@cairn/sdk/service";

/**
 * A value (an operation, a history event, the input or result) is larger than the store keeps
 * ({@link MAX_VALUE_BYTES} serialized). Nothing of the write that carried it was stored: the
 * checkpoint, start or completion that raised it can be retried with a smaller value.
 */
export class PayloadTooLargeError extends CheckpointServiceError {
  /** Always `"PayloadTooLargeError"`. */
  override readonly name = "PayloadTooLargeError";
  /** Always `"PayloadTooLarge"`, stable for callers that branch on it. */
  readonly errorType = "PayloadTooLarge";
  constructor(
    /** Which value, e.g. `operation "charge" (step)` or `the execution input`. */
    readonly what: string,
    /** Its size serialized, in bytes (UTF-8). */
    readonly bytes: number,
    /** The largest value the store keeps, in bytes. */
    readonly limitBytes: number,
  ) {
    super(
      `${what} is ${bytes} bytes serialized; the DynamoDB store keeps at most ${limitBytes} bytes per value. ` +
        "Nothing of this write was stored. Keep large data elsewhere (e.g. S3) and checkpoint a reference to it.",
    );
  }
}

/**
 * DynamoDB refused a request for a reason retrying cannot fix (missing table, permissions,
 * validation). The message names the request and the table, and says what to check.
 */
export class DynamoDbRequestError extends CheckpointServiceError {
  /** Always `"DynamoDbRequestError"`. */
  override readonly name = "DynamoDbRequestError";
  /** Always `"DynamoDbRequestFailed"`, stable for callers that branch on it. */
  readonly errorType = "DynamoDbRequestFailed";
  constructor(
    /** The request that failed, e.g. `TransactWriteItems(checkpoint)` or `Query(due-index)`. */
    readonly operation: string,
    /** The table it was sent to. */
    readonly tableName: string,
    /** The AWS SDK's error. */
    override readonly cause: unknown,
  ) {
    super(`${operation} on DynamoDB table "${tableName}" failed: ${describeCause(cause)}${adviceFor(cause)}`);
  }
}

/**
 * Transient errors (throttling, 5xx, network) kept coming back after every attempt the
 * {@link RetryPolicy} allows. The table is throttled or unreachable; the call can be retried later.
 */
export class DynamoDbUnavailableError extends CheckpointServiceError {
  /** Always `"DynamoDbUnavailableError"`. */
  override readonly name = "DynamoDbUnavailableError";
  /** Always `"DynamoDbUnavailable"`, stable for callers that branch on it. */
  readonly errorType = "DynamoDbUnavailable";
  constructor(
    /** The request that failed, e.g. `TransactWriteItems(checkpoint)` or `Query(due-index)`. */
    readonly operation: string,
    /** The table it was sent to. */
    readonly tableName: string,
    /** Attempts made, the first included. */
    readonly attempts: number,
    /** The last attempt's error. */
    override readonly cause: unknown,
  ) {
    super(
      `${operation} on DynamoDB table "${tableName}" still failed after ${attempts} attempts: ${describeCause(cause)}. ` +
        "The table is throttled or unreachable; raise its capacity (or use on-demand) and check the network, then retry.",
    );
  }
}

/**
 * A read or write of one execution kept colliding with concurrent writers (50 times in a row);
 * the store gave up rather than spin. Nothing of the failed write was stored; retry the call.
 */
export class StoreContentionError extends CheckpointServiceError {
  /** Always `"StoreContentionError"`. */
  override readonly name = "StoreContentionError";
  /** Always `"StoreContention"`, stable for callers that branch on it. */
  readonly errorType = "StoreContention";
  constructor(
    /** The execution's id (the last part of its ARN). */
    readonly executionId: string,
    /** Reads (or commits) attempted. */
    readonly attempts: number,
  ) {
    super(
      `Execution ${executionId} changed under this process ${attempts} times in a row; giving up. ` +
        "Something is writing to it continuously; retry the call.",
    );
  }
}

/**
 * This process's shard counts ({@link CairnTable.dueShards}, {@link CairnTable.listShards}) differ
 * from the ones recorded in the table. Processes with different counts would look for executions
 * in different partitions and miss some, so the store refuses to run. Use the table's counts, or
 * raise them for everyone with `createCairnTable(client, name, { dueShards, listShards })` first.
 */
export class TableSettingsMismatchError extends CheckpointServiceError {
  /** Always `"TableSettingsMismatchError"`. */
  override readonly name = "TableSettingsMismatchError";
  /** Always `"TableSettingsMismatch"`, stable for callers that branch on it. */
  readonly errorType = "TableSettingsMismatch";
  constructor(
    /** The table whose recorded settings differ. */
    readonly tableName: string,
    /** The setting, `dueShards` or `listShards`. */
    readonly setting: string,
    /** What this process was given (or its default). */
    readonly configured: number,
    /** What the table records. */
    readonly recorded: number,
  ) {
    super(
      `Table "${tableName}" is set up with ${setting} = ${recorded}, but this process uses ${configured}. ` +
        `Every process sharing the table must use the same shard counts: pass ${setting}: ${recorded} in the table settings` +
        (configured > recorded
          ? `, or raise the table's count first with createCairnTable(client, "${tableName}", { ${setting}: ${configured} }).`
          : "; a table's shard counts can grow but never shrink."),
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
