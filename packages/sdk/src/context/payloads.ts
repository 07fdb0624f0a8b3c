import { SerdesError } from "../errors/engine-errors.js";
import { oversizedPayloadBytes } from "../protocol/limits.js";
import { defaultSerdes, deserializeValue, serializeValue } from "../serdes/default-serdes.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";

/**
 * A call's name as messages about its arguments show it, before it has an id: ` "orders"` in
 * `map "orders": …`, or nothing when the call is unnamed.
 */
export function quotedName(name: string | undefined): string {
  return name === undefined ? "" : ` "${name}"`;
}

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

/** Serializes a value for a checkpoint; errors name the operation (`what`). */
export function serializePayload<T>(
  serdes: Serdes<T>,
  value: T,
  context: SerdesContext,
  what: string,
): string | undefined | Promise<string | undefined> {
  return serializeAt({ serdesContext: context, what }, serdes, value);
}

/** serializePayload for a site whose context and description are derived on demand. */
export function serializeAt<T>(site: PayloadSite, serdes: Serdes<T>, value: T): string | undefined | Promise<string | undefined> {
  // The default serdes is synchronous underneath: no promise round trip on every result.
  if (serdes === defaultSerdes) {
    try {
      return serializeValue(value);
    } catch (error) {
      throw serializeFailed(site.what, error);
    }
  }
  return serializeCustom(serdes, value, site);
}

async function serializeCustom<T>(serdes: Serdes<T>, value: T, site: PayloadSite): Promise<string | undefined> {
  let payload: string | undefined;
  try {
    payload = await serdes.serialize(value, site.serdesContext);
  } catch (error) {
    throw serializeFailed(site.what, error);
  }
  if (payload !== undefined && typeof payload !== "string") {
    throw new SerdesError(`The serdes of ${site.what} returned ${typeof payload}; serialize must resolve to a string or undefined.`);
  }
  return payload;
}

function serializeFailed(what: string, error: unknown): SerdesError {
  return new SerdesError(
    `Could not serialize the result of ${what}: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, "")}. ` +
      "Return a value the serdes can encode (the default handles JSON, Date, Map, Set, BigInt, undefined) or pass a custom serdes.",
    error,
  );
}

/** Reads a checkpointed payload back; errors name the operation (`what`). */
export function deserializePayload<T>(
  serdes: Serdes<T>,
  payload: string | undefined,
  context: SerdesContext,
  what: string,
): T | Promise<T> {
  return deserializeAt({ serdesContext: context, what }, serdes, payload);
}

/** deserializePayload for a site whose context and description are derived on demand. */
export function deserializeAt<T>(site: PayloadSite, serdes: Serdes<T>, payload: string | undefined): T | Promise<T> {
  // The default serdes is synchronous underneath: skip the promise round trips on the replay path.
  if (serdes === defaultSerdes) {
    try {
      return deserializeValue<T>(payload) as T;
    } catch (error) {
      throw deserializeFailed(site.what, error);
    }
  }
  return deserializeCustom(serdes, payload, site);
}

async function deserializeCustom<T>(serdes: Serdes<T>, payload: string | undefined, site: PayloadSite): Promise<T> {
  try {
    return (await serdes.deserialize(payload, site.serdesContext)) as T;
  } catch (error) {
    throw deserializeFailed(site.what, error);
  }
}

function deserializeFailed(what: string, error: unknown): SerdesError {
  return new SerdesError(`Could not deserialize the checkpointed result of ${what}: ${error instanceof Error ? error.message : String(error)}.`, error);
}

/** Whether a payload fits on one operation (see oversizedPayloadBytes). */
export function fitsInline(payload: string | undefined): boolean {
  return oversizedPayloadBytes(payload) === undefined;
}
