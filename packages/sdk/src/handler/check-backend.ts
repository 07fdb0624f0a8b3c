// Config validation for the two fields that take a custom backend.
import { ValidationError } from "../errors/validation-error.js";
import type { CheckpointBackend } from "../protocol/backend.js";

/** Rejects a configured backend that lacks either method, naming the config field. */
export function checkBackend(value: unknown, field: "backend" | "durableExecutionClient"): void {
  if (value === undefined) return;
  const candidate = value as Partial<Record<keyof CheckpointBackend, unknown>> | null;
  const missing = (["getExecutionState", "checkpoint"] as const).filter((m) => typeof candidate?.[m] !== "function");
  if (typeof value !== "object" || value === null || missing.length > 0) {
    throw new ValidationError(
      `withDurableExecution: ${field} must be an object with getExecutionState(request) and checkpoint(request) methods` +
        (missing.length > 0 && typeof value === "object" && value !== null ? ` (missing ${missing.join(", ")}).` : `; got ${value === null ? "null" : typeof value}.`),
    );
  }
}
