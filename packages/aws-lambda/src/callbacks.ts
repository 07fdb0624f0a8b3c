import {
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { toErrorObject } from "@cairn/sdk/backend";
import { type ErrorObject } from "@cairn/sdk";
import { defaultLambdaClient } from "./default-client.js";

/** Which client the callback helpers call the service with. */
export interface CallbackClientOptions {
  /** Default: one shared `LambdaClient` configured from the environment. */
  client?: LambdaClient;
}

// The side outside the execution: a webhook, a queue consumer or a person's approval completes a
// callback that a handler created with ctx.createCallback / ctx.waitForCallback, by its id.

/**
 * Completes the callback with a result (SendDurableExecutionCallbackSuccess), and the waiting
 * execution carries on. A string or bytes are sent as they are (the handler's callback serdes
 * reads them; without one it receives the text); anything else is sent as JSON. The caller needs
 * `lambda:SendDurableExecutionCallbackSuccess` on the function.
 *
 * @param callbackId - the id the handler got from `ctx.createCallback` or `ctx.waitForCallback`
 *   (and handed to whoever answers).
 * @throws TypeError when `callbackId` is not a non-empty string, or `result` cannot be encoded
 *   as JSON; otherwise the client's error (e.g. the callback has already ended, or an unknown id).
 *
 * @example
 * ```ts
 * import { sendCallbackSuccess } from "@cairn/aws-lambda";
 *
 * // in the webhook that hears the reviewer's answer
 * await sendCallbackSuccess(callbackId, { approved: true });
 * ```
 */
export async function sendCallbackSuccess(callbackId: string, result?: unknown, options: CallbackClientOptions = {}): Promise<void> {
  checkCallbackId(callbackId, "sendCallbackSuccess");
  await clientOf(options).send(
    new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: encodeResult(result) }),
  );
}

/**
 * Completes the callback with a failure (SendDurableExecutionCallbackFailure); the waiting handler
 * sees it as a callback error. An `Error` is sent with its type, message and stack frames, a
 * string as an `Error` with that message, an `ErrorObject` as it is.
 *
 * @throws TypeError when `callbackId` is not a non-empty string; otherwise the client's error.
 *
 * @example
 * ```ts
 * await sendCallbackFailure(callbackId, new Error("rejected by the reviewer"));
 * ```
 */
export async function sendCallbackFailure(callbackId: string, error?: Error | ErrorObject | string, options: CallbackClientOptions = {}): Promise<void> {
  checkCallbackId(callbackId, "sendCallbackFailure");
  await clientOf(options).send(
    new SendDurableExecutionCallbackFailureCommand({ CallbackId: callbackId, Error: toCallbackError(error) }),
  );
}

/**
 * Tells the service the work behind the callback is still alive: restarts its heartbeat timeout
 * (SendDurableExecutionCallbackHeartbeat), for callbacks created with one.
 *
 * @throws TypeError when `callbackId` is not a non-empty string; otherwise the client's error.
 *
 * @example
 * ```ts
 * const beat = setInterval(() => void sendCallbackHeartbeat(callbackId), 60_000);
 * ```
 */
export async function sendCallbackHeartbeat(callbackId: string, options: CallbackClientOptions = {}): Promise<void> {
  checkCallbackId(callbackId, "sendCallbackHeartbeat");
  await clientOf(options).send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId }));
}

function clientOf(options: CallbackClientOptions): LambdaClient {
  return options.client ?? defaultLambdaClient();
}

function checkCallbackId(callbackId: unknown, operation: string): void {
  if (typeof callbackId !== "string" || callbackId.length === 0) {
    throw new TypeError(`${operation}: pass the callback id the handler received from createCallback/waitForCallback, got ${typeof callbackId}.`);
  }
}

function encodeResult(result: unknown): Uint8Array | undefined {
  if (result === undefined) return undefined;
  if (result instanceof Uint8Array) return result;
  const text = typeof result === "string" ? result : JSON.stringify(result);
  if (text === undefined) throw new TypeError("sendCallbackSuccess: the result cannot be encoded as JSON; pass a string, bytes or JSON data.");
  return new TextEncoder().encode(text);
}

function toCallbackError(error: Error | ErrorObject | string | undefined): ErrorObject | undefined {
  if (error === undefined) return undefined;
  if (typeof error === "string") return { ErrorType: "Error", ErrorMessage: error };
  if (error instanceof Error) return toErrorObject(error);
  return error;
}
