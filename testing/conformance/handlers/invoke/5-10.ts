import { withDurableExecution } from "@cairn/sdk";
import { FAILING, failing } from "./support/targets.js";

// 5.10: a failed invoke is caught, then a 1 s wait; on replay the cached failure is thrown again
// (and caught again) without invoking the target a second time.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  try {
    await ctx.invoke(FAILING);
  } catch {
    // expected: the target always fails
  }
  await ctx.wait({ seconds: 1 });
});

export const options = { durableFunctions: { [FAILING]: failing } };
