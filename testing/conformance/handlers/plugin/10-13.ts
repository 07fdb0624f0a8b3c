import { createRetryStrategy, withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.13: the replay flag: step B, pending a retry, starts again with replay=true; step A,
// finished, is not reported again.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationStart: async (info) => {
    if (info.type === "STEP") out.emit("operation-start", { op: info.id, replay: info.isReplay });
  },
  onOperationEnd: async (info) => {
    if (info.type === "STEP") out.emit("operation-end", { op: info.id, status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) => {
    await ctx.step(async () => "A done");
    return ctx.step(
      async ({ attempt }) => {
        if (attempt === 1) throw new Error("first attempt fails");
        return "Operation succeeded";
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 } }) },
    );
  },
  { plugins: [plugin] },
);
