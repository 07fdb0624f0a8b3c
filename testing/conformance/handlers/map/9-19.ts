import { withDurableExecution } from "@cairn/sdk";
import { opSerdes } from "./support/op-serdes.js";

// 9.19: an operation-level serdes writes the whole map result as "OPSERDE:X,Y".
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.map("op-serde", ["x", "y"], async (_ctx, value) => value.toUpperCase(), {
    maxConcurrency: 1,
    serdes: opSerdes,
  });
  return result.getResults();
});
