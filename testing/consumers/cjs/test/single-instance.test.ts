// One copy of @cairn/sdk whichever way it is reached: the runner from @cairn/testing drives a
// handler built with the test's own @cairn/sdk, and the errors and enums it hands back are the
// test's classes. A plain Node process then mixes `require` and `import` of both packages.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import * as sdk from "@cairn/sdk";
import * as testing from "@cairn/testing";

const run = promisify(execFile);

describe("one instance of @cairn/sdk", () => {
  it("shares enums and error classes between @cairn/testing and the test's @cairn/sdk", async () => {
    expect(testing.OperationStatus).toBe(sdk.OperationStatus);
    expect(testing.OperationType).toBe(sdk.OperationType);

    let caught: unknown;
    const handler = sdk.withDurableExecution(async (_event: unknown, ctx: sdk.DurableContext) => {
      try {
        await ctx.step("always-fails", async () => {
          throw new Error("boom");
        }, { retryStrategy: () => ({ shouldRetry: false }) });
      } catch (error) {
        caught = error;
      }
      return "handled";
    });
    const result = await new testing.LocalDurableTestRunner({ handlerFunction: handler, skipTime: true }).run();
    expect(result.getResult()).toBe("handled");
    expect(caught).toBeInstanceOf(sdk.StepError);
    expect(caught).toBeInstanceOf(sdk.DurableOperationError);
    expect((caught as Error).message).toContain("boom");
  });

  it("gives one copy to `require` and `import` in one Node process", async () => {
    const script = join(__dirname, "fixtures", "mixed-loading.cjs");
    const { stdout } = await run(process.execPath, [script], { cwd: join(__dirname, ".."), timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      sameStepError: true,
      sameRunner: true,
      sameOperationStatus: true,
      stepErrorAcrossEntries: true,
      skipTimeSetThroughImport: true,
      result: "handled",
    });
  });
});
