// The durable fields a custom logger reads through configureDurableLoggingContext, from the
// handler, a step, a child context and map items: operationName and attempt are compared (ids
// differ between the SDKs by design, so only whether one is present).
import {
  withDurableExecution,
  type DurableLogger,
  type DurableLoggingContext,
} from "@aws/durable-execution-sdk-js";

interface Line {
  message: string;
  operationName?: unknown;
  hasOperationId: boolean;
  attempt?: unknown;
}

let logging: DurableLoggingContext | undefined;
const lines: Line[] = [];
const record = (message: unknown): void => {
  const data = logging?.getDurableLogData();
  const line: Line = { message: String(message), hasOperationId: data?.operationId !== undefined };
  if (data?.operationName !== undefined) line.operationName = data.operationName;
  if (data?.attempt !== undefined) line.attempt = data.attempt;
  lines.push(line);
};
const collector: DurableLogger = {
  configureDurableLoggingContext: (context) => {
    logging = context;
  },
  info: record,
  warn: record,
  error: record,
  debug: record,
};

export const handler = withDurableExecution(async (_event: unknown, ctx) => {
  lines.length = 0;
  ctx.configureLogger({ customLogger: collector, modeAware: false });
  ctx.logger.info("top");
  await ctx.step("work", async (step) => {
    step.logger.info("in the step");
  });
  await ctx.runInChildContext("child-context", async (child) => {
    child.logger.info("in the child");
    await child.step("inner", async (step) => step.logger.info("in the child's step"));
  });
  await ctx.runInChildContext(async (child) => {
    child.logger.info("in an unnamed child");
  });
  await ctx.map(
    "items",
    ["a", "b"],
    async (item, value) => {
      item.logger.info(`in item ${value}`);
    },
    { itemNamer: (value: string) => `item-${value}` },
  );
  return [...lines].sort((x, y) => x.message.localeCompare(y.message));
});
