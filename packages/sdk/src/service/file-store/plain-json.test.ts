import { describe, expect, it } from "vitest";
import { stringifyWithDates } from "./plain-json.js";

class Money {
  constructor(readonly cents: number) {}
  toJSON() {
    return `${this.cents / 100} EUR`;
  }
}

describe("stringifyWithDates", () => {
  it("writes exactly what JSON.stringify writes", () => {
    const at = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
    const nullProto = Object.assign(Object.create(null) as object, { when: new Date(0), n: 1 });
    const values: unknown[] = [
      { seq: 3, operations: [{ Id: "1", StartTimestamp: at, EndTimestamp: at, StepDetails: { Result: '"x"', Attempt: 1 } }] },
      { a: undefined, b: () => 1, c: Symbol("s"), d: null, e: [undefined, () => 1, Symbol("t"), new Date(Number.NaN)] },
      { invalid: new Date(Number.NaN), big: new Date(8.64e15), before1970: new Date(-1), y10k: new Date(Date.UTC(10000, 0, 1)) },
      [new Date(1), new Date(2), new Date(1), at, at],
      { money: new Money(1250), nested: { money: [new Money(5)] }, nullProto },
      { withToJSON: { toJSON: () => ({ inner: new Date(5) }) }, date: new Date(5) },
      "text",
      42,
      null,
      [],
      {},
      [1, , 3],
      { "\u2028key\"": "value\n\u0000" },
    ];
    for (const value of values) expect(stringifyWithDates(value)).toBe(JSON.stringify(value));
  });

  it("gives each Date its own text when consecutive Dates differ by a millisecond or share one", () => {
    const dates = Array.from({ length: 50 }, (_, i) => new Date(1_700_000_000_000 + Math.floor(i / 3)));
    expect(stringifyWithDates({ dates })).toBe(JSON.stringify({ dates }));
    // A Date changed after it was written is written anew.
    const moving = new Date(1000);
    expect(stringifyWithDates([moving])).toBe('["1970-01-01T00:00:01.000Z"]');
    moving.setTime(2000);
    expect(stringifyWithDates([moving])).toBe('["1970-01-01T00:00:02.000Z"]');
  });

  it("leaves the value it was given as it was", () => {
    const at = new Date(1234);
    const value = { operations: [{ StartTimestamp: at }] };
    stringifyWithDates(value);
    expect(value.operations[0]!.StartTimestamp).toBe(at);
  });
});
