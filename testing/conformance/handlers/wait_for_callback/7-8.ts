import { withDurableExecution } from "@cairn/sdk";

// 7.8: a waitForCallback inside a child context named "wrapper".
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.runInChildContext("wrapper", async (child) => child.waitForCallback(name, async () => undefined)),
);
