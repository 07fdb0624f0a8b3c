// run.mjs runs this project under every supported Node major; this checks that a run really is on
// the version it was started for, jest's workers included.
const expected = process.env.CAIRN_EXPECT_NODE_MAJOR;

(expected ? it : it.skip)(`runs on Node ${expected ?? "(any)"}`, () => {
  expect(process.versions.node.split(".")[0]).toBe(expected);
});
