import { withDurableExecution } from "@cairn/sdk";

// 8.14: branch 0 runs a step; branch 1 waits 2 s, suspending the execution. On replay branch 0
// comes from its checkpoint and branch 1 finishes.
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const result = await ctx.parallel(
    "replay",
    [
      async (branch) => branch.step(async () => "b0"),
      async (branch) => {
        await branch.wait({ seconds: 2 });
        return "b1";
      },
    ],
    { maxConcurrency: 1 },
  );
  return result.getResults();
});
