import { withDurableExecution } from "@cairn/sdk";

// 7.5: a 3 s timeout and no answer; the timeout is not caught.
export const handler = withDurableExecution(async (name: string, ctx) =>
  ctx.waitForCallback(name, async () => undefined, { timeout: { seconds: 3 } }),
);
