import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";

// 10.11: operation-end reports the parent id of a step inside a child context.
const out = new StdoutRecorder("CONFPLUGIN");
const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => out.start(info),
  onOperationEnd: async (info) =>
    out.emit("operation-end", { op: info.id, parent: info.parentId ?? "NONE", status: info.status }),
};

export const handler = withDurableExecution(
  async (event: string, ctx) => ctx.runInChildContext(async (child) => child.step(async () => `Hello, ${event}!`)),
  { plugins: [plugin] },
);
