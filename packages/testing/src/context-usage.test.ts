// Using the wrong context, written the way an AWS user tests it: the execution fails at once with
// an error naming the operation, and the misused operation writes nothing.
import { createWaitStrategy, withDurableExecution, type DurableContext } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "./index.js";

async function run(handler: (event: unknown, ctx: DurableContext) => Promise<unknown>) {
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(handler), skipTime: true });
  const result = await runner.run();
  return { runner, result, names: result.getOperations().map((op) => op.getName()) };
}

describe("context misuse is caught when it happens", () => {
  it("the enclosing context used inside runInChildContext fails the execution before the operation runs", async () => {
    let bodies = 0;
    const { result, names } = await run(async (_event, ctx) => {
      await ctx.runInChildContext("child", async (child) => {
        await child.step("fine", async () => "ok");
        return ctx.step("wrong", async () => ++bodies);
      });
      return "never";
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError()).toMatchObject({
      errorType: "Error",
      errorMessage: expect.stringMatching(/^Context usage error in step "wrong": You are using a parent or sibling context instead of the current child context: it was called on the handler's context while the code runs inside the context of operation 1\./),
    });
    expect(result.getError().errorMessage).toMatch(/call operations on the context that function receives/);
    expect(bodies).toBe(0);
    expect(names).toContain("fine");
    expect(names).not.toContain("wrong");
  });

  it("is caught after awaits too, not only in synchronous code", async () => {
    const { result, names } = await run(async (_event, ctx) => {
      await ctx.runInChildContext("child", async (child) => {
        await child.wait("pause", { seconds: 5 });
        await new Promise((resolve) => setTimeout(resolve, 1));
        await ctx.wait("late", { seconds: 1 });
      });
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/^Context usage error in wait "late"/);
    expect(names).not.toContain("late");
  });

  it("the enclosing context used in a map item or a parallel branch fails the execution", async () => {
    const inMap = await run(async (_event, ctx) => ctx.map("items", [1, 2], async (_item, n) => ctx.step(`double-${n}`, async () => n * 2)));
    expect(inMap.result.getStatus()).toBe("FAILED");
    expect(inMap.result.getError().errorMessage).toMatch(/^Context usage error in step "double-[12]".*inside the context of operation 1-\d/);

    const inBranch = await run(async (_event, ctx) =>
      ctx.parallel("both", [async (branch) => branch.step("a", async () => 1), async () => ctx.step("b", async () => 2)]),
    );
    expect(inBranch.result.getStatus()).toBe("FAILED");
    expect(inBranch.result.getError().errorMessage).toMatch(/^Context usage error in step "b"/);
    expect(inBranch.names).not.toContain("b");
  });

  it("a sibling's context used in another branch fails the execution", async () => {
    let first: DurableContext | undefined;
    const { result } = await run(async (_event, ctx) =>
      ctx.parallel([
        async (branch) => {
          first = branch;
          return branch.wait("hold", { seconds: 10 });
        },
        async (branch) => {
          await branch.step("settle", async () => undefined);
          return (first as DurableContext).step("borrowed", async () => 1);
        },
      ]),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/^Context usage error in step "borrowed": You are using a parent or sibling context instead of the current child context: it was called on the context of operation 1-1 while the code runs inside the context of operation 1-2/);
  });

  it("a durable operation inside a step body fails the execution; the handler cannot catch it", async () => {
    let inner = 0;
    const { result, runner } = await run(async (_event, ctx) => {
      try {
        await ctx.step("outer", async () => {
          await ctx.step("inner", async () => ++inner);
          return "outer done";
        });
      } catch {
        return "caught";
      }
      return "finished";
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(
      /^Context usage error in step "inner": You are using a parent or sibling context instead of the current child context: it was called inside the body of step "outer" \(id 1\)\. A step body or a waitForCondition check cannot run durable operations/,
    );
    expect(inner).toBe(0);
    // The outer step neither fails nor retries: the execution ended as soon as the misuse happened.
    expect([undefined, "STARTED"]).toContain(runner.getOperation("outer").getStatus());
    expect(result.getHistoryEvents().map((e) => e.EventType)).not.toContain("StepFailed");
    expect(result.getInvocations()).toHaveLength(1);
  });

  it("a durable operation inside a waitForCondition check or a waitForCallback submitter fails the execution", async () => {
    const inCheck = await run(async (_event, ctx) =>
      ctx.waitForCondition("poll", async (n: number) => {
        await ctx.wait({ seconds: 1 });
        return n + 1;
      }, { initialState: 0, waitStrategy: createWaitStrategy({ shouldContinuePolling: (n: number) => n < 2 }) }),
    );
    expect(inCheck.result.getStatus()).toBe("FAILED");
    expect(inCheck.result.getError().errorMessage).toMatch(/^Context usage error in wait: You are using a parent or sibling context instead of the current child context: it was called inside the check of waitForCondition "poll" \(id 1\)/);

    const inSubmitter = await run(async (_event, ctx) =>
      ctx.waitForCallback("approval", async (callbackId) => {
        await ctx.step("notify", async () => callbackId);
      }),
    );
    expect(inSubmitter.result.getStatus()).toBe("FAILED");
    expect(inSubmitter.result.getError().errorMessage).toMatch(/^Context usage error in step "notify": You are using a parent or sibling context instead of the current child context: it was called inside the body of step/);
    expect(inSubmitter.names).not.toContain("notify");
  });

  it("a promise combinator called on the enclosing context inside a child fails the execution", async () => {
    const { result } = await run(async (_event, ctx) =>
      ctx.runInChildContext("child", async (child) => ctx.promise.all("both", [child.step("a", async () => 1), child.step("b", async () => 2)])),
    );
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/^Context usage error in promise\.all "both"/);
  });

  it("a child context kept after it finished and used from the handler fails the execution", async () => {
    const { result } = await run(async (_event, ctx) => {
      let kept: DurableContext | undefined;
      await ctx.runInChildContext("child", async (child) => {
        kept = child;
        return child.step("in", async () => 1);
      });
      return (kept as DurableContext).step("leaked", async () => 2);
    });
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toMatch(/^Context usage error in step "leaked": You are using a parent or sibling context instead of the current child context: it was called on the context of operation 1 while the code runs inside the handler's context/);
  });

  it("correct use is never flagged: operations interleaved across contexts, combinators, nested contexts, replays", async () => {
    const { result } = await run(async (_event, ctx) => {
      const background = ctx.runInChildContext("background", async (child) => {
        await child.wait({ seconds: 3 });
        return child.runInChildContext("deeper", async (deeper) => deeper.step("deep", async () => "deep"));
      });
      const first = await ctx.step("first", async () => 1);
      const [a, b] = await ctx.promise.all([ctx.step("a", async () => "a"), ctx.wait({ seconds: 1 }).then(() => "b")]);
      const mapped = await ctx.map([1, 2, 3], async (item, n) => item.step(async () => n * first));
      return { deep: await background, a, b, mapped: mapped.getResults() };
    });
    expect(result.getStatus()).toBe("SUCCEEDED");
    expect(result.getResult()).toEqual({ deep: "deep", a: "a", b: "b", mapped: [1, 2, 3] });
    expect(result.getInvocations().length).toBeGreaterThan(1);
  });
});
