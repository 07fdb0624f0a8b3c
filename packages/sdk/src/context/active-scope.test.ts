import { describe, expect, it } from "vitest";
import { ContextUsageError } from "../errors/context-usage-error.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";
import { misusedContext, runInScope, type Scope } from "./active-scope.js";

function fakeEngine() {
  const failures: Error[] = [];
  return { engine: { failAfterQueued: (error: Error) => failures.push(error) } as unknown as InvocationEngine, failures };
}

const scope = (scopeDescription: string, isBody = false): Scope => ({ scopeDescription, isBody });

describe("misusedContext", () => {
  it("lets code outside any scope, and the active scope's own context, through", async () => {
    const { engine, failures } = fakeEngine();
    const a = scope("context A");
    expect(misusedContext(engine, a, "step", "x")).toBe(false);
    expect(await runInScope(a, async () => misusedContext(engine, a, "step", "x"), undefined)).toBe(false);
    expect(failures).toEqual([]);
  });

  it("fails the execution for another context, also after awaits, and names the operation", async () => {
    const { engine, failures } = fakeEngine();
    const outer = scope("the handler's context");
    const inner = scope("the context of operation 2");
    const misused = await runInScope(
      inner,
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return misusedContext(engine, outer, "wait", "pause");
      },
      undefined,
    );
    expect(misused).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(ContextUsageError);
    expect(failures[0]?.message).toMatch(
      /^Context usage error in wait "pause": You are using a parent or sibling context instead of the current child context: it was called on the handler's context while the code runs inside the context of operation 2\./,
    );
  });

  it("inside a body, any context is a misuse, with a message about bodies", () => {
    const { engine, failures } = fakeEngine();
    const ctx = scope("the handler's context");
    const body = scope('the body of step "outer" (id 1)', true);
    expect(runInScope(body, () => misusedContext(engine, ctx, "map", undefined), undefined)).toBe(true);
    expect(failures[0]?.message).toMatch(/^Context usage error in map: You are using a parent or sibling context instead of the current child context: it was called inside the body of step "outer" \(id 1\)\. A step body/);
  });

  it("scopes do not leak into code started before them or after they end", async () => {
    const { engine, failures } = fakeEngine();
    const a = scope("A");
    const b = scope("B");
    await runInScope(a, async () => {
      const later = new Promise((resolve) => setImmediate(resolve)).then(() => misusedContext(engine, a, "step", undefined));
      await runInScope(b, async () => undefined, undefined);
      expect(misusedContext(engine, a, "step", undefined)).toBe(false);
      expect(await later).toBe(false);
    }, undefined);
    expect(failures).toEqual([]);
  });
});
