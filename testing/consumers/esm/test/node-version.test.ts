// run.mjs runs this project under every supported Node major; this checks that a run really is on
// the version it was started for, vitest's workers included.
import { expect, it } from "vitest";

const expected = process.env.CAIRN_EXPECT_NODE_MAJOR;

it.skipIf(!expected)(`runs on Node ${expected ?? "(any)"}`, () => {
  expect(process.versions.node.split(".")[0]).toBe(expected);
});
