import {
  CheckpointDurableExecutionCommand,
  GetDurableExecutionStateCommand,
  type LambdaClient,
  type Operation as LambdaOperation,
  type OperationUpdate as LambdaOperationUpdate,
} from "@aws-sdk/client-lambda";
import {
  DurableExecutionClientError,
  DurableExecutionClientErrorScope,
  type CheckpointBackend,
  type CheckpointDurableExecutionRequest,
  type CheckpointDurableExecutionResponse,
  type GetDurableExecutionStateRequest,
  type GetDurableExecutionStateResponse,
  type Operation,
  type OperationUpdate,
} from "@cairn/sdk";
import { chunkUpdates } from "./checkpoint-chunks.js";
import { defaultLambdaClient } from "./default-client.js";
import { classifyLambdaError } from "./error-classification.js";
import { MAX_WIRE_NAME_LENGTH, decodeName, encodeName } from "./wire-names.js";

const OPERATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Retries of throttled (429) and failed (5xx, network) calls to the service, with exponential
 * backoff and full jitter. When they run out, the invocation ends with an error, so Lambda invokes
 * the function again and it replays; nothing of the execution is lost.
 */
export interface LambdaRetryOptions {
  /** Calls in all for one throttled or failing request (default 4). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time, with full jitter (default 200 ms). */
  initialDelayMs?: number;
  /** Largest delay between two attempts (default 3 s). */
  maxDelayMs?: number;
}

/** How a {@link LambdaCheckpointBackend} reaches the service. */
export interface LambdaCheckpointBackendOptions {
  /**
   * The client to call the service with (e.g. another region, or an endpoint for tests). Default:
   * one shared `LambdaClient` per process, configured from the Lambda environment.
   */
  client?: LambdaClient;
  /** Retries of transient failures; default `{ maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 3000 }`. */
  retry?: LambdaRetryOptions;
}

/**
 * Cairn's checkpoint backend on the AWS Lambda durable-execution API
 * (`CheckpointDurableExecution`, `GetDurableExecutionState`).
 *
 * - Calls stay within the service's bounds: 250 updates and 750 KB per call (larger batches are
 *   split in order, each part carrying the token the previous one returned).
 * - Names are mapped to printable ASCII reversibly (other characters and `%` become `%XX` of
 *   their UTF-8 bytes, decoded again on the way in); operation ids are already within 64
 *   characters of `[A-Za-z0-9_-]` (the engine hashes deeper ones).
 * - Failures are classified: a stale or invalid checkpoint token ends this invocation only;
 *   throttling, 5xx and network failures are retried with backoff and then end this invocation
 *   (Lambda invokes again); any other 4xx fails the execution. Each surfaces as a
 *   DurableExecutionClientError whose `scope` says which.
 *
 * `@cairn/aws-lambda`'s `withDurableExecution` uses one by default; make one yourself to give it
 * a client or retry settings explicitly, or to wrap it.
 *
 * @example
 * ```ts
 * const backend = new LambdaCheckpointBackend({ client: new LambdaClient({ region: "eu-west-1" }) });
 * export const handler = withDurableExecution(workflow, { backend });
 * ```
 */
export class LambdaCheckpointBackend implements CheckpointBackend {
  readonly #client: LambdaClient | undefined;
  readonly #maxAttempts: number;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;

  /**
   * @throws RangeError when `retry.maxAttempts` is not a positive integer, or a delay is negative
   *   or not finite.
   */
  constructor(options: LambdaCheckpointBackendOptions = {}) {
    this.#client = options.client;
    const retry = options.retry ?? {};
    this.#maxAttempts = positiveInteger(retry.maxAttempts ?? 4, "retry.maxAttempts");
    this.#initialDelayMs = nonNegative(retry.initialDelayMs ?? 200, "retry.initialDelayMs");
    this.#maxDelayMs = nonNegative(retry.maxDelayMs ?? 3000, "retry.maxDelayMs");
  }

  /** The client calls go through: the one given, else the process's shared default client. */
  get client(): LambdaClient {
    return this.#client ?? defaultLambdaClient();
  }

  /**
   * One page of the execution's operations (GetDurableExecutionState), names decoded.
   *
   * @throws DurableExecutionClientError when the call fails for good; its `scope` says whether
   *   the invocation or the whole execution must stop.
   */
  async getExecutionState(request: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse> {
    const response = await this.#send("GetDurableExecutionState", () =>
      this.client.send(
        new GetDurableExecutionStateCommand({
          DurableExecutionArn: request.DurableExecutionArn,
          CheckpointToken: request.CheckpointToken,
          Marker: request.Marker,
          MaxItems: request.MaxItems,
        }),
      ),
    );
    const operations = (response.Operations ?? []).map(fromWire);
    return response.NextMarker ? { Operations: operations, NextMarker: response.NextMarker } : { Operations: operations };
  }

