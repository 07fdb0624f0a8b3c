import { describe, expect, it } from "vitest";
import { firstUserFrame, isUserFrame } from "./user-frame.js";

// Cairn's own code, as the CLI would find it in a workspace.
const CAIRN = ["/repo/packages/cli/dist/", "/repo/packages/sdk/dist/"];

const SDK_FRAMES = [
  "at stepError (/repo/packages/sdk/dist/cjs/context/step-operation.js:179:10)",
  "at StepRun.fail (/repo/packages/sdk/dist/cjs/context/step-operation.js:144:11)",
];

function cause(name: string, stack: string[], inner?: string): string {
  return `cause: ${JSON.stringify({ ErrorType: name, ErrorMessage: "x", StackTrace: inner === undefined ? stack : [...stack, inner] })}`;
}

describe("isUserFrame", () => {
  it.each([
    ["at charge (file:///app/src/handler.mjs:16:13)", true],
    ["at /app/src/handler.js:3:1", true],
    ["at async run (/app/node_modules/pg/lib/client.js:10:2)", true],
    ["at file:///repo/packages/cli/test-fixtures/failing.mjs:16:13", true],
    ["at runStep (/repo/packages/sdk/dist/cjs/context/step-operation.js:82:57)", false],
    ["at drive (file:///repo/packages/cli/dist/drive.js:1:1)", false],
    ["at step (/app/node_modules/@cairn/sdk/dist/esm/context.js:1:1)", false],
    ["at AsyncLocalStorage.run (node:async_hooks:346:14)", false],
    ["at new Promise (<anonymous>)", false],
    ['cause: {"ErrorType":"E"}', false],
  ])("%s → %s", (frame, expected) => {
    expect(isUserFrame(frame, CAIRN)).toBe(expected);
  });
});

describe("firstUserFrame", () => {
  it("takes the error's own frame before its causes'", () => {
    const own = "at handler (/app/h.js:5:9)";
    expect(firstUserFrame([...SDK_FRAMES, own, cause("E", ["at inner (/app/lib.js:1:1)"])], CAIRN)).toBe(own);
  });

  it("finds the frame in a wrapped cause (a failed step), and in a cause of that cause", () => {
    const thrown = "at ctx.step.fn (file:///app/h.mjs:16:13)";
    expect(firstUserFrame([...SDK_FRAMES, cause("PaymentDeclined", ["at AsyncLocalStorage.run (node:async_hooks:346:14)", thrown])], CAIRN)).toBe(thrown);
    const deeper = "at query (/app/db.js:2:2)";
    expect(firstUserFrame([...SDK_FRAMES, cause("Outer", SDK_FRAMES, cause("Inner", [deeper]))], CAIRN)).toBe(deeper);
  });

  it("is undefined when only Cairn and Node are on the stack, or there is no stack", () => {
    expect(firstUserFrame([...SDK_FRAMES, "at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"], CAIRN)).toBeUndefined();
    expect(firstUserFrame(undefined, CAIRN)).toBeUndefined();
    expect(firstUserFrame(["cause: not json"], CAIRN)).toBeUndefined();
  });
});
