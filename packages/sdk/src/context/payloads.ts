import { SerdesError } from "../errors/engine-errors.js";
import { oversizedPayloadBytes } from "../protocol/limits.js";
import { defaultSerdes, deserializeValue, serializeValue } from "../serdes/default-serdes.js";
import type { Serdes, SerdesContext } from "../types/serdes.js";

/** Describes an operation for error messages: `step "charge-card" (id 3-1)`. */
export function describeOperation(kind: string, id: string, name: string | undefined): string {
  return `${kind} ${name !== undefined ? `${JSON.stringify(name)} ` : ""}(id ${id})`;
}

export function serializePayload<T>(
  serdes: Serdes<T>,
  value: T,
  context: SerdesContext,
  what: string,
): string | undefined | Promise<string | undefined> {
  const failed = (error: unknown): SerdesError =>
    new SerdesError(
      `Could not serialize the result of ${what}: ${error instanceof Error ? error.message : String(error)}. ` +
        "Return a value the serdes can encode (the default handles JSON, Date, Map, Set, BigInt, undefined) or pass a custom serdes.",
      error,
    );
  // The default serdes is synchronous underneath: no promise round trip on every result.
  if (serdes === defaultSerdes) {
    try {
      return serializeValue(value);
    } catch (error) {
      throw failed(error);
    }
  }
  return (async () => {
    let payload: string | undefined;
    try {
      payload = await serdes.serialize(value, context);
    } catch (error) {
      throw failed(error);
    }
    if (payload !== undefined && typeof payload !== "string") {
      throw new SerdesError(`The serdes of ${what} returned ${typeof payload}; serialize must resolve to a string or undefined.`);
    }
    return payload;
  })();
}

export function deserializePayload<T>(
  serdes: Serdes<T>,
  payload: string | undefined,
  context: SerdesContext,
  what: string,
): T | Promise<T> {
  const failed = (error: unknown): SerdesError =>
    new SerdesError(
      `Could not deserialize the checkpointed result of ${what}: ${error instanceof Error ? error.message : String(error)}.`,
      error,
    );
  // The default serdes is synchronous underneath: skip the promise round trips on the replay path.
  if (serdes === defaultSerdes) {
    try {
      return deserializeValue<T>(payload) as T;
    } catch (error) {
      throw failed(error);
    }
  }
  return (async () => {
    try {
      return (await serdes.deserialize(payload, context)) as T;
    } catch (error) {
      throw failed(error);
    }
  })();
}

/** Whether a payload fits on one operation (see oversizedPayloadBytes). */
export function fitsInline(payload: string | undefined): boolean {
  return oversizedPayloadBytes(payload) === undefined;
}
