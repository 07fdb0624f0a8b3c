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
