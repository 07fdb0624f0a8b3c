// Callback ids are capabilities handed to external systems. Each one is
//   <executionId>.<operationId>.<secret>
// The secret (128 bits from the CSPRNG, base64url) is what makes an id unguessable; the execution
// id and operation id are not secret: they only route the id to its record and operation, so any
// store finds it with one keyed read (no index of callback ids is needed).
import { timingSafeEqual } from "node:crypto";
import { InvalidCallbackIdError } from "./errors.js";

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const OPERATION_ID = /^[0-9]+(?:-[0-9]+)*$/;
/** Longer ids are refused before any parsing work. */
const MAX_CALLBACK_ID_LENGTH = 512;

export interface CallbackAddress {
  executionId: string;
  operationId: string;
}

export function makeCallbackId(executionId: string, operationId: string, secret: string): string {
  return `${executionId}.${operationId}.${secret}`;
}

/** Where a callback id points; throws InvalidCallbackIdError for anything not shaped like one. */
export function parseCallbackId(callbackId: unknown): CallbackAddress {
  if (typeof callbackId !== "string" || callbackId.length === 0) {
    throw new InvalidCallbackIdError(String(callbackId), "it must be a non-empty string");
  }
  if (callbackId.length > MAX_CALLBACK_ID_LENGTH) {
    throw new InvalidCallbackIdError(callbackId, `it is longer than ${MAX_CALLBACK_ID_LENGTH} characters`);
  }
  const parts = callbackId.split(".");
  const [executionId, operationId, secret] = parts;
  if (parts.length !== 3 || !executionId || !operationId || !secret) {
    throw new InvalidCallbackIdError(callbackId, "it must have the form <executionId>.<operationId>.<secret>");
  }
  if (!SEGMENT.test(executionId) || !SEGMENT.test(secret) || !OPERATION_ID.test(operationId)) {
    throw new InvalidCallbackIdError(callbackId, "it contains characters a callback id never has");
  }
  return { executionId, operationId };
}

/** Compares a presented id with the stored one without leaking, through timing, how much matched. */
export function sameCallbackId(presented: string, stored: string | undefined): boolean {
  if (stored === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
