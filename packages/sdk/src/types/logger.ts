export type DurableLogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

/** A structured logger; Cairn adds execution id, operation id and attempt to every line. */
export interface DurableLogger {
  debug(...params: unknown[]): void;
  info(...params: unknown[]): void;
  warn(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

export interface LoggerConfig {
  /** Where lines go instead of the default JSON-lines console logger. */
  customLogger?: DurableLogger;
  /** When true (default), lines from code that is only replaying are not emitted again. */
  modeAware?: boolean;
}
