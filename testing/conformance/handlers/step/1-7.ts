import { withDurableExecution } from "@cairn/sdk";

// 1.7: the step body logs through the step context's logger.
export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.step(async ({ logger }) => {
    logger.info(`Greeting step started for: ${event}`);
    const greeting = `Hello, ${event}!`;
    logger.info(`Greeting step completed with: ${greeting}`);
    return greeting;
  });
});
