import { retryPresets, withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.7: a step that always throws, no retries: invocation-end reports FAILED.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => {
    out.start(info);
    out.emit("invocation-start", { first: info.isFirstInvocation });
  },
  onInvocationEnd: async (info) => out.emit("invocation-end", { status: info.status }),
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) =>
    ctx.step(
      async (): Promise<string> => {
        throw new Error("this step always fails");
      },
      { retryStrategy: retryPresets.noRetry },
    ),
  { plugins: [plugin] },
);
