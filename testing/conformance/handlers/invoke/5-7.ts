import { withDurableExecution } from "@cairn/sdk";

// 5.7: an input close to the 256 KiB an operation holds; the target processes it (measures it)
// and the handler returns the target's result.
const MEASURE = "measure-function";
const measure = withDurableExecution(async (event: { data: string }) => ({ received: event.data.length }));

export const handler = withDurableExecution(async (_event: unknown, ctx) =>
  ctx.invoke<{ data: string }, { received: number }>(MEASURE, { data: "x".repeat(250_000) }),
);

export const options = { durableFunctions: { [MEASURE]: measure } };
