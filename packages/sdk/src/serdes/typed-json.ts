// superjson, with one addition: objects whose keys superjson refuses outright (`constructor`,
// `prototype`) are still stored. superjson rejects those keys both while walking a value and in
// the paths of its metadata, because assigning along such a path could reach a prototype. Here
// such an object is stored with those keys escaped (`~constructor`; a key that already starts
// with `~` gains one more), marked by a custom transformation, so every path superjson writes or
// follows names only the escaped keys. The keys are restored once superjson has finished —
// including its shared-reference pass, whose paths also use the escaped names — by defining own
// properties, which never touches a prototype.
import SuperJSON from "superjson";

const ESCAPE = "~";
const TRANSFORM_NAME = "cairn:escaped-keys";

function needsEscape(key: string): boolean {
  return key === "constructor" || key === "prototype" || key.startsWith(ESCAPE);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasReservedKey(value: Record<string, unknown>): boolean {
  return Object.hasOwn(value, "constructor") || Object.hasOwn(value, "prototype");
}

function escaped(value: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) define(copy, needsEscape(key) ? ESCAPE + key : key, entry);
  return copy;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Renames the escaped keys of `target` back, in place and in their original order. */
function unescapeInPlace(target: Record<string, unknown>): void {
  const entries = Object.entries(target);
  for (const [key] of entries) delete target[key];
  for (const [key, entry] of entries) {
    const original = key.startsWith(ESCAPE) ? key.slice(ESCAPE.length) : key;
    if (original === "__proto__") {
      throw new TypeError('the stored value has an own "__proto__" key, which would replace an object\'s prototype when copied; it was not written by Cairn');
    }
    define(target, original, entry);
  }
}

// A private instance: registering the transformation on superjson's shared default instance would
// change how the application's own superjson calls behave.
const instance = new SuperJSON();

// Objects read back during the current deserialize call, renamed once it is done. deserialize is
// synchronous, so one module-level list cannot mix two calls.
let pendingUnescape: Record<string, unknown>[] | undefined;

// superjson types the stored form as its own JSON type; an escaped copy of a plain object is one.
type StoredJson = Parameters<typeof instance.deserialize>[0]["json"];

instance.registerCustom<Record<string, unknown>, StoredJson>(
  {
    isApplicable: (value: unknown): value is Record<string, unknown> => isPlainObject(value) && hasReservedKey(value),
    serialize: (value) => escaped(value) as StoredJson,
    deserialize: (value) => {
      if (!isPlainObject(value)) throw new TypeError(`${TRANSFORM_NAME} expects an object`);
      if (pendingUnescape === undefined) throw new TypeError(`${TRANSFORM_NAME} read outside typedJson.deserialize`);
      pendingUnescape.push(value);
      return value;
    },
  },
  TRANSFORM_NAME,
);

/** superjson's serialize/deserialize, accepting objects with `constructor` / `prototype` keys. */
export const typedJson = {
  serialize(value: unknown): { json: unknown; meta: unknown } {
    const { json, meta } = instance.serialize(value as never);
    return { json, meta };
  },
  deserialize<T>(json: unknown, meta: unknown): T {
    const pending: Record<string, unknown>[] = [];
    pendingUnescape = pending;
    try {
      // In place: the input was just parsed and is owned here; superjson's copy would assign keys
      // one by one, and assigning "__proto__" sets a prototype.
      const value = instance.deserialize<T>({ json: json as never, meta: meta as never }, { inPlace: true });
      pending.forEach(unescapeInPlace);
      return value;
    } finally {
      pendingUnescape = undefined;
    }
  },
};
