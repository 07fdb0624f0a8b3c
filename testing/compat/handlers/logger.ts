// ctx.logger with configureLogger's customLogger: replay-aware, so a line written before a
// wait is not written again when the handler replays after it.
import { withDurableExecution, type DurableLogger } from "@aws/durable-execution-sdk-js";

const lines: string[] = [];
const collector: DurableLogger = {
  info: (message: unknown) => lines.push(`info ${String(message)}`),
  warn: (message: unknown) => lines.push(`warn ${String(message)}`),
  error: (message: unknown) => lines.push(`error ${String(message)}`),
  debug: (message: unknown) => lines.push(`debug ${String(message)}`),
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  ctx.configureLogger({ customLogger: collector, modeAware: true });
  ctx.logger.info("started");
  await ctx.step("work", async (step) => {
    step.logger.info("inside the step");
    return 1;
  });
  await ctx.wait({ seconds: 3 });
  ctx.logger.warn("after the wait");
  ctx.logger.error("an error line");
  return ctx.step("collect", async () => [...lines]);
});
