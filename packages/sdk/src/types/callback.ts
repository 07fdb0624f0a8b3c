import type { Duration } from "./duration.js";
import type { DurablePromise } from "./durable-promise.js";
import type { Serdes } from "./serdes.js";
import type { RetryStrategy, StepContext } from "./step.js";

/**
 * Turns the payload an external system sent with its success into the value the handler sees.
 * Only `deserialize` is used: Cairn never serializes a callback result, it stores what was sent.
 */
export type CallbackDeserializer<T> = Omit<Serdes<T>, "serialize">;

/** Options of {@link DurableContext.createCallback}. */
export interface CreateCallbackConfig<TOutput = string> {
  /** How long the external system has to complete the callback; whole seconds, at least 1. */
  timeout?: Duration;
  /**
   * The callback times out unless the external system sends a heartbeat (or completes it) at
   * least this often; whole seconds, at least 1.
   */
  heartbeatTimeout?: Duration;
  /** Reads the success payload. Default: the raw string as sent (no parsing). */
  serdes?: CallbackDeserializer<TOutput>;
  /**
   * Sub-type recorded on the callback's operation instead of `Callback` (see StepConfig.subType):
   * 1 to 32 characters from A-Z, a-z, 0-9, `-` and `_`, the same on every replay.
   */
  subType?: string;
}

/** Options of {@link DurableContext.waitForCallback}. */
export interface WaitForCallbackConfig<TOutput = string> {
  /** How long the external system has to complete the callback; whole seconds, at least 1. */
  timeout?: Duration;
  /** The callback times out unless a heartbeat (or the completion) arrives at least this often. */
  heartbeatTimeout?: Duration;
  /** Retries of the submitter (default: the step default). When it gives up, the operation fails. */
  retryStrategy?: RetryStrategy;
  /** Reads the success payload. Default: the raw string as sent (no parsing). */
  serdes?: CallbackDeserializer<TOutput>;
}

/** `[promise of the callback's result, callback id to hand to the external system]`. */
export type CreateCallbackResult<T = string> = [DurablePromise<T>, string];

/** What a waitForCallback submitter receives beside the callback id: it runs as a step. */
export type WaitForCallbackContext = StepContext;

/**
 * Hands the callback id to the external system (sends a message, calls an API). It runs as a
 * step: retried by the operation's retry strategy, not re-run once it has succeeded.
 */
export type WaitForCallbackSubmitterFunc = (callbackId: string, context: WaitForCallbackContext) => Promise<void>;
