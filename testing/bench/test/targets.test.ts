// The targets' verdicts and the figures printed beside them: a figure on the wrong side of its
// limit must never print as the limit itself.
import { expect, it } from "vitest";
// @ts-expect-error: the bench's modules are plain JavaScript without declarations
import { fmtBeside, targetsOf } from "../src/stores/targets.mjs";

interface Target {
  name: string;
  measured: string;
  met: boolean | undefined;
}

const seq100x50 = { id: "conc-100x50", handler: "seq", executions: 100, size: 50, requestUnit: "step" };

it("prints a figure just past its limit with the digits that show it", () => {
  expect(fmtBeside(1.105, 1.1)).toBe("1.105");
  expect(fmtBeside(1.0999, 1.1)).toBe("1.0999");
  expect(fmtBeside(0.4996, 0.5)).toBe("0.4996");
  expect(fmtBeside(2.001, 2)).toBe("2.001");
  // Figures that do not read as the limit keep the tables' three digits.
  expect(fmtBeside(1.06, 1.1)).toBe("1.06");
  expect(fmtBeside(0.031, 0.05)).toBe("0.0310");
  expect(fmtBeside(0.5, 0.5)).toBe("0.500");
  expect(fmtBeside(undefined, 1.1)).toBe("-");
});

it("judges DynamoDB's requests per step against 1.1 and prints what it judged", () => {
  const targets = targetsOf(seq100x50, "dynamodb", () => ({ msPerUnit: 2.7, figure: 364, requests: { perUnit: 1.105 } }), 0.15) as Target[];
  expect(targets).toEqual([{ name: "≤ 1.1 req/step", limit: "≤ 1.1 requests per step", measured: "1.105", met: false }]);
});

it("judges the file store's share of the memory store's throughput against one half", () => {
  const results: Record<string, { msPerUnit: number; figure: number }> = {
    memory: { msPerUnit: 0.02, figure: 50_000 },
    file: { msPerUnit: 0.04002, figure: 24_988 },
  };
  const targets = targetsOf(seq100x50, "file", (store: string) => results[store], 0.15) as Target[];
  const half = targets.find((t) => t.name === "≥ ½ memory");
  expect(half).toMatchObject({ measured: "0.4998 of memory", met: false });
  // No Restate result: that target is neither met nor missed.
  expect(targets.find((t) => t.name === "ahead of Restate")).toMatchObject({ measured: "-", met: undefined });
});
