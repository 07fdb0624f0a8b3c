import { ValidationError } from "../errors/validation-error.js";
import type { DurableLogRecord } from "../engine/invocation-environment.js";
import type { InvocationEngine } from "../engine/invocation-engine.js";
import { defaultLogLevelEnabled, formatDefaultLogLine, writeDefaultLogLine } from "./default-log-line.js";
import type { DurableContextLogger, DurableLogData, DurableLogger, DurableLogLevel, LoggerConfig } from "../types/logger.js";

export interface LogScope {
  operationId?: string | undefined;
  operationName?: string | undefined;
  attempt?: number | undefined;
}

const LEVELS = new Set<string>(["DEBUG", "INFO", "WARN", "ERROR"]);

/**
 * A logger bound to an execution and an operation. When mode-aware (the default), lines logged by
 * code that is only replaying are dropped, so each line appears once per real execution of it.
 *
 * Lines go to a custom logger if one is configured, else to the orchestrator's log sink (the local
 * runner, the CLI), else to stdout/stderr as the AWS SDK's default logger writes them
 * (see default-log-line.ts).
 */
export function createContextLogger(
  engine: InvocationEngine,
  scope: LogScope,
  isReplaying: () => boolean,
): DurableContextLogger {
  const emit = (level: DurableLogLevel, params: unknown[]): void => {
    const replaying = isReplaying();
    if (replaying && engine.loggerConfig.modeAware !== false) return;
    const enriched = engine.plugins?.enrichLogContext();
    const custom = engine.loggerConfig.customLogger;
    if (custom) {
      callCustom(custom, level, params, durableData(engine, scope, enriched));
      if (!engine.logSink) return;
    }
    if (!engine.logSink) {
      if (defaultLogLevelEnabled(level)) {
        // Like the AWS logger, a leading undefined (`logger.info(undefined, x)`) is not a value.
        const values = params[0] === undefined ? params.slice(1) : params;
        writeDefaultLogLine(level, formatDefaultLogLine(level, durableData(engine, scope, enriched), values));
      }
      return;
    }
    const record: DurableLogRecord = {
      ...enriched,
      level,
      message: params.map(formatParam).join(" "),
      timestamp: new Date().toISOString(),
      executionArn: engine.executionArn,
    };
    if (engine.requestId !== undefined) record.requestId = engine.requestId;
    if (scope.operationId !== undefined) record.operationId = scope.operationId;
    if (scope.operationName !== undefined) record.operationName = scope.operationName;
    if (scope.attempt !== undefined) record.attempt = scope.attempt;
    const error = params.find((p): p is Error => p instanceof Error);
    if (error) record.error = { errorType: error.name, errorMessage: error.message, stackTrace: error.stack?.split("\n") };
    if (replaying) record.replaying = true;
    if (!custom && defaultLogLevelEnabled(level)) {
      // Non-enumerable: the line an orchestrator may print (the local runner does, as the AWS
      // runner does) without changing what a test comparing records sees.
      const values = params[0] === undefined ? params.slice(1) : params;
      Object.defineProperty(record, "defaultLine", {
        value: formatDefaultLogLine(level, durableData(engine, scope, enriched), values),
        enumerable: false,
      });
    }
    engine.logSink(record);
  };
  return {
    log: (level, ...params) => emit(LEVELS.has(level) ? level : "INFO", params),
    debug: (...params) => emit("DEBUG", params),
    info: (...params) => emit("INFO", params),
    warn: (...params) => emit("WARN", params),
    error: (...params) => emit("ERROR", params),
  };
}

/** Validates `ctx.configureLogger(...)` input before it takes effect. */
export function checkLoggerConfig(config: LoggerConfig): LoggerConfig {
  if (config === null || typeof config !== "object") {
    throw new ValidationError("configureLogger: pass an object, e.g. configureLogger({ customLogger, modeAware: false }).");
  }
  const { customLogger, modeAware } = config;
  if (modeAware !== undefined && typeof modeAware !== "boolean") {
    throw new ValidationError(`configureLogger: modeAware must be a boolean, got ${typeof modeAware}.`);
  }
  if (customLogger !== undefined) {
    const missing = (["debug", "info", "warn", "error"] as const).filter((m) => typeof customLogger?.[m] !== "function");
    if (missing.length > 0) {
      throw new ValidationError(
        `configureLogger: customLogger must have debug, info, warn and error methods; missing ${missing.join(", ")}.`,
      );
    }
  }
  return config;
}

function durableData(engine: InvocationEngine, scope: LogScope, enriched: Record<string, unknown> | undefined): DurableLogData {
  const data: DurableLogData = { ...enriched, requestId: engine.requestId ?? "", executionArn: engine.executionArn };
  if (scope.operationId !== undefined) data.operationId = scope.operationId;
  if (scope.operationName !== undefined) data.operationName = scope.operationName;
  if (scope.attempt !== undefined) data.attempt = scope.attempt;
  return data;
}

/** The durable fields of the line being logged right now, for `configureDurableLoggingContext`. */
let activeData: DurableLogData | undefined;
const configured = new WeakSet<DurableLogger>();

/**
 * A logger that reads the durable fields through its logging context gets the caller's arguments
 * unchanged; any other gets them plus one trailing object with the fields (which a Powertools-style
 * logger merges into its own JSON line — no JSON string inside JSON).
 */
function callCustom(custom: DurableLogger, level: DurableLogLevel, params: unknown[], data: DurableLogData): void {
  const method = custom[level.toLowerCase() as "debug" | "info" | "warn" | "error"];
  try {
    if (typeof custom.configureDurableLoggingContext === "function") {
      if (!configured.has(custom)) {
        configured.add(custom);
        custom.configureDurableLoggingContext({ getDurableLogData: () => activeData ?? data });
      }
      const previous = activeData;
      activeData = data;
      try {
        method.call(custom, ...params);
      } finally {
        activeData = previous;
      }
    } else {
      method.call(custom, ...params, data);
    }
  } catch {
    // A broken custom logger must never fail the execution.
  }
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
