/** Log levels, as `AWS_LAMBDA_LOG_LEVEL` names them. */
export type DurableLogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** The durable fields of a log line: where in the execution it was logged. */
export interface DurableLogData {
  /** The Lambda request id of the invocation ("" when the orchestrator gave none). */
  requestId: string;
  /** The execution's ARN (or id). */
  executionArn: string;
  /** In a step body, the step's id; in a child context, the context's (positional, e.g. `"2-1"`). */
  operationId?: string;
  /** The name of that step or context, when it has one. */
  operationName?: string;
  /** In a step body, the 1-based attempt. */
  attempt?: number;
  /** Fields added by plugins' `enrichLogContext`. */
  [key: string]: unknown;
}

/** Handed to a custom logger's `configureDurableLoggingContext`: read it while a line is logged. */
export interface DurableLoggingContext {
  /** The durable fields of the line being logged now. */
  getDurableLogData(): DurableLogData;
}

/**
 * A structured logger. `ctx.logger` and a step's `logger` add execution id, operation id and
 * attempt to every line and drop lines from code that is only replaying.
 */
export interface DurableLogger {
  /** Logs at the given level, e.g. `log("WARN", "slow", { ms })`. */
  log?(level: DurableLogLevel, ...params: unknown[]): void;
  /** Logs at DEBUG. */
  debug(...params: unknown[]): void;
  /** Logs at INFO. */
  info(...params: unknown[]): void;
  /** Logs at WARN. */
  warn(...params: unknown[]): void;
  /** Logs at ERROR. */
  error(...params: unknown[]): void;
  /**
   * Implemented by a custom logger that wants the durable fields without having them appended to
   * its arguments: it is called once with a context to read them from during each call.
   */
  configureDurableLoggingContext?(context: DurableLoggingContext): void;
}

/** What `ctx.logger` and a step's `logger` are: every level, plus `log(level, ...)`. */
export type DurableContextLogger = Required<Pick<DurableLogger, "log" | "debug" | "info" | "warn" | "error">>;

/** Options of {@link DurableContext.configureLogger}. */
export interface LoggerConfig {
  /**
   * Where lines go instead of the default JSON-lines logger, e.g. a Powertools Logger. It receives
   * the caller's own arguments (no JSON string of them) followed by one object with the durable
   * fields — unless it implements `configureDurableLoggingContext`, which then provides them.
   */
  customLogger?: DurableLogger;
  /** When true (default), lines from code that is only replaying are not emitted again. */
  modeAware?: boolean;
}
