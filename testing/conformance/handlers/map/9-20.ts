import { withDurableExecution } from "@cairn/sdk";
import { opSerdes } from "./support/op-serdes.js";

// 9.20: as 9.19, then a 1 s wait; on replay the map result is read back through the serdes.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("op-serde-replay", ["x", "y"], async (_ctx, value) => value.toUpperCase(), {
    maxConcurrency: 1,
    serdes: opSerdes,
  });
  await ctx.wait({ seconds: 1 });
  return result.getResults();
});
