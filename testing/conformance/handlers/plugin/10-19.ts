import { withDurableExecution, type DurableInstrumentationPlugin, type InvocationBaseInfo } from "@cairn/sdk";
import { isTerminal, StdoutRecorder } from "./support/conf-plugin.js";

// 10.19: a canonical dump of the invocation-start and invocation-end infos.
const out = new StdoutRecorder("CONFPLUGIN");

function base(info: InvocationBaseInfo): Record<string, unknown> {
  const dump: Record<string, unknown> = {
    requestId: info.requestId,
    operationsCount: Object.keys(info.operations).length,
  };
  if (info.executionStartTimestamp) dump.executionStartTimestamp = info.executionStartTimestamp.toISOString();
  return dump;
}

const plugin: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => {
    out.start(info);
    out.emit("invocation-start", {
      isFirstInvocation: info.isFirstInvocation,
      ...base(info),
      updatedOperationsCount: Object.keys(info.updatedOperations).length,
    });
  },
  onInvocationEnd: async (info) => {
    const dump: Record<string, unknown> = {
      isFirstInvocation: info.isFirstInvocation,
      ...base(info),
      status: info.status,
      terminal: isTerminal(info.status),
    };
    if (info.executionError) dump.executionError = info.executionError.message;
    out.emit("invocation-end", dump);
  },
};

export const handler = withDurableExecution(
  async (event: string, ctx) => {
    await ctx.wait({ seconds: 2 });
    return `done-${event}`;
  },
  { plugins: [plugin] },
);
