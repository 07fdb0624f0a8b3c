import { withDurableExecution } from "@cairn/sdk";

// 8.1: two branches, each one step, run one at a time; results in branch order.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "parallel",
    [async (branch) => branch.step(async () => "task-1"), async (branch) => branch.step(async () => "task-2")],
    { maxConcurrency: 1 },
  );
  return result.getResults();
});
