// The callbacks of an execution, as `inspect` (and the end of `run`) shows them: who may answer
// which id, and whether it still waits.
import type { Operation } from "@cairn/sdk";
import { answerCommands, callbackName } from "./callback-waits.js";
import { colorStatus, statusSymbol } from "./format.js";
import type { Colors } from "./output.js";

export interface CallbackJson {
  operationId: string;
  name: string | undefined;
  status: string;
  callbackId: string | undefined;
}

export function callbacksJson(operations: readonly Operation[]): CallbackJson[] {
  return operations
    .filter((op) => op.Type === "CALLBACK")
    .map((op) => ({
      operationId: op.Id,
      name: callbackName(op, operations),
      status: op.Status,
      callbackId: op.CallbackDetails?.CallbackId,
    }));
}

/**
 * A "callbacks" block: one line per callback with its status and id; for each one still waiting,
 * the commands that answer it (when `directory`, the store, is given).
 */
export function renderCallbacks(operations: readonly Operation[], directory: string | undefined, color: Colors): string[] {
  const callbacks = callbacksJson(operations);
  if (callbacks.length === 0) return [];
  const lines = [color.bold("callbacks")];
  for (const cb of callbacks) {
    const name = cb.name === undefined ? "(unnamed)" : cb.name;
    lines.push(`  ${statusSymbol(cb.status, color)} ${name}  op ${cb.operationId}  ${colorStatus(cb.status, color)}  id ${cb.callbackId ?? "-"}`);
    if (cb.status === "STARTED" && cb.callbackId !== undefined && directory !== undefined) {
      for (const command of answerCommands(cb.callbackId, directory)) lines.push(color.dim(`      ${command}`));
    }
  }
  return lines;
}
