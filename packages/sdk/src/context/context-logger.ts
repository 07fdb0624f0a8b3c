import type { DurableLogRecord } from "../engine/invocation-environment.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";
import type { DurableLogger, DurableLogLevel } from "../types/logger.js";

export interface LogScope {
  operationId?: string | undefined;
  operationName?: string | undefined;
  attempt?: number | undefined;
}

/**
 * A logger bound to an execution and an operation. When mode-aware (the default), lines logged by
 * code that is only replaying are dropped, so each line appears once per real execution of it.
 */
export function createContextLogger(
  engine: InvocationEngine,
  scope: LogScope,
  isReplaying: () => boolean,
): DurableLogger {
  const emit = (level: DurableLogLevel, params: unknown[]): void => {
    const replaying = isReplaying();
    if (replaying && engine.loggerConfig.modeAware !== false) return;
    const custom = engine.loggerConfig.customLogger;
    if (custom) {
      const method = level.toLowerCase() as "debug" | "info" | "warn" | "error";
      try {
        custom[method](...params);
      } catch {
        // A broken custom logger must never fail the execution.
      }
      if (!engine.logSink) return;
    }
    const record: DurableLogRecord = {
      level,
      message: params.map(formatParam).join(" "),
      timestamp: new Date().toISOString(),
      executionArn: engine.executionArn,
    };
    if (scope.operationId !== undefined) record.operationId = scope.operationId;
    if (scope.operationName !== undefined) record.operationName = scope.operationName;
    if (scope.attempt !== undefined) record.attempt = scope.attempt;
    if (replaying) record.replaying = true;
    if (engine.logSink) engine.logSink(record);
    else if (!custom) process.stdout.write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (...params) => emit("DEBUG", params),
    info: (...params) => emit("INFO", params),
    warn: (...params) => emit("WARN", params),
    error: (...params) => emit("ERROR", params),
  };
}

function formatParam(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
