import { withDurableExecution } from "@cairn/sdk";
import { faultyPlugin } from "./support/conf-plugin.js";
import { greet } from "./support/greet.js";

// 10.4: every hook of the plugin logs and throws; the execution is unaffected.
export const handler = withDurableExecution(greet, { plugins: [faultyPlugin()] });
