// A handler with something of each kind the timeline draws: a step that fails twice and succeeds
// on its third attempt (1 s apart), a one-second wait, and a map of three items. Four invocations (two retries and the wait suspend it).
import { withDurableExecution } from "@cairn/sdk";

export const handler = withDurableExecution(async (event, ctx) => {
  const fetched = await ctx.step(
    "flaky-fetch",
    async (stepCtx) => {
      if (stepCtx.attempt < 3) throw new Error(`unavailable (attempt ${stepCtx.attempt})`);
      return { ok: true };
    },
    { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: 1 } }) },
  );
  await ctx.wait("pause", { seconds: 1 });
  const doubled = await ctx.map("items", [1, 2, 3], async (item, x) => item.step("double", async () => x * 2));
  return { fetched, doubled: doubled.getResults(), note: event?.note };
});
