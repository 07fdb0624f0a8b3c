import { SerdesError } from "../errors/engine-errors.js";
import { oversizedPayloadBytes } from "../protocol/limits.js";
import { defaultSerdes, deserializeValue, serializeValue } from "../serdes/default-serdes.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";

/** Describes an operation for error messages: `step "charge-card" (id 3-1)`. */
export function describeOperation(kind: string, id: string, name: string | undefined): string {
  return `${kind} ${name !== undefined ? `${JSON.stringify(name)} ` : ""}(id ${id})`;
}

/**
 * Where a payload is written or read: the context a custom serdes receives and the operation's
 * description for error messages. Both are read only when needed (a custom serdes, a failure):
 * the default serdes on the success path needs neither, and a map over thousands of items would
 * otherwise build both for every item. A step run implements this with getters.
 */
export interface PayloadSite {
  readonly serdesContext: SerdesContext;
  readonly what: string;
}

/** A value, or a function computing it when first needed. */
type Lazy<V> = V | (() => V);

function valueOf<V>(lazy: Lazy<V>): V {
  return typeof lazy === "function" ? (lazy as () => V)() : lazy;
}

export function serializePayload<T>(
  serdes: Serdes<T>,
  value: T,
  context: Lazy<SerdesContext>,
  what: Lazy<string>,
): string | undefined | Promise<string | undefined> {
  // The default serdes is synchronous underneath: no promise round trip on every result.
  if (serdes === defaultSerdes) {
    try {
      return serializeValue(value);
    } catch (error) {
      throw serializeFailed(valueOf(what), error);
    }
  }
  return serializeCustom(serdes, value, valueOf(context), what);
}

/** serializePayload for a site whose context and description are derived on demand. */
export function serializeAt<T>(site: PayloadSite, serdes: Serdes<T>, value: T): string | undefined | Promise<string | undefined> {
  if (serdes === defaultSerdes) {
    try {
      return serializeValue(value);
    } catch (error) {
      throw serializeFailed(site.what, error);
    }
  }
  return serializeCustom(serdes, value, site.serdesContext, () => site.what);
}

async function serializeCustom<T>(serdes: Serdes<T>, value: T, context: SerdesContext, what: Lazy<string>): Promise<string | undefined> {
  let payload: string | undefined;
  try {
    payload = await serdes.serialize(value, context);
  } catch (error) {
    throw serializeFailed(valueOf(what), error);
  }
  if (payload !== undefined && typeof payload !== "string") {
    throw new SerdesError(`The serdes of ${valueOf(what)} returned ${typeof payload}; serialize must resolve to a string or undefined.`);
  }
  return payload;
}

function serializeFailed(what: string, error: unknown): SerdesError {
  return new SerdesError(
    `Could not serialize the result of ${what}: ${error instanceof Error ? error.message : String(error)}. ` +
      "Return a value the serdes can encode (the default handles JSON, Date, Map, Set, BigInt, undefined) or pass a custom serdes.",
    error,
  );
}

export function deserializePayload<T>(
  serdes: Serdes<T>,
  payload: string | undefined,
  context: Lazy<SerdesContext>,
  what: Lazy<string>,
): T | Promise<T> {
  // The default serdes is synchronous underneath: skip the promise round trips on the replay path.
  if (serdes === defaultSerdes) {
    try {
      return deserializeValue<T>(payload) as T;
    } catch (error) {
      throw deserializeFailed(valueOf(what), error);
    }
  }
  return deserializeCustom(serdes, payload, valueOf(context), what);
}

/** deserializePayload for a site whose context and description are derived on demand. */
export function deserializeAt<T>(site: PayloadSite, serdes: Serdes<T>, payload: string | undefined): T | Promise<T> {
  if (serdes === defaultSerdes) {
    try {
      return deserializeValue<T>(payload) as T;
    } catch (error) {
      throw deserializeFailed(site.what, error);
    }
  }
  return deserializeCustom(serdes, payload, site.serdesContext, () => site.what);
}

async function deserializeCustom<T>(serdes: Serdes<T>, payload: string | undefined, context: SerdesContext, what: Lazy<string>): Promise<T> {
  try {
    return (await serdes.deserialize(payload, context)) as T;
  } catch (error) {
    throw deserializeFailed(valueOf(what), error);
  }
}

function deserializeFailed(what: string, error: unknown): SerdesError {
  return new SerdesError(`Could not deserialize the checkpointed result of ${what}: ${error instanceof Error ? error.message : String(error)}.`, error);
}

/** Whether a payload fits on one operation (see oversizedPayloadBytes). */
export function fitsInline(payload: string | undefined): boolean {
  return oversizedPayloadBytes(payload) === undefined;
}
