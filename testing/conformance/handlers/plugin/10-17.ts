import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { faultyPlugin, StdoutRecorder } from "./support/conf-plugin.js";
import { greet } from "./support/greet.js";

// 10.17: a faulty plugin registered before a healthy one never keeps the healthy one from its hooks.
const out = new StdoutRecorder("CONFPLUGIN-HEALTHY");
const healthy: DurableInstrumentationPlugin = {
  onInvocationStart: async (info) => {
    out.start(info);
    out.emit("invocation-start", { first: info.isFirstInvocation });
  },
  onOperationStart: async (info) => {
    if (info.type === "STEP") out.emit("operation-start", { op: info.id });
  },
  onOperationAttemptStart: async (info) => {
    if (info.type === "STEP") out.emit("attempt-start", { op: info.id });
  },
  onOperationAttemptEnd: async (info) => {
    if (info.type === "STEP") out.emit("attempt-end", { op: info.id, outcome: info.outcome });
  },
  onOperationEnd: async (info) => {
    if (info.type === "STEP") out.emit("operation-end", { op: info.id, status: info.status });
  },
  onInvocationEnd: async (info) => out.emit("invocation-end", { status: info.status }),
};

export const handler = withDurableExecution(greet, { plugins: [faultyPlugin(), healthy] });
