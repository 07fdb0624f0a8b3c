import { describe, expect, it } from "vitest";
import { deserializeValue, serializeValue } from "./default-serdes.js";

describe("default serdes", () => {
  it.each([
    ["a string", "hello"],
    ["a number", 42.5],
    ["a boolean", false],
    ["null", null],
    ["an array", [1, "two", null, { three: 3 }]],
    ["an object", { user: { name: "Ada", tags: ["a", "b"] }, count: 2 }],
  ])("writes %s as plain JSON", (_what, value) => {
    const text = serializeValue(value);
    expect(text).toBe(JSON.stringify(value));
    expect(deserializeValue(text)).toEqual(value);
  });

  it.each([
    ["a Date", new Date("2024-02-29T12:34:56.789Z")],
    ["a Map", new Map<unknown, unknown>([["k", 1], [2, { nested: true }]])],
    ["a Set", new Set(["x", "y"])],
    ["a BigInt", 2n ** 80n],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["minus zero", -0],
    ["undefined inside an object", { a: undefined, b: 1 }],
    ["a RegExp", /ab+c/gi],
    ["nested types", { when: new Date(0), ids: new Set([1n, 2n]), list: [new Map([["m", new Date(1)]])] }],
  ])("round-trips %s with its type", (_what, value) => {
    const back = deserializeValue(serializeValue(value));
    expect(back).toEqual(value);
    if (typeof value === "object" && value !== null) expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(value));
    if (Object.is(value, -0)) expect(Object.is(back, -0)).toBe(true);
  });

  it("keeps a key that is present with the value undefined", () => {
    const back = deserializeValue<Record<string, unknown>>(serializeValue({ a: undefined }));
    expect(Object.keys(back ?? {})).toEqual(["a"]);
  });

  it("writes nothing for undefined and reads nothing back", () => {
    expect(serializeValue(undefined)).toBeUndefined();
    expect(deserializeValue(undefined)).toBeUndefined();
  });

  it.each([
    ["a function", { total: 3, onDone: () => 1 }, /value\.onDone \(a function\)/],
    ["a symbol deep inside", { items: [{ tag: Symbol("t") }] }, /value\.items\[0\]\.tag \(a symbol\)/],
    ["a function in a Map", new Map([["k", () => 1]]), /value\.get\(k\) \(a function\)/],
    ["a bare function", () => 1, /^value \(a function\)/],
  ])("refuses %s instead of silently dropping it", (_what, value, where) => {
    expect(() => serializeValue(value)).toThrow(where);
  });

  class Invoice {
    constructor(readonly total: number) {}
    withTax(): number {
      return this.total * 1.2;
    }
  }
  class Draft extends Invoice {}
  class Money {
    constructor(readonly cents: number) {}
    toJSON(): string {
      return `${this.cents / 100}`;
    }
  }

  it.each([
    ["a promise", Promise.resolve(1), /^value is a promise, which would be stored as \{\}; await it/],
    ["a promise deep inside", { rows: [1, Promise.resolve(2)] }, /value\.rows\[1\] is a promise/],
    ["a hand-made thenable", { then: (resolve: (v: number) => void) => resolve(1) }, /value is a promise/],
    ["an instance of a class with methods", { invoice: new Invoice(10) }, /value\.invoice \(an instance of Invoice\) would be stored as a plain object/],
    ["an instance whose methods are inherited", [new Draft(1)], /value\[0\] \(an instance of Invoice\)/],
    ["an ArrayBuffer (stored as {} otherwise)", new ArrayBuffer(4), /an instance of ArrayBuffer/],
  ])("refuses %s, which would come back as something else on replay", (_what, value, message) => {
    expect(() => serializeValue(value)).toThrow(message);
  });

  it.each([
    ["an Error subclass", new (class Declined extends Error {})("declined")],
    ["an object without a prototype", Object.assign(Object.create(null) as object, { a: 1 })],
    ["an instance of a class with fields only", new (class Row { id = 7; tags = ["x"]; })()],
    ["a URL", new URL("https://example.com/a?b=1")],
  ])("stores %s", (_what, value) => {
    expect(() => serializeValue(value)).not.toThrow();
  });

  it("stores an instance that says how through toJSON, as toJSON says", () => {
    expect(deserializeValue(serializeValue({ price: new Money(1250) }))).toEqual({ price: "12.5" });
  });

  it("accepts an object from another realm as plain data", async () => {
    const { runInNewContext } = await import("node:vm");
    const foreign = runInNewContext("({ a: 1, list: [1, 2] })") as object;
    expect(deserializeValue(serializeValue(foreign))).toEqual({ a: 1, list: [1, 2] });
  });

  it("handles cycles", () => {
    const node: Record<string, unknown> = { name: "a" };
    node.self = node;
    const back = deserializeValue<Record<string, unknown>>(serializeValue(node));
    expect(back?.self).toBe(back);
  });

  it("never confuses a user object that looks like its envelope", () => {
    const tricky = { __superjson: { json: "not really" } };
    expect(deserializeValue(serializeValue(tricky))).toEqual(tricky);
  });
});

