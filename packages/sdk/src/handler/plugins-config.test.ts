import { describe, expect, it } from "vitest";
import { runLocal } from "../test-support/run-local.js";
import type { DurableContext } from "../types/context.js";
import { pluginsConfigProblem } from "./plugins-config.js";

describe("pluginsConfig", () => {
  it("fails the execution before the handler runs when childOperationsDepth is wrong", async () => {
    for (const childOperationsDepth of [-1, 1.5, Number.NaN]) {
      let ran = false;
      const run = await runLocal(
        async (_event: unknown, ctx: DurableContext) => {
          ran = true;
          return ctx.step(async () => 1);
        },
        undefined,
        { config: { pluginsConfig: { childOperationsDepth } } },
      );
      expect(run.execution.status).toBe("FAILED");
      expect(run.execution.error?.ErrorMessage).toBe(
        `pluginsConfig.childOperationsDepth must be a non-negative integer or Infinity; got ${String(childOperationsDepth)}.`,
      );
      expect(ran).toBe(false);
      expect(run.operations.filter((op) => op.Type !== "EXECUTION")).toEqual([]);
    }
  });

  it("runs the handler with any depth AWS accepts", async () => {
    for (const childOperationsDepth of [undefined, 0, 2, Infinity]) {
      const run = await runLocal(async (_event: unknown, ctx: DurableContext) => ctx.step(async () => 1), undefined, {
        config: { pluginsConfig: { childOperationsDepth } },
      });
      expect(run.execution.status).toBe("SUCCEEDED");
    }
  });

  it("names what is wrong with a pluginsConfig that is no object", () => {
    expect(pluginsConfigProblem(null)).toMatch(/pluginsConfig must be an object.*got null/);
    expect(pluginsConfigProblem("deep")).toMatch(/got string/);
    expect(pluginsConfigProblem({})).toBeUndefined();
  });
});
