// Waits in each Duration form, named and unnamed, between steps.
import { withDurableExecution, type Duration } from "@aws/durable-execution-sdk-js";

const anHour: Duration = { hours: 1 };

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  const before = await ctx.step("before", async () => "before");
  await ctx.wait({ seconds: 5 });
  await ctx.wait("minute-and-a-half", { minutes: 1, seconds: 30 });
  await ctx.wait("an-hour", anHour);
  await ctx.wait("a-day", { days: 1 });
  const after = await ctx.step("after", async () => "after");
  return { before, after };
});
