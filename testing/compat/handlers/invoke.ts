// invoke: a durable target, a plain function target, and a failing target.
import { withDurableExecution, type InvokeConfig } from "@aws/durable-execution-sdk-js";
import { describeError } from "./describe-error.js";

export const doubler = withDurableExecution(async (event: { n: number }, ctx) => {
  const doubled = await ctx.step("double", async () => event.n * 2);
  if (doubled < 0) throw new RangeError(`cannot double a negative number (${event.n})`);
  return { doubled };
});

export const echo = async (event: { text: string }) => ({ echoed: event.text });

export const handler = withDurableExecution(async (event: { n: number }, ctx) => {
  const ok = await ctx.invoke<{ n: number }, { doubled: number }>("call-doubler", "doubler", { n: event.n });
  const config: InvokeConfig<{ text: string }, { echoed: string }> = {};
  const echoed = await ctx.invoke("echo", { text: "hi" }, config);
  let failure: unknown;
  try {
    await ctx.invoke("call-failing", "doubler", { n: -1 });
  } catch (error) {
    failure = describeError(error);
  }
  return { ok, echoed, failure };
});