describe("default serdes: keys that name prototype machinery", () => {
  const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort();
  const before = protoSnapshot();
  const assertPristine = () => {
    expect(protoSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  };

  it.each([
    ["constructor at the top", { constructor: "Point", x: 1 }],
    ["prototype at the top", { prototype: { area: 2 } }],
    ["both, nested and in arrays", { shape: { constructor: { prototype: { polluted: true } } }, list: [{ constructor: 1 }] }],
    ["a key that starts with the escape character", { "~constructor": 1, "~": 2, constructor: 3 }],
  ])("writes plain JSON with %s exactly as JSON.stringify does", (_what, value) => {
    const text = serializeValue(value);
    expect(text).toBe(JSON.stringify(value));
    const back = deserializeValue<Record<string, unknown>>(text);
    expect(back).toEqual(value);
    expect(Object.keys(back ?? {})).toEqual(Object.keys(value));
    assertPristine();
  });

  it.each([
    ["next to a Date", { constructor: "Order", placed: new Date(5) }],
    ["inside a Map value", new Map([["k", { prototype: { d: new Date(1) }, n: 1n }]])],
    ["inside a Set", new Set([{ constructor: { prototype: { polluted: true } } }, 2n])],
    ["escaped-looking keys beside them", { constructor: 1, "~x": new Date(2), "~~y": undefined, plain: [new Set([1])] }],
    ["under an escaped key, nested", { constructor: { prototype: { constructor: new Map([[1, new Date(3)]]) } } }],
  ])("round-trips typed values with those keys %s", (_what, value) => {
    const text = serializeValue(value);
    expect(text).toContain("__superjson");
    const back = deserializeValue(text);
    expect(back).toEqual(value);
    assertPristine();
  });

  it("keeps the key order of an object it had to escape", () => {
    const value = { b: 1, constructor: 2, "~a": 3, when: new Date(0) };
    const back = deserializeValue<Record<string, unknown>>(serializeValue(value));
    expect(Object.keys(back ?? {})).toEqual(["b", "constructor", "~a", "when"]);
  });

  it("keeps shared objects and cycles that pass through an escaped object", () => {
    const shared = { constructor: "shared", at: new Date(7) };
    const node: Record<string, unknown> = { constructor: { prototype: shared }, again: shared };
    node.self = node;
    const back = deserializeValue<{ constructor: { prototype: unknown }; again: unknown; self: unknown }>(serializeValue(node));
    expect(back?.again).toEqual(shared);
    expect(back?.constructor.prototype).toBe(back?.again);
    expect(back?.self).toBe(back);
    assertPristine();
  });

  it.each([
    ["at the top", JSON.parse('{"__proto__": {"polluted": 1}}')],
    ["nested in an array", { list: [JSON.parse('{"a": {"__proto__": {"polluted": 1}}}')] }],
    ["inside a Set", new Set([JSON.parse('{"__proto__": {"polluted": 1}}')])],
    ["as a Map value", new Map([["k", JSON.parse('{"__proto__": {"polluted": 1}}')]])],
    ["beside a Date", { when: new Date(0), x: JSON.parse('{"__proto__": {"polluted": 1}}') }],
  ])("refuses an own __proto__ key %s when writing", (_what, value) => {
    expect(() => serializeValue(value)).toThrow(/own "__proto__" key.*rename the key/);
    assertPristine();
  });

  it("stores a Map whose key is the string __proto__: a Map key cannot reach a prototype", () => {
    const value = new Map([["__proto__", { polluted: true }]]);
    const back = deserializeValue<Map<string, unknown>>(serializeValue(value));
    expect(back?.get("__proto__")).toEqual({ polluted: true });
    assertPristine();
  });

  it.each([
    ["plain JSON", '{"__proto__": {"polluted": 1}}'],
    ["plain JSON, nested in an array", '{"a": [{"b": {"__proto__": {"polluted": 1}}}]}'],
    ["plain JSON spelling the key with escapes", '{"\\u005f_proto__": {"polluted": 1}}'],
    ["an envelope's json", '{"__superjson": {"json": {"d": "1970-01-01T00:00:00.000Z", "__proto__": {"polluted": 1}}, "meta": {"values": {"d": ["Date"]}, "v": 1}}}'],
    ["an envelope whose Set holds one", '{"__superjson": {"json": {"s": [{"__proto__": {"polluted": 1}}]}, "meta": {"values": {"s": ["set"]}, "v": 1}}}'],
    ["a meta path", '{"__superjson": {"json": {}, "meta": {"values": {"__proto__.polluted": ["Date"]}, "v": 1}}}'],
    ["a meta path through constructor", '{"__superjson": {"json": {}, "meta": {"values": {"constructor.prototype.polluted": ["Date"]}, "v": 1}}}'],
    ["an escaped key", '{"__superjson": {"json": {"~__proto__": {"polluted": 1}, "~constructor": 1}, "meta": {"values": [["custom", "cairn:escaped-keys"]], "v": 1}}}'],
  ])("refuses crafted data with __proto__ in %s when reading, leaving Object.prototype alone", (_what, text) => {
    expect(() => deserializeValue(text)).toThrow();
    assertPristine();
  });

  it("reads crafted constructor/prototype keys as ordinary data", () => {
    const back = deserializeValue<Record<string, unknown>>('{"constructor": {"prototype": {"polluted": 1}}, "toString": 1}');
    expect(back).toEqual({ constructor: { prototype: { polluted: 1 } }, toString: 1 });
    assertPristine();
  });
});
