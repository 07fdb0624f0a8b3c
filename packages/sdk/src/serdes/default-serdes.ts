import type { Serdes } from "../types/serdes.js";
import { inspectValue, refuseProtoKeys } from "./value-shape.js";
import { typedJson } from "./typed-json.js";

// The default serdes is superjson, so Date, Map, Set, BigInt, RegExp and undefined survive a
// checkpoint. Values that plain JSON already represents exactly are written as plain JSON (what
// the AWS SDK writes), so checkpoints stay readable by other consumers; only values that need
// type metadata are wrapped in an envelope under ENVELOPE_KEY. A plain object that happens to
// have that key is always wrapped, so reading back is never ambiguous.
const ENVELOPE_KEY = "__superjson";

interface Envelope {
  [ENVELOPE_KEY]: { json: unknown; meta?: unknown };
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, ENVELOPE_KEY);
}

/** Encodes a value as the default serdes stores it; undefined for undefined. */
export function serializeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // Plain JSON scalars need no type metadata: skip the walk for the most common results.
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0))
  ) {
    return JSON.stringify(value);
  }
  const shape = inspectValue(value);
  if (shape.refused) throw new TypeError(shape.refused);
  // Plain JSON is written as JSON.stringify writes it, whatever its keys are called: superjson
  // refuses keys named `constructor` and `prototype`, which ordinary JSON data may well have.
  if (shape.plainJson) return isEnvelope(value) ? JSON.stringify({ [ENVELOPE_KEY]: { json: value } }) : JSON.stringify(value);
  const { json, meta } = typedJson.serialize(value);
  if (meta === undefined && !isEnvelope(json)) return JSON.stringify(json);
  return JSON.stringify({ [ENVELOPE_KEY]: meta === undefined ? { json } : { json, meta } });
}

/**
 * Decodes what serializeValue wrote (or any JSON). Refuses own `__proto__` keys anywhere in the
 * data — a payload can come from outside (a callback result), and such a key would replace an
 * object's prototype if the handler later copied the value with Object.assign or a deep merge.
 */
export function deserializeValue<T>(data: string | undefined): T | undefined {
  if (data === undefined) return undefined;
  const parsed: unknown = JSON.parse(data);
  // JSON.parse makes "__proto__" an own key (it never sets a prototype); only look for one when
  // the text could spell it, directly or through a \u escape.
  if (data.includes("__proto__") || data.includes("\\u")) refuseProtoKeys(parsed);
  if (!isEnvelope(parsed)) return parsed as T;
  const { json, meta } = parsed[ENVELOPE_KEY];
  if (meta === undefined) return json as T;
  return typedJson.deserialize<T>(json, meta);
}

/** The default serdes: superjson, written as plain JSON when no type information is needed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default accepts any value
export const defaultSerdes: Serdes<any> = {
  serialize: async (value) => serializeValue(value),
  deserialize: async (data) => deserializeValue(data),
};

/** Plain JSON, for values that must be readable by non-Cairn consumers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON accepts any value
export const jsonSerdes: Serdes<any> = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
  deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
};
