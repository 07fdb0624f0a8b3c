import { expect, it } from "vitest";
import { shownValue } from "./shown-value.js";

it("shows a bad value so that its type can be read from the message", () => {
  expect([Number.NaN, Number.POSITIVE_INFINITY, -1, 2.5, 10n].map(shownValue)).toEqual(["NaN", "Infinity", "-1", "2.5", "10"]);
  expect(["5000", ""].map(shownValue)).toEqual(['"5000"', '""']);
  expect([null, { seconds: 1 }, [1]].map(shownValue)).toEqual(["null", '{"seconds":1}', "[1]"]);
  expect([undefined, () => 1].map(shownValue)).toEqual(["undefined", "() => 1"]);
});
