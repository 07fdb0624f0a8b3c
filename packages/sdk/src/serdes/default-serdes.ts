import superjson from "superjson";
import type { Serdes } from "../types/serdes.js";

// The default serdes is superjson, so Date, Map, Set, BigInt, RegExp and undefined survive a
// checkpoint. Values that plain JSON already represents exactly are written as plain JSON, so
// checkpoints stay readable and match what other durable-execution SDKs write; only values that
// need type metadata are wrapped in an envelope under ENVELOPE_KEY. A plain object that happens to
// have that key is always wrapped, so reading back is never ambiguous.
const ENVELOPE_KEY = "__superjson";

interface Envelope {
  [ENVELOPE_KEY]: { json: unknown; meta?: unknown };
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === "object" && value !== null && !Array.isArray(value) && ENVELOPE_KEY in value;
}

export function serializeValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // Plain JSON scalars need no type metadata: skip superjson's walk for the most common results.
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0))
  ) {
    return JSON.stringify(value);
  }
  const unserializable = findUnserializable(value);
  if (unserializable) {
    throw new TypeError(`${unserializable} cannot be checkpointed; return data, not behaviour (functions and symbols are not data).`);
  }
  const { json, meta } = superjson.serialize(value);
  if (meta === undefined && !isEnvelope(json)) return JSON.stringify(json);
  return JSON.stringify({ [ENVELOPE_KEY]: meta === undefined ? { json } : { json, meta } });
}

/**
 * Where in `value` a function or symbol sits (superjson would silently drop it), e.g.
 * `value.items[2].onDone (a function)`; undefined when there is none.
 */
function findUnserializable(value: unknown): string | undefined {
  const seen = new Set<object>();
  const visit = (current: unknown, path: string): string | undefined => {
    if (typeof current === "function") return `${path} (a function)`;
    if (typeof current === "symbol") return `${path} (a symbol)`;
    if (current === null || typeof current !== "object" || seen.has(current)) return undefined;
    seen.add(current);
    if (current instanceof Map) {
      for (const [key, entry] of current) {
        const found = visit(key, `${path} key`) ?? visit(entry, `${path}.get(${String(key)})`);
        if (found) return found;
      }
      return undefined;
    }
    if (current instanceof Set) {
      for (const entry of current) {
        const found = visit(entry, `${path} entry`);
        if (found) return found;
      }
      return undefined;
    }
    if (ArrayBuffer.isView(current) || current instanceof Date || current instanceof RegExp) return undefined;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const found = visit(current[i], `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(current)) {
      const found = visit((current as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(value, "value");
}

export function deserializeValue<T>(data: string | undefined): T | undefined {
  if (data === undefined) return undefined;
  const parsed: unknown = JSON.parse(data);
  if (!isEnvelope(parsed)) return parsed as T;
  const { json, meta } = parsed[ENVELOPE_KEY];
  return superjson.deserialize<T>({ json: json as never, meta: meta as never });
}

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
