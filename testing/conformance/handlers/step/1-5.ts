import { withDurableExecution } from "@cairn/sdk";

// 1.5: a step that does nothing, so its result is undefined (checkpointed without a payload).
export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  return ctx.step(async (): Promise<void> => {});
});
