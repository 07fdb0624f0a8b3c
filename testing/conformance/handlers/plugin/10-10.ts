import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.10: operation hooks for a 2-second wait: start live, end on the replay after it completed.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationStart: async (info) => {
    if (info.type === "WAIT") out.emit("operation-start", { op: info.id, type: info.type.toUpperCase() });
  },
  onOperationEnd: async (info) => {
    if (info.type === "WAIT") out.emit("operation-end", { op: info.id, type: info.type.toUpperCase(), status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) => {
    await ctx.wait({ seconds: 2 });
  },
  { plugins: [plugin] },
);
