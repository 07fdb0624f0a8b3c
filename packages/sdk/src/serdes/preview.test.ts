import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { buildPreview, FieldMatchMode, PreviewMode } from "./preview.js";

const order = {
  id: "o-1",
  status: "paid",
  customer: { name: "Ada", email: "ada@example.com", address: { city: "Leeds", email: "post@example.com" } },
  lines: [
    { sku: "a", price: 3 },
    { sku: "b", price: 4, note: "gift" },
  ],
  card: { number: "4111", expiry: "12/29" },
};

describe("buildPreview", () => {
  it("shows only the included fields, masks wherever a masked name appears, and never the excluded ones", () => {
    expect(
      buildPreview(order, {
        mode: PreviewMode.EXCLUDE_ALL,
        include: [{ name: "id" }, { name: "status" }, { name: "card" }],
        mask: [{ name: "email" }, { name: "number" }],
        exclude: [{ name: "expiry" }],
      }),
    ).toEqual({
      id: "o-1",
      status: "paid",
      customer: { email: "***", address: { email: "***" } },
      card: { number: "***" },
    });
  });

  it("shows everything but the excluded fields in INCLUDE_ALL, merging array elements at the array's place", () => {
    expect(buildPreview(order, { mode: PreviewMode.INCLUDE_ALL, exclude: [{ name: "customer" }, { name: "card" }], maskString: "<hidden>", mask: [{ name: "note" }] })).toEqual({
      id: "o-1",
      status: "paid",
      lines: { sku: "b", price: 4, note: "<hidden>" },
    });
  });

  it("matches PATH fields by their whole path only", () => {
    const config = { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "customer.email", match: FieldMatchMode.PATH }], mask: [{ name: "email", match: FieldMatchMode.PATH }] };
    // "email" as a PATH names only a root field, which the order has none of.
    expect(buildPreview(order, config)).toEqual({ customer: { email: "ada@example.com" } });
  });

  it("stops at maxPreviewBytes, in the value's order", () => {
    const preview = buildPreview({ a: "x".repeat(10), b: "y".repeat(10), c: "z" }, { mode: PreviewMode.INCLUDE_ALL, maxPreviewBytes: 36 });
    expect(preview).toEqual({ a: "xxxxxxxxxx", b: "yyyyyyyyyy" });
    expect(buildPreview({ a: "x".repeat(100) }, { mode: PreviewMode.INCLUDE_ALL, maxPreviewBytes: 10 })).toBeUndefined();
  });

  it("gives undefined for no object or nothing shown, and skips keys that could change a prototype or hold a dot", () => {
    expect(buildPreview("text", { mode: PreviewMode.INCLUDE_ALL })).toBeUndefined();
    expect(buildPreview(null, { mode: PreviewMode.INCLUDE_ALL })).toBeUndefined();
    expect(buildPreview(order, { mode: PreviewMode.EXCLUDE_ALL })).toBeUndefined();
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"a.b":1,"ok":2}') as object;
    const preview = buildPreview(hostile, { mode: PreviewMode.INCLUDE_ALL });
    expect(preview).toEqual({ ok: 2 });
    expect(Object.getPrototypeOf(preview)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads a value that contains itself once, without looping", () => {
    const node: Record<string, unknown> = { id: "n-1", tags: ["a"] };
    node.self = node;
    node.children = [node, { id: "n-2" }];
    expect(buildPreview(node, { mode: PreviewMode.EXCLUDE_ALL, include: [{ name: "id" }] })).toEqual({ id: "n-1", children: { id: "n-2" } });
  });

  it("names what is wrong with a config", () => {
    expect(() => buildPreview(order, { mode: "SOME" as PreviewMode })).toThrow(ValidationError);
    expect(() => buildPreview(order, { mode: PreviewMode.EXCLUDE_ALL, include: ["id"] as never })).toThrow(/config.include must be a list/);
    expect(() => buildPreview(order, { mode: PreviewMode.INCLUDE_ALL, maxPreviewBytes: 0 })).toThrow(/maxPreviewBytes/);
  });
});
