import type { OperationUpdate } from "../../protocol/wire.js";

/** A STEP update of operation `id` (sub-type Step), with a payload when given: what an engine sends for `ctx.step`. */
export const step = (id: string, action: OperationUpdate["Action"], Payload?: string): OperationUpdate => ({
  Id: id,
  Type: "STEP",
  SubType: "Step",
  Action: action,
  ...(Payload === undefined ? {} : { Payload }),
});
