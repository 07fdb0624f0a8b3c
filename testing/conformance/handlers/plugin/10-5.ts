import { withDurableExecution, type DurableInstrumentationPlugin } from "@cairn/sdk";
import { StdoutRecorder } from "./support/conf-plugin.js";
import { greet } from "./support/greet.js";

// 10.5: two plugins, A then B, both receive the invocation hooks.
function invocationPlugin(name: string): DurableInstrumentationPlugin {
  const out = new StdoutRecorder(name);
  return {
    onInvocationStart: async (info) => {
      out.start(info);
      out.emit("invocation-start");
    },
    onInvocationEnd: async (info) => out.emit("invocation-end", { status: info.status }),
  };
}

export const handler = withDurableExecution(greet, {
  plugins: [invocationPlugin("CONFPLUGIN-A"), invocationPlugin("CONFPLUGIN-B")],
});
