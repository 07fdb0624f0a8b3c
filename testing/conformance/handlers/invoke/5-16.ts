import { withDurableExecution, type Serdes } from "@cairn/sdk";
import { ECHO, echo } from "./support/targets.js";

// 5.16: a custom result serdes that upper-cases the result as received (the raw JSON text).
const upperCase: Serdes<string> = {
  serialize: async (value) => value,
  deserialize: async (data) => data?.toUpperCase(),
};

export const handler = withDurableExecution(async (event: string, ctx) => {
  return ctx.invoke("upper", ECHO, event, { resultSerdes: upperCase });
});

export const options = { durableFunctions: { [ECHO]: echo } };
