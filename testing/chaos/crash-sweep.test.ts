// The sweep's own checks must fail on the bugs they exist for. Each handler here fakes one such
// bug in its own code (it acts differently once an invocation follows a crash) and the sweep is
// expected to reject it.
import { withDurableExecution } from "@cairn/sdk";
import { describe, expect, it } from "vitest";
import { cleanRun, expectSameAsClean, runChaos, sweep, type ChaosWorld, type SweepScenario } from "./crash-sweep.js";
import { SideEffectLedger } from "./side-effect-ledger.js";

/** A two-step handler; `bug` runs at the top of every invocation after the first (only crashes cause those). */
function buggyWorld(bug: (ledger: SideEffectLedger) => unknown) {
  return (): ChaosWorld => {
    const ledger = new SideEffectLedger();
    let invocations = 0;
    const handler = withDurableExecution(async (_event: unknown, ctx) => {
      const extra = ++invocations > 1 ? bug(ledger) : undefined;
      const a = await ctx.step("a", async () => (ledger.call("a"), 1));
      const b = await ctx.step("b", async () => (ledger.call("b"), 2));
      return extra === undefined ? a + b : { a, b, extra };
    });
    return { handler, ledger };
  };
}

describe("the crash sweep catches", () => {
  it("a stored step's body running again after a crash right after it was stored", async () => {
    // Runs "a"'s side effect again on resume, as a replay that ignored the stored result would.
    const scenario: SweepScenario = { name: "re-run", world: buggyWorld((ledger) => void ledger.call("a")) };
    const clean = await cleanRun(scenario);
    // Checkpoint 1 stores "a"; the crash fires on that very checkpoint's "after" phase.
    const point = { phase: "after", checkpoint: 1 } as const;
    const run = await runChaos(scenario.world, undefined, point);
    expect(run.world.ledger.rerunsAfterStored()).toEqual(["a"]);
    expect(() => expectSameAsClean(scenario, run, clean, point)).toThrow(/crash after checkpoint 1/);
  });

  it("a result that depends on whether a crash happened", async () => {
    await expect(sweep({ name: "result", world: buggyWorld(() => "resumed") })).rejects.toThrow(/expected .* to deeply equal 3/);
  });

  it("a side effect repeated more than once per crash", async () => {
    const twice = buggyWorld((ledger) => {
      ledger.call("b");
      ledger.call("b");
      return undefined;
    });
    await expect(sweep({ name: "twice", world: twice, crashInsideBodies: false })).rejects.toThrow(/: b/);
  });

  it("an exactly-once side effect repeated once", async () => {
    const once = buggyWorld((ledger) => void ledger.call("send"));
    const world = (): ChaosWorld => {
      const w = once();
      return { ...w, drive: async () => w.ledger.call("send") };
    };
    await expect(sweep({ name: "exact", world, exact: ["send"], unstored: ["send"], crashInsideBodies: false })).rejects.toThrow(
      /send \(exactly once\)/,
    );
  });

  it("a history whose outcomes differ although the result is the same", async () => {
    const world = (): ChaosWorld => {
      const ledger = new SideEffectLedger();
      let invocations = 0;
      const handler = withDurableExecution(async (_event: unknown, ctx) => {
        const resumed = ++invocations > 1;
        await ctx.step("a", async () => (ledger.call("a"), 1));
        if (resumed) await ctx.wait("detour", { seconds: 1 });
        return ctx.step("b", async () => (ledger.call("b"), 2));
      });
      return { handler, ledger };
    };
    await expect(sweep({ name: "outcomes", world, crashInsideBodies: false })).rejects.toThrow(/outcomes: crash before checkpoint 1: expected \[ .*\(3\) \] to deeply equal/);
  });
});
