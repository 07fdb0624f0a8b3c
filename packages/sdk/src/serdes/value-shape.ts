// One walk over a value before it is stored: what must be refused, and whether plain JSON
// represents it exactly (then it is written with JSON.stringify, as the AWS SDK writes it).

/** What the walk found: a reason to refuse the value, and whether it is plain JSON. */
export interface ValueShape {
  /** Where a value sits that cannot be stored, and why; undefined when everything can be. */
  refused: string | undefined;
  /** True when JSON.stringify / JSON.parse give back an equal value (no types, no shared objects). */
  plainJson: boolean;
}

const PROTO_KEY = "__proto__";

function protoKeyMessage(path: string): string {
  return (
    `${path} is an own "__proto__" key, which would replace an object's prototype when the value is ` +
    "copied (Object.assign, a deep merge); rename the key"
  );
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function promiseMessage(path: string): string {
  return `${path} is a promise, which would be stored as {}; await it (or Promise.all the values) before returning the result.`;
}

/**
 * Why an object that is not plain cannot be stored, or undefined when its stored form is faithful
 * enough. An instance whose class has methods would come back on replay as a plain object without
 * them — the handler would then fail, or behave differently, only in a later invocation. Errors and
 * URLs (superjson keeps their type) and instances that say how they are stored (toJSON) pass.
 */
function lostInFlattening(object: object, path: string): string | undefined {
  if (object instanceof Error || object instanceof URL || Object.prototype.toString.call(object) === "[object Error]") return undefined;
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") return undefined;
  const className = methodfulClassOf(object);
  if (className === undefined) return undefined;
  return (
    `${path} (an instance of ${className}) would be stored as a plain object and come back on replay without its ` +
    `methods; return plain data (e.g. { ...value }), give the class a toJSON method, or pass a custom serdes that rebuilds it.`
  );
}

/** The name of the first class in `object`'s prototype chain that defines methods, if any. */
function methodfulClassOf(object: object): string | undefined {
  for (let proto: unknown = Object.getPrototypeOf(object); proto !== null && typeof proto === "object"; proto = Object.getPrototypeOf(proto)) {
    // The root of the chain: Object.prototype of this realm or of another (a vm context).
    if (Object.getPrototypeOf(proto) === null) return undefined;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor") continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor && (typeof descriptor.value === "function" || descriptor.get !== undefined)) {
        const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
        return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "an anonymous class";
      }
    }
  }
  return undefined;
}

/**
 * Walks `value` once: refuses functions and symbols (superjson would silently drop them), promises
 * and instances of classes with methods (see lostInFlattening) and own `__proto__` keys, naming
 * where they sit (`value.items[2].onDone (a function)`), and tells whether the value is plain JSON.
 */
export function inspectValue(value: unknown): ValueShape {
  const seen = new Set<object>();
  let plainJson = true;
  const visit = (current: unknown, path: string): string | undefined => {
    switch (typeof current) {
      case "function":
        return `${path} (a function) cannot be checkpointed; return data, not behaviour (functions and symbols are not data).`;
      case "symbol":
        return `${path} (a symbol) cannot be checkpointed; return data, not behaviour (functions and symbols are not data).`;
      case "undefined":
      case "bigint":
        plainJson = false;
        return undefined;
      case "number":
        if (!Number.isFinite(current) || Object.is(current, -0)) plainJson = false;
        return undefined;
      case "string":
      case "boolean":
        return undefined;
    }
    if (current === null) return undefined;
    const object = current as object;
    // A second sighting is a shared object or a cycle: superjson keeps its identity, JSON cannot.
    if (seen.has(object)) {
      plainJson = false;
      return undefined;
    }
    seen.add(object);
    // Checked before anything else: a plain object with a `then` method is awaited like a promise.
    if (typeof (object as { then?: unknown }).then === "function") return promiseMessage(path);
    if (object instanceof Map) {
      plainJson = false;
      for (const [key, entry] of object) {
        const found = visit(key, `${path} key`) ?? visit(entry, `${path}.get(${String(key)})`);
        if (found) return found;
      }
      return undefined;
    }
    if (object instanceof Set) {
      plainJson = false;
      for (const entry of object) {
        const found = visit(entry, `${path} entry`);
        if (found) return found;
      }
      return undefined;
    }
    if (ArrayBuffer.isView(object) || object instanceof Date || object instanceof RegExp) {
      plainJson = false;
      return undefined;
    }
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const found = visit(object[i], `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    }
    if (!isPlainObject(object)) {
      const lost = lostInFlattening(object, path);
      if (lost) return lost;
      // Errors, URLs and instances that define toJSON go through superjson, which decides how to store them.
      plainJson = false;
    }
    for (const key of Object.keys(object)) {
      if (key === PROTO_KEY) return `${protoKeyMessage(`${path}.${key}`)}.`;
      const found = visit((object as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  const refused = visit(value, "value");
  return { refused, plainJson: refused === undefined && plainJson };
}

/**
 * Throws when parsed JSON has an own `__proto__` key anywhere. JSON.parse itself only creates an
 * own property, but the handler could later copy the value into another object and change its
 * prototype; a stored value never has one (serializeValue refuses it), so it came from outside.
 */
export function refuseProtoKeys(parsed: unknown): void {
  const visit = (current: unknown, path: string): void => {
    if (current === null || typeof current !== "object") return;
    if (Array.isArray(current)) {
      current.forEach((entry, i) => visit(entry, `${path}[${i}]`));
      return;
    }
    for (const key of Object.keys(current)) {
      if (key === PROTO_KEY) throw new TypeError(`${protoKeyMessage(`${path}.${key}`)} where the data is written.`);
      visit((current as Record<string, unknown>)[key], `${path}.${key}`);
    }
  };
  visit(parsed, "value");
}
