import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ValidationError } from "@cairn/sdk";

/**
 * One attribute of a DynamoDB key as a cursor keeps it: `S` and `N` as DynamoDB gives them, a
 * binary `B` as base64 (`B64`), since cursors are JSON and a `Uint8Array` is not.
 */
export type CursorKeyAttribute =
  | {
      /** A string key attribute. */
      S: string;
    }
  | {
      /** A number key attribute, as DynamoDB's decimal string. */
      N: string;
    }
  | {
      /** A binary key attribute, base64-encoded. */
      B64: string;
    };

/** A `LastEvaluatedKey` in JSON form. */
export type CursorKey = Record<string, CursorKeyAttribute>;

/** Encodes a `LastEvaluatedKey` for a cursor. */
export function encodeKey(key: Record<string, AttributeValue>): CursorKey {
  const encoded: CursorKey = {};
  for (const [name, value] of Object.entries(key)) {
    if (value.S !== undefined) encoded[name] = { S: value.S };
    else if (value.N !== undefined) encoded[name] = { N: value.N };
    else if (value.B !== undefined) encoded[name] = { B64: Buffer.from(value.B).toString("base64") };
    else throw new Error(`LastEvaluatedKey attribute ${name} is not a string, number or binary: ${JSON.stringify(value)}`);
  }
  return encoded;
}

/** Decodes a cursor's key back into an `ExclusiveStartKey`. */
export function decodeKey(factory: string, key: unknown): Record<string, AttributeValue> {
  if (typeof key !== "object" || key === null || Array.isArray(key)) {
    throw new ValidationError(`${factory}: the cursor's exclusiveStartKey must be an object of key attributes, got ${JSON.stringify(key)}.`);
  }
  const decoded: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(key as Record<string, Record<string, unknown>>)) {
    if (typeof value?.S === "string") decoded[name] = { S: value.S };
    else if (typeof value?.N === "string") decoded[name] = { N: value.N };
    else if (typeof value?.B64 === "string") decoded[name] = { B: new Uint8Array(Buffer.from(value.B64, "base64")) };
    else throw new ValidationError(`${factory}: the cursor's exclusiveStartKey.${name} must be { S }, { N } or { B64 }, got ${JSON.stringify(value)}.`);
  }
  return decoded;
}
