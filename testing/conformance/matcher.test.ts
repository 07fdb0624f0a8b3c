import { describe, expect, it } from "vitest";
import { compareSequences, countMatchingLogs, deepEqual, matchHistory, matchLogs, matchValue, type Bindings, type Mismatch } from "./lib/matcher.js";

function check(expected: unknown, actual: unknown, bindings: Bindings = new Map()): Mismatch[] {
  const out: Mismatch[] = [];
  matchValue(expected, actual, "", bindings, out);
  return out;
}

describe("matchValue", () => {
  it("'*' accepts any present value but not an absent one", () => {
    expect(check("*", 1)).toEqual([]);
    expect(check("*", { a: 1 })).toEqual([]);
    expect(check("*", null)).toEqual([]);
    expect(check("*", undefined)).toHaveLength(1);
  });

  it("{} is don't-care, even for an absent or non-object value", () => {
    expect(check({}, undefined)).toEqual([]);
    expect(check({}, { x: 1 })).toEqual([]);
    expect(check({}, "text")).toEqual([]);
  });

  it("checks only the expected keys, recursively", () => {
    expect(check({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toEqual([]);
    const out = check({ a: { b: 1 } }, { a: { b: 2 } });
    expect(out).toHaveLength(1);
    expect(out[0]!.path).toBe("a.b");
  });

  it("requires expected keys to be present", () => {
    expect(check({ a: 1 }, {})).toHaveLength(1);
    expect(check({ a: { b: 1 } }, undefined)).toHaveLength(1);
  });

  it("binds ${X} on first sight and requires equality later", () => {
    const bindings: Bindings = new Map();
    expect(check("${ID1}", "abc", bindings)).toEqual([]);
    expect(bindings.get("ID1")).toBe("abc");
    expect(check("${ID1}", "abc", bindings)).toEqual([]);
    expect(check("${ID1}", "xyz", bindings)).toHaveLength(1);
  });

  it("binds consistently across events of a history", () => {
    const expected = [
      { EventId: 2, EventType: "StepStarted", Id: "${ID1}" },
      { EventId: 3, EventType: "StepSucceeded", Id: "${ID1}" },
    ];
    expect(
      matchHistory(expected, [
        { EventId: 2, EventType: "StepStarted", Id: "s1" },
        { EventId: 3, EventType: "StepSucceeded", Id: "s1" },
      ]),
    ).toEqual([]);
    expect(
      matchHistory(expected, [
        { EventId: 2, EventType: "StepStarted", Id: "s1" },
        { EventId: 3, EventType: "StepSucceeded", Id: "s2" },
      ]),
    ).toHaveLength(1);
  });

  it("binds an absent value (unnamed operation) and requires it absent later", () => {
    const bindings: Bindings = new Map();
    expect(check({ Name: "${NAME1}" }, {}, bindings)).toEqual([]);
    expect(check({ Name: "${NAME1}" }, {}, bindings)).toEqual([]);
    expect(check({ Name: "${NAME1}" }, { Name: "x" }, bindings)).toHaveLength(1);
  });

  it("matches ${/regex/} against the value's text", () => {
    expect(check("${/^[0-5]$/}", 3)).toEqual([]);
    expect(check("${/^[0-5]$/}", 7)).toHaveLength(1);
    expect(check("${/^([0-9]|10)$/}", 10)).toEqual([]);
    expect(check("${/.*TransientError$/}", "my.TransientError")).toEqual([]);
    expect(check("${/.*TransientError$/}", "Error")).toHaveLength(1);
    expect(check("${/.*/}", undefined)).toHaveLength(1);
  });

  it("matches templates with embedded bindings", () => {
    const bindings: Bindings = new Map([["A", "x1"]]);
    expect(check("pre-${A}-${B}", "pre-x1-y2", bindings)).toEqual([]);
    expect(bindings.get("B")).toBe("y2");
    expect(check("pre-${A}", "pre-x2", bindings)).toHaveLength(1);
  });

  it("requires lists of the same length, element-wise", () => {
    expect(check([1, { a: 2 }], [1, { a: 2, b: 3 }])).toEqual([]);
    expect(check([1, 2], [1, 2, 3])).toHaveLength(1);
    expect(check([1, 2], [1, 3])).toHaveLength(1);
    expect(check([], [])).toEqual([]);
    expect(check([1], "1")).toHaveLength(1);
  });

  it("compares literal values strictly, Dates as ISO strings", () => {
    expect(check(2, 2)).toEqual([]);
    expect(check(2, "2")).toHaveLength(1);
    expect(check('"abc"', '"abc"')).toEqual([]);
    expect(check("2024-01-01T00:00:00.000Z", new Date("2024-01-01T00:00:00Z"))).toEqual([]);
    expect(check(null, undefined)).toEqual([]);
    expect(check(null, 0)).toHaveLength(1);
  });
});

describe("matchHistory", () => {
  it("pairs by EventId and ignores extra actual events", () => {
    const out = matchHistory(
      [{ EventId: 3, EventType: "WaitStarted", WaitStartedDetails: { Duration: 2 } }],
      [
        { EventId: 1, EventType: "ExecutionStarted" },
        { EventId: 2, EventType: "StepStarted" },
        { EventId: 3, EventType: "WaitStarted", WaitStartedDetails: { Duration: 2, ScheduledEndTimestamp: new Date() } },
        { EventId: 4, EventType: "InvocationCompleted" },
      ],
    );
    expect(out).toEqual([]);
  });

  it("reports a missing event and a wrong event type", () => {
    const out = matchHistory(
      [
        { EventId: 2, EventType: "StepStarted", Id: "${X}" },
        { EventId: 9, EventType: "InvocationCompleted" },
      ],
      [{ EventId: 2, EventType: "WaitStarted", Id: "w" }],
    );
    expect(out).toHaveLength(2);
    expect(out[0]!.reason).toMatch(/expected StepStarted, got WaitStarted/);
    expect(out[1]!.reason).toMatch(/no actual event/);
  });
});

describe("logs", () => {
  const records = [
    { level: "INFO", message: "Greeting step started for: abc" },
    { level: "INFO", message: "Greeting step completed with: Hello, abc!" },
    { level: "INFO", message: "abc again", op: "s1" },
  ];

  it("counts records whose message matches a /regex/", () => {
    expect(countMatchingLogs({ message: "/abc/" }, records, new Map())).toBe(3);
    expect(countMatchingLogs({ message: "/Hello, abc!/" }, records, new Map())).toBe(1);
    expect(countMatchingLogs({ message: "/\\[ERROR\\]/" }, records, new Map())).toBe(0);
  });

  it("uses bindings from the history and checks counts", () => {
    const bindings: Bindings = new Map([["ID1", "s1"]]);
    expect(countMatchingLogs({ op: "${ID1}" }, records, bindings)).toBe(1);
    expect(matchLogs([{ match: { message: "/abc/" }, count: 3 }], records, bindings)).toEqual([]);
    expect(matchLogs([{ match: { message: "/abc/" }, count: 1 }], records, bindings)).toHaveLength(1);
    expect(matchLogs([{ match: { message: "/nothing/" }, count: 0 }], records, bindings)).toEqual([]);
  });
});

describe("deepEqual", () => {
  it("ignores key order and undefined members", () => {
    expect(deepEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1, c: undefined })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe("compareSequences", () => {
  const skipped = ["StepStarted|1", "InvocationCompleted|", "StepSucceeded|1", "InvocationCompleted|"];

  it("accepts the same sequence and a prefix of an early-stopped run", () => {
    expect(compareSequences(skipped, [...skipped], { realStoppedEarly: false, unordered: false })).toEqual([]);
    expect(compareSequences(skipped, skipped.slice(0, 2), { realStoppedEarly: true, unordered: false })).toEqual([]);
  });

  it("reports the first difference", () => {
    const out = compareSequences(skipped, ["StepStarted|1", "StepSucceeded|1"], { realStoppedEarly: false, unordered: false });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/event 2/);
  });

  it("compares only the set of events when order may vary", () => {
    expect(compareSequences(["a", "b"], ["b", "a"], { realStoppedEarly: false, unordered: true })).toEqual([]);
    expect(compareSequences(["a", "b"], ["b", "a"], { realStoppedEarly: false, unordered: false })).toHaveLength(1);
  });
});

describe("ExpectedLogs rules", () => {
  const lines = [
    { plugin: "P", hook: "invocation-start", first: true },
    { message: "step ran for abc" },
    { plugin: "P", hook: "invocation-end", status: "SUCCEEDED", type: "Context" },
  ];

  it("checks min_count and the default of at least one", () => {
    expect(matchLogs([{ match: { plugin: "P" }, min_count: 2 }], lines, new Map())).toEqual([]);
    expect(matchLogs([{ match: { plugin: "P" }, min_count: 3 }], lines, new Map())).toHaveLength(1);
    expect(matchLogs([{ match: { plugin: "Q" } }], lines, new Map())).toHaveLength(1);
  });

  it("checks that every matching line comes after the `after` lines", () => {
    const ok = { match: { hook: "invocation-end" }, count: 1, after: [{ message: "/abc/" }, { first: true }] };
    expect(matchLogs([ok], lines, new Map())).toEqual([]);
    const early = { match: { first: true }, count: 1, after: [{ hook: "invocation-end" }] };
    expect(matchLogs([early], lines, new Map())[0]?.reason).toMatch(/comes before it/);
    const never = { match: { first: true }, after: [{ hook: "nope" }] };
    expect(matchLogs([never], lines, new Map())[0]?.reason).toMatch(/never appears/);
  });

  it("reads a leading (?i) as a case-insensitive regex", () => {
    expect(countMatchingLogs({ type: "/(?i)^context$/" }, lines, new Map())).toBe(1);
    expect(countMatchingLogs({ type: "/^context$/" }, lines, new Map())).toBe(0);
  });
});
