// How callback payloads become handler values. A leaf module: the engine imports the default.
import { SerdesError } from "../errors/engine-errors.js";
import type { CallbackDeserializer } from "../types/callback.js";
import type { SerdesContext } from "../types/serdes.js";

/** Callbacks read the payload as sent unless told otherwise (like the AWS SDK). */
export const rawCallbackDeserializer: CallbackDeserializer<string | undefined> = {
  deserialize: async (data) => data,
};

export async function deserializeCallbackPayload<T>(
  deserializer: CallbackDeserializer<T>,
  payload: string | undefined,
  context: SerdesContext,
  what: string,
): Promise<T> {
  try {
    return (await deserializer.deserialize(payload, context)) as T;
  } catch (error) {
    throw new SerdesError(
      `Could not deserialize the result of ${what}: ${error instanceof Error ? error.message : String(error)}. ` +
        "Check the payload the external system sent against the callback's serdes.",
      error,
    );
  }
}

