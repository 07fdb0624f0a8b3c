import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { isTerminal, StdoutRecorder } from "./support/conf-plugin.js";

// 10.16: invocation-end fires for the suspending first invocation (non-terminal) and for the
// replay that completes the execution (terminal).
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => {
    out.start(info);
    out.emit("invocation-start", { first: info.isFirstInvocation });
  },
  onInvocationEnd: async (info) =>
    out.emit("invocation-end", { first: info.isFirstInvocation, terminal: isTerminal(info.status), status: info.status }),
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) => {
    await ctx.wait({ seconds: 2 });
  },
  { plugins: [plugin] },
);
