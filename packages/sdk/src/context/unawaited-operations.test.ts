import { describe, expect, it } from "vitest";
import { runLocal } from "../test-support/run-local.js";

const warnings = (run: Awaited<ReturnType<typeof runLocal>>): string[] =>
  run.logs.filter((line) => line.level === "WARN").map((line) => line.message);

describe("a handler that returns while its operations still run", () => {
  it("is warned, naming each operation it never awaited", async () => {
    const run = await runLocal(async (_e, ctx) => {
      void ctx.wait("cool-down", { seconds: 30 });
      void ctx.step("notify", () => new Promise<string>(() => undefined));
      void ctx.waitForCallback(async () => undefined, { timeout: { hours: 1 } });
      return "done";
    });
    expect(run.execution.status).toBe("SUCCEEDED");
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^The handler returned while 3 durable operations it started were still running and never awaited: wait "cool-down", step "notify", waitForCallback \(unnamed\)\. Await each one/,
      ),
    ]);
  });

  it("is not warned about operations it awaited, chained, combined, or that finished on their own", async () => {
    const run = await runLocal(async (_e, ctx) => {
      const first = ctx.step("first", async () => 1);
      const second = ctx.step("second", async () => 2);
      const third = ctx.step("third", async () => 3);
      const raced = ctx.wait("long", { hours: 1 });
      void ctx.step("fire-and-forget", async () => "ran");
      await ctx.wait("short", { seconds: 1 });
      const [a, b] = await Promise.all([first, second]);
      const c = await third.then((value) => value * 10);
      await ctx.promise.race([raced, ctx.wait("shorter", { seconds: 1 })]);
      return a + b + c;
    });
    expect(run.result).toBe(33);
    expect(warnings(run)).toEqual([]);
  });

  it("is not warned when it fails: the failure is what it reports", async () => {
    const run = await runLocal(async (_e, ctx) => {
      void ctx.wait("left", { hours: 1 });
      throw new Error("gave up");
    });
    expect(run.execution.status).toBe("FAILED");
    expect(warnings(run)).toEqual([]);
  });
});
