import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error.js";
import { customSubType } from "./sub-type.js";

describe("customSubType", () => {
  it("accepts what the service accepts and leaves undefined to the default", () => {
    expect(customSubType("step", undefined)).toBeUndefined();
    for (const ok of ["Payment", "a", "A-b_9", "x".repeat(32)]) expect(customSubType("step", ok)).toBe(ok);
  });

  it("refuses the rest with a message naming the operation", () => {
    for (const bad of ["", " ", "a.b", "émoji", "x".repeat(33), null, 5, {}]) {
      expect(() => customSubType('step "charge"', bad), String(bad)).toThrow(ValidationError);
      expect(() => customSubType('step "charge"', bad)).toThrow(/^step "charge": subType must be 1 to 32 characters/);
    }
  });
});
