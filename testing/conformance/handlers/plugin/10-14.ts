import { retryPresets, withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.14: operation-end carries the stored result on success and the error on failure.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationEnd: async (info) => {
    if (info.type !== "STEP") return;
    out.emit("operation-end", { op: info.id, status: info.status, result: info.result ?? "NONE", error: info.error?.message ?? "NONE" });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, ctx) => {
    await ctx.step(async () => "task-a");
    return ctx.step(
      async (): Promise<string> => {
        throw new Error("boom");
      },
      { retryStrategy: retryPresets.noRetry },
    );
  },
  { plugins: [plugin] },
);