  /**
   * Stores the updates (CheckpointDurableExecution), split into as many calls as the service's
   * bounds need, in order; returns the last token and every operation the service reported
   * changed (reading the rest of a paged answer).
   *
   * @throws DurableExecutionClientError (scope EXECUTION) before anything is sent when an update
   *   cannot be sent at all (an invalid id, a name too long once escaped); otherwise as
   *   {@link getExecutionState}.
   */
  async checkpoint(request: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    // Everything is checked before the first call, so a bad batch writes nothing.
    const updates = (request.Updates ?? []).map(toWire);
    let token = request.CheckpointToken;
    const changed: Operation[] = [];
    for (const chunk of chunkUpdates(updates)) {
      const response = await this.#send("CheckpointDurableExecution", () =>
        this.client.send(
          new CheckpointDurableExecutionCommand({
            DurableExecutionArn: request.DurableExecutionArn,
            CheckpointToken: token,
            Updates: chunk as LambdaOperationUpdate[],
          }),
        ),
      );
      if (!response.CheckpointToken) {
        throw new DurableExecutionClientError("CheckpointDurableExecution returned no CheckpointToken.", {
          scope: DurableExecutionClientErrorScope.INVOCATION,
        });
      }
      token = response.CheckpointToken;
      changed.push(...(response.NewExecutionState?.Operations ?? []).map(fromWire));
      // The service pages large changes: read the rest with the token it just issued.
      let marker = response.NewExecutionState?.NextMarker;
      while (marker) {
        const page = await this.getExecutionState({ DurableExecutionArn: request.DurableExecutionArn, CheckpointToken: token, Marker: marker });
        changed.push(...page.Operations);
        marker = page.NextMarker;
      }
    }
    return { CheckpointToken: token, NewExecutionState: { Operations: changed } };
  }

  /** One API call with retries for transient failures, its errors classified. */
  async #send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const kind = classifyLambdaError(error);
        if (kind === "transient" && attempt < this.#maxAttempts) {
          await sleep(this.#delay(attempt));
          continue;
        }
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (kind === "permanent") {
          throw new DurableExecutionClientError(`${operation} was rejected (${reason}); the execution cannot continue.`, {
            scope: DurableExecutionClientErrorScope.EXECUTION,
            cause: error,
          });
        }
        throw new DurableExecutionClientError(
          kind === "stale-token"
            ? `${operation}: the checkpoint token is no longer valid (${reason}); this invocation stops, the execution carries on in another.`
            : `${operation} failed ${attempt} time(s) (${reason}); this invocation stops so that Lambda invokes the function again.`,
          { scope: DurableExecutionClientErrorScope.INVOCATION, cause: error },
        );
      }
    }
  }

  #delay(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }
}

function toWire(update: OperationUpdate, index: number): OperationUpdate {
  if (!OPERATION_ID.test(update.Id)) {
    throw invalidUpdate(index, update, `its Id ${JSON.stringify(update.Id)} is not 1-64 characters of [A-Za-z0-9_-]`);
  }
  if (update.Name === undefined) return update;
  const name = encodeName(update.Name);
  if (name.length > MAX_WIRE_NAME_LENGTH) {
    throw invalidUpdate(
      index,
      update,
      `its name is ${name.length} characters once non-ASCII characters are escaped for the service (at most ${MAX_WIRE_NAME_LENGTH}); use a shorter name`,
    );
  }
  return name === update.Name ? update : { ...update, Name: name };
}

function fromWire(op: LambdaOperation): Operation {
  const operation = op as unknown as Operation;
  return typeof operation.Name === "string" && operation.Name.includes("%") ? { ...operation, Name: decodeName(operation.Name) } : operation;
}

function invalidUpdate(index: number, update: OperationUpdate, reason: string): DurableExecutionClientError {
  return new DurableExecutionClientError(
    `Checkpoint update #${index} (${update.Action} of ${update.Type} operation ${JSON.stringify(update.Id)}${
      update.Name === undefined ? "" : ` named ${JSON.stringify(update.Name)}`
    }) cannot be sent to AWS Lambda: ${reason}. Nothing of this checkpoint was sent.`,
    { scope: DurableExecutionClientErrorScope.EXECUTION },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`LambdaCheckpointBackend: ${field} must be a positive integer, got ${value}.`);
  return value;
}

function nonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`LambdaCheckpointBackend: ${field} must be a non-negative number, got ${value}.`);
  return value;
}
