import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.1: invocation start/end hooks around a single-step handler whose step logs a line.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => {
    out.start(info);
    out.emit("invocation-start", { first: info.isFirstInvocation });
  },
  onInvocationEnd: async (info) => out.emit("invocation-end", { status: info.status }),
};

export const handler = withDurableExecution(
  async (event: string, ctx) =>
    ctx.step(async ({ logger }) => {
      logger.info(`Greeting step running for: ${event}`);
      return `Hello, ${event}!`;
    }),
  { plugins: [plugin] },
);
