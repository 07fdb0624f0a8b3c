// The memory group's --node-flags: what reaches the children's `node`, and what is refused before
// anything runs.
import { expect, it } from "vitest";
// @ts-expect-error: the bench's modules are plain JavaScript without declarations
import { parseNodeFlags } from "../src/stores/map-memory.mjs";

it("splits --node-flags into the options the children's node gets", () => {
  expect(parseNodeFlags("--max-semi-space-size=2")).toEqual(["--max-semi-space-size=2"]);
  expect(parseNodeFlags("  --max-semi-space-size=1   --max_old_space_size=512 ")).toEqual(["--max-semi-space-size=1", "--max_old_space_size=512"]);
  expect(parseNodeFlags("")).toEqual([]);
});

it("refuses what is not a node option, naming it", () => {
  // A script path or a bare word would be run as the child's script, not passed as an option.
  expect(() => parseNodeFlags("--max-semi-space-size=2 evil.js")).toThrow(/--node-flags: "evil.js" is not a node option/);
  expect(() => parseNodeFlags("-e")).toThrow(/"-e" is not a node option/);
  expect(() => parseNodeFlags("--inspect= ")).toThrow(/"--inspect=" is not a node option/);
});
